package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.ChangeOp;
import io.dvdrental.pipelines.capture.ChangeRecord;
import io.dvdrental.pipelines.capture.SourceColumn;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeRowsTest {

    private static final SourceTables TABLES = SourceTables.load();
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 30, 12, 0);
    private static final Instant COMMITTED = Instant.parse("2026-11-30T11:59:58.123Z");

    @Test
    void valuesReadThroughASourceExpressionInTheCursorExtractAreReadTheSameWayFromTheStream() {
        ChangeRows film = new ChangeRows(TABLES.get("film"));
        Map<String, Object> values = filmValues();
        ChangeRecord change = change("film", ChangeOp.UPDATE, values, 900, 950);

        Map<String, Object> row = film.row(change);
        assertThat(row).containsEntry("special_features", "Trailers,Deleted Scenes").containsEntry("rating", "PG")
                .containsEntry("release_year", 2006).containsEntry("title", "ACADEMY DINOSAUR");
        assertThat(film.problem(change, row, NOW)).isEmpty();
        List<Object> bronze = film.values(change, row, List.of(), "2026-11-30 12:00:00.000", "cdc-g1");
        assertThat(bronze.subList(bronze.size() - 6, bronze.size()))
                .containsExactly("2026-11-30 12:00:00.000", "cdc-g1", "u", 900L, 950L, "2026-11-30 11:59:58.123");
        assertThat(TABLES.get("film").changeInsertColumns()).hasSize(bronze.size())
                .endsWith("_extracted_at", "_run_id", "_op", "_lsn", "_change_lsn", "_committed_at");

        ChangeRows language = new ChangeRows(TABLES.get("language"));
        assertThat(language.row(change("language", ChangeOp.READ, Map.of("language_id", 1,
                "name", "English             ", "last_update", NOW), 10, 0))).containsEntry("name", "English");
    }

    @Test
    void aCustomerWithoutLastUpdateTakesItsCreateDateAsTheExtractDoes() {
        Map<String, Object> values = customerValues();
        values.put("last_update", null);
        Map<String, Object> row = new ChangeRows(TABLES.get("customer")).row(change("customer", ChangeOp.CREATE,
                values, 5, 6));
        assertThat(row).containsEntry("last_update", LocalDate.of(2006, 2, 14).atStartOfDay());
    }

    @Test
    void aDeleteCarriesItsKeyOnly() {
        ChangeRows customer = new ChangeRows(TABLES.get("customer"));
        Map<String, Object> before = new HashMap<>();
        customerColumns().forEach(c -> before.put(c.name(), null));
        before.put("customer_id", 7);
        ChangeRecord delete = change("customer", ChangeOp.DELETE, before, 5, 6);

        Map<String, Object> row = customer.row(delete);
        assertThat(row).containsEntry("customer_id", 7).containsEntry("first_name", null);
        assertThat(customer.problem(delete, row, NOW)).isEmpty();
        assertThat(customer.values(delete, row, List.of(), "x", "cdc-g1")).contains("d");
    }

    @Test
    void aNullInARequiredColumnOrAColumnDroppedAtTheSourceIsQuarantinedWithTheReason() {
        ChangeRows customer = new ChangeRows(TABLES.get("customer"));
        Map<String, Object> values = customerValues();
        values.put("first_name", null);
        ChangeRecord nulled = change("customer", ChangeOp.UPDATE, values, 5, 6);
        assertThat(customer.problem(nulled, customer.row(nulled), NOW)).contains("first_name is null");

        Map<String, Object> withoutEmail = customerValues();
        withoutEmail.remove("email");
        ChangeRecord dropped = new ChangeRecord("customer", ChangeOp.UPDATE, Map.of("customer_id", 7), withoutEmail,
                customerColumns().stream().filter(c -> !c.name().equals("email")).toList(), 5, 6, COMMITTED, false);
        assertThat(customer.problem(dropped, customer.row(dropped), NOW))
                .contains("column email no longer exists at the source");

        ChangeRecord truncate = new ChangeRecord("customer", ChangeOp.TRUNCATE, Map.of(), Map.of(),
                customerColumns(), 5, 6, COMMITTED, false);
        assertThat(customer.problem(truncate, customer.row(truncate), NOW)).get().asString()
                .contains("TRUNCATE of customer").contains("resnapshot");
    }

    @Test
    void aColumnAddedAtTheSourceIsFoundWithABronzeType() {
        ChangeRows customer = new ChangeRows(TABLES.get("customer"));
        Map<String, Object> values = customerValues();
        values.put("loyalty_points", 12);
        List<SourceColumn> columns = new java.util.ArrayList<>(customerColumns());
        columns.add(new SourceColumn("loyalty_points", "int32", -1));
        ChangeRecord change = new ChangeRecord("customer", ChangeOp.UPDATE, Map.of("customer_id", 7), values, columns,
                5, 6, COMMITTED, false);

        assertThat(customer.unknownColumns(change, List.of())).extracting(SourceColumn::name)
                .containsExactly("loyalty_points");
        assertThat(customer.unknownColumns(change, List.of("loyalty_points"))).isEmpty();
        assertThat(ChangeRows.bronzeType(columns.get(columns.size() - 1))).contains("Nullable(Int32)");
        assertThat(ChangeRows.bronzeType(new SourceColumn("price", "decimal", 2))).contains("Nullable(Decimal(38, 2))");
        assertThat(ChangeRows.bronzeType(new SourceColumn("shape", "other", -1))).isEmpty();
        List<Object> row = customer.values(change, customer.row(change), List.of("loyalty_points"), "x", "cdc-g1");
        assertThat(row.get(row.size() - 1)).isEqualTo(12);
    }

    @Test
    void aSourceExpressionTheStreamCannotReproduceStopsTheStart() {
        SourceTable odd = new SourceTable("actor", List.of("actor_id"), "last_update", null, false,
                new LinkedHashMap<>(Map.of("actor_id", "Int32", "last_update", "DateTime64(3)")),
                Map.of("last_update", "date_trunc('day', last_update)"), null, null);
        assertThatThrownBy(() -> new ChangeRows(odd)).hasMessageContaining("actor.last_update")
                .hasMessageContaining("date_trunc('day', last_update)");
    }

    private static ChangeRecord change(String table, ChangeOp op, Map<String, Object> values, long commit, long change) {
        List<SourceColumn> columns = values.keySet().stream().map(c -> new SourceColumn(c, "string", -1)).toList();
        return new ChangeRecord(table, op, Map.of(), values, columns, commit, change, COMMITTED, op == ChangeOp.READ);
    }

    private static Map<String, Object> filmValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("film_id", 1);
        v.put("title", "ACADEMY DINOSAUR");
        v.put("description", "An epic drama");
        v.put("release_year", 2006);
        v.put("language_id", (short) 1);
        v.put("rental_duration", (short) 6);
        v.put("rental_rate", new BigDecimal("0.99"));
        v.put("length", (short) 86);
        v.put("replacement_cost", new BigDecimal("20.99"));
        v.put("rating", "PG");
        v.put("last_update", NOW.minusDays(1));
        v.put("special_features", List.of("Trailers", "Deleted Scenes"));
        return v;
    }

    private static Map<String, Object> customerValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("customer_id", 7);
        v.put("store_id", (short) 1);
        v.put("first_name", "MARIA");
        v.put("last_name", "MILLER");
        v.put("email", "maria@example.org");
        v.put("address_id", (short) 11);
        v.put("activebool", true);
        v.put("create_date", LocalDate.of(2006, 2, 14));
        v.put("last_update", NOW.minusHours(1));
        v.put("active", 1);
        return v;
    }

    private static List<SourceColumn> customerColumns() {
        return customerValues().keySet().stream().map(c -> new SourceColumn(c, "string", -1)).toList();
    }
}
