package io.dvdrental.pipelines.transforms.batch;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BronzeRowsTest {

    private static final SourceTables TABLES = SourceTables.load();
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 1, 12, 0);

    private static Map<String, Object> rental(Object rentalDate, Object returnDate) {
        Map<String, Object> row = new HashMap<>();
        row.put("rental_id", 1);
        row.put("rental_date", rentalDate);
        row.put("inventory_id", 10);
        row.put("customer_id", 5);
        row.put("return_date", returnDate);
        row.put("staff_id", 1);
        row.put("last_update", Timestamp.valueOf("2006-02-16 02:30:53.123"));
        return row;
    }

    @Test
    void aGoodRowPasses() {
        assertThat(BronzeRows.problem(TABLES.get("rental"),
                rental(Timestamp.valueOf("2005-05-24 22:53:30"), null), NOW)).isEmpty();
    }

    @Test
    void aMissingRequiredFieldAnImpossibleDateAndAReturnBeforeTheRentalAreProblems() {
        Map<String, Object> noCustomer = rental(Timestamp.valueOf("2005-05-24 22:53:30"), null);
        noCustomer.put("customer_id", null);
        assertThat(BronzeRows.problem(TABLES.get("rental"), noCustomer, NOW)).contains("customer_id is null");
        assertThat(BronzeRows.problem(TABLES.get("rental"), rental(Timestamp.valueOf("1899-12-31 00:00:00"), null), NOW))
                .hasValueSatisfying(p -> assertThat(p).startsWith("rental_date 1899-12-31T00:00 is impossible"));
        assertThat(BronzeRows.problem(TABLES.get("rental"), rental(Timestamp.valueOf("2030-01-01 00:00:00"), null), NOW))
                .hasValueSatisfying(p -> assertThat(p).contains("in the future"));
        assertThat(BronzeRows.problem(TABLES.get("rental"), rental(Timestamp.valueOf("2005-05-24 22:53:30"),
                Timestamp.valueOf("2005-05-20 10:00:00")), NOW))
                .contains("return_date 2005-05-20T10:00 is before rental_date 2005-05-24T22:53:30");
    }

    @Test
    void valuesKeepTheWallClockAndFollowTheInsertColumns() {
        SourceTable rental = TABLES.get("rental");
        List<Object> values = BronzeRows.values(rental, rental(Timestamp.valueOf("2005-05-24 22:53:30"), null),
                "2026-01-01 12:00:00.000", "run-1");
        assertThat(rental.insertColumns()).containsExactly("rental_id", "rental_date", "inventory_id", "customer_id",
                "return_date", "staff_id", "last_update", "_extracted_at", "_run_id");
        assertThat(values).containsExactly(1, "2005-05-24 22:53:30.000", 10, 5, null, 1, "2006-02-16 02:30:53.123",
                "2026-01-01 12:00:00.000", "run-1");
        assertThat(BronzeRows.clickHouseValue(new BigDecimal("4.99"))).isEqualTo(new BigDecimal("4.99"));
        assertThat(BronzeRows.clickHouseValue(java.sql.Date.valueOf("2006-02-14"))).isEqualTo("2006-02-14");
    }

    @Test
    void tabSeparatedEscapesWhatWouldBreakALine() {
        StringBuilder tsv = new StringBuilder();
        BronzeRows.appendTsv(tsv, java.util.Arrays.asList(1, "a\tb\nc\\d", null, true, new BigDecimal("4.99")));
        assertThat(tsv).hasToString("1\ta\\tb\\nc\\\\d\t\\N\ttrue\t4.99\n");
    }

    @Test
    void specsDescribeQueriesDdlAndOrphans() {
        assertThat(TABLES.names()).hasSize(15);
        assertThat(TABLES.get("film_actor").keyExpression()).isEqualTo("concat(toString(actor_id), '|', toString(film_id))");
        assertThat(TABLES.get("rental").bronzeDdl()).startsWith("CREATE TABLE IF NOT EXISTS bronze.rental (rental_id Int32, "
                + "rental_date DateTime,").contains("_extracted_at DateTime64(3), _run_id String, _op LowCardinality(String) DEFAULT 'r', _lsn UInt64, "
                        + "_change_lsn UInt64, _committed_at DateTime64(3, 'UTC'), "
                        + "INDEX run_id_range _run_id TYPE minmax GRANULARITY 1)")
                .endsWith("SETTINGS non_replicated_deduplication_window = 10000");
        assertThat(TABLES.get("rental").orphansSql("inventory_id", TABLES.get("inventory"), "r1"))
                .contains("WHERE _op != 'd' AND inventory_id IS NOT NULL AND inventory_id NOT IN "
                        + "(SELECT inventory_id FROM bronze.inventory)");
        assertThat(TABLES.get("payment").orphansSql("rental_id", TABLES.get("rental"), "r1"))
                .contains("rental_id IS NOT NULL AND assumeNotNull(rental_id) NOT IN (SELECT rental_id FROM bronze.rental)");
    }

    /** An incremental run looks at the rows of the keys its runs loaded, for all of a table's foreign keys at once. */
    @Test
    void theForeignKeysOfTheRowsOfLoadedKeysAreCountedInOnePass() {
        SourceTable rental = TABLES.get("rental");
        String rows = rental.rowsOfKeysLoadedBy(List.of("r1", "r2"));
        assertThat(rows).isEqualTo("(rental_id) IN (SELECT rental_id FROM bronze.rental WHERE _run_id IN ('r1', 'r2'))");
        assertThat(TABLES.get("film_actor").rowsOfKeysLoadedBy(List.of("r1")))
                .isEqualTo("(actor_id, film_id) IN (SELECT actor_id, film_id FROM bronze.film_actor WHERE _run_id IN ('r1'))");
        assertThat(rental.rowsToLookAtSql(List.of("inventory_id", "staff_id"), rows)).isEqualTo("SELECT rental_id, "
                + "inventory_id, staff_id FROM bronze.rental WHERE _op != 'd' AND (" + rows + ")");
        assertThat(TABLES.get("film_actor").rowsOfKeys("SELECT row_key FROM q")).isEqualTo("(actor_id, film_id) IN "
                + "(SELECT CAST(splitByChar('|', row_key)[1], 'Int32'), CAST(splitByChar('|', row_key)[2], 'Int32') "
                + "FROM (SELECT row_key FROM q))");
        assertThat(TABLES.get("film_actor").rowsToLookAtSql(List.of("actor_id", "film_id"), "1"))
                .startsWith("SELECT actor_id, film_id FROM bronze.film_actor WHERE ");
        Map<String, SourceTable> parents = new LinkedHashMap<>();
        parents.put("inventory_id", TABLES.get("inventory"));
        parents.put("staff_id", TABLES.get("staff"));
        assertThat(rental.orphanCountsSql(parents, "silver.looked")).isEqualTo("SELECT count(), "
                + "countIf(inventory_id IS NOT NULL AND inventory_id NOT IN (SELECT inventory_id FROM bronze.inventory "
                + "WHERE inventory_id IN (SELECT inventory_id FROM silver.looked))), "
                + "countIf(staff_id IS NOT NULL AND staff_id NOT IN (SELECT staff_id FROM bronze.staff "
                + "WHERE staff_id IN (SELECT staff_id FROM silver.looked))) FROM silver.looked");
        assertThat(rental.orphansSql("staff_id", TABLES.get("staff"), "r2", "silver.looked")).contains(" FROM "
                + "bronze.rental WHERE _op != 'd' AND (rental_id) IN (SELECT rental_id FROM silver.looked) AND staff_id "
                + "IS NOT NULL AND staff_id NOT IN (SELECT staff_id FROM bronze.staff WHERE staff_id IN (SELECT staff_id "
                + "FROM silver.looked))");
        assertThat(rental.orphanCountsSql(parents, null)).endsWith(" FROM bronze.rental WHERE _op != 'd'")
                .contains("NOT IN (SELECT staff_id FROM bronze.staff)");
    }

    /** The keys a run loaded that no other run had: of those, a model that filters on known keys gains rows. */
    @Test
    void theKeysNewToBronzeAreThoseNoOtherRunLoaded() {
        assertThat(TABLES.get("rental").keyColumnsNewIn(List.of("r2"))).isEqualTo("SELECT rental_id FROM bronze.rental "
                + "WHERE (rental_id) IN (SELECT rental_id FROM bronze.rental WHERE _run_id IN ('r2')) "
                + "GROUP BY rental_id HAVING countIf(NOT _run_id IN ('r2')) = 0");
    }

    /** A payment whose rental was deleted names no rental (the source's ON DELETE SET NULL): bronze takes it. */
    @Test
    void aPaymentWithoutRentalEntersBronzeAndOlderTablesAreWidened() {
        SourceTable payment = TABLES.get("payment");
        Map<String, Object> row = new HashMap<>(Map.of("payment_id", 1, "customer_id", 2, "staff_id", 1,
                "amount", new BigDecimal("4.99"), "payment_date", LocalDateTime.of(2024, 5, 1, 10, 0)));
        row.put("rental_id", null);
        assertThat(BronzeRows.problem(payment, row, NOW)).isEmpty();
        Set<String> indexed = Set.of("run_id_range");
        assertThat(payment.bronzeUpgrades(Map.of("payment_id", "Int32", "rental_id", "Int32"), indexed)).last()
                .isEqualTo("ALTER TABLE bronze.payment MODIFY COLUMN rental_id Nullable(Int32)");
        assertThat(payment.bronzeUpgrades(Map.of("payment_id", "Int32", "rental_id", "Nullable(Int32)"), indexed))
                .singleElement().asString().startsWith("ALTER TABLE bronze.payment ADD COLUMN IF NOT EXISTS _op ");
    }

    /** A bronze table made before the run id index gets it, for the rows it holds too. */
    @Test
    void anOlderBronzeTableGetsTheRunIdIndex() {
        SourceTable payment = TABLES.get("payment");
        Map<String, String> current = new HashMap<>();
        payment.changeInsertColumns().forEach(c -> current.put(c, payment.columns().getOrDefault(c, "String")));
        assertThat(payment.bronzeUpgrades(current, Set.of())).containsExactly(
                "ALTER TABLE bronze.payment ADD INDEX run_id_range _run_id TYPE minmax GRANULARITY 1",
                "ALTER TABLE bronze.payment MATERIALIZE INDEX run_id_range");
    }

    /** Bronze is applied at every start: a table that is current gets no statement (on a cluster each waits). */
    @Test
    void aCurrentBronzeTableIsLeftAsItIs() {
        SourceTable payment = TABLES.get("payment");
        Map<String, String> current = new HashMap<>();
        payment.changeInsertColumns().forEach(c -> current.put(c, payment.columns().getOrDefault(c, "String")));
        assertThat(payment.bronzeUpgrades(current, Set.of("run_id_range"))).isEmpty();
    }
}
