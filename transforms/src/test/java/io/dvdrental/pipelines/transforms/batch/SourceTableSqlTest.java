package io.dvdrental.pipelines.transforms.batch;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQL a source table renders for the byte-moving extract: the COPY, the input structure and the row checks. */
class SourceTableSqlTest {

    private static final SourceTables TABLES = SourceTables.load();
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 1, 12, 0);
    private static final LocalDateTime FROM = LocalDateTime.of(2006, 2, 15, 9, 34, 33, 123_456_000);
    private static final LocalDateTime TO = LocalDateTime.of(9999, 12, 31, 0, 0);

    @Test
    void theCopyReadsTheRangeWithLiteralsAndNullCursorsAlways() {
        assertThat(TABLES.get("payment").copyQuery(FROM, TO, 41, null)).isEqualTo("COPY (SELECT payment_id AS payment_id, "
                + "customer_id AS customer_id, staff_id AS staff_id, rental_id AS rental_id, amount AS amount, "
                + "payment_date AS payment_date FROM public.payment WHERE payment_date > TIMESTAMP "
                + "'2006-02-15 09:34:33.123456' AND payment_date <= TIMESTAMP '9999-12-31 00:00:00.000000' "
                + "AND payment_id > 41) TO STDOUT");
        assertThat(TABLES.get("customer").copyQuery(FROM, TO, Long.MIN_VALUE, null)).endsWith(" FROM public.customer WHERE "
                + "(coalesce(last_update, CAST(create_date AS timestamp)) > TIMESTAMP '2006-02-15 09:34:33.123456' AND "
                + "coalesce(last_update, CAST(create_date AS timestamp)) <= TIMESTAMP '9999-12-31 00:00:00.000000' "
                + "OR last_update IS NULL)) TO STDOUT");
        assertThat(TABLES.get("film").copyQuery(FROM, TO, 0, null)).contains("array_to_string(special_features, ',') "
                + "AS special_features");
    }

    @Test
    void theLookbackReadsOnlyRowsOfTransactionsThatMayHaveCommittedLate() {
        LocalDateTime lookbackFrom = FROM.minusMinutes(10);
        // 2^32 + 1234: rows' xmin is 32 bits, compared by age.
        SourceTable.Lookback late = new SourceTable.Lookback(lookbackFrom, Long.MIN_VALUE, 4_294_968_530L);
        assertThat(TABLES.get("rental").copyQuery(FROM, TO, Long.MIN_VALUE, late)).endsWith(" FROM public.rental WHERE "
                + "(last_update > TIMESTAMP '2006-02-15 09:34:33.123456' AND last_update <= TIMESTAMP "
                + "'9999-12-31 00:00:00.000000') OR (last_update > TIMESTAMP '2006-02-15 09:24:33.123456' AND "
                + "last_update <= TIMESTAMP '9999-12-31 00:00:00.000000' AND age(xmin) <= age('1234'::xid))) TO STDOUT");
        // A NULL cursor has no place in the order: read when its transaction may have committed late.
        assertThat(TABLES.get("customer").copyQuery(FROM, TO, Long.MIN_VALUE, late)).endsWith("WHERE "
                + "(coalesce(last_update, CAST(create_date AS timestamp)) > TIMESTAMP '2006-02-15 09:34:33.123456' AND "
                + "coalesce(last_update, CAST(create_date AS timestamp)) <= TIMESTAMP '9999-12-31 00:00:00.000000') OR "
                + "((coalesce(last_update, CAST(create_date AS timestamp)) > TIMESTAMP '2006-02-15 09:24:33.123456' AND "
                + "coalesce(last_update, CAST(create_date AS timestamp)) <= TIMESTAMP '9999-12-31 00:00:00.000000' "
                + "OR last_update IS NULL) AND age(xmin) <= age('1234'::xid))) TO STDOUT");
        assertThat(TABLES.get("payment").copyQuery(FROM, TO, 20_000, new SourceTable.Lookback(FROM, 10_000, 1234)))
                .contains("AND payment_id > 20000) OR (payment_date > ").contains("AND payment_id > 10000 AND "
                        + "age(xmin) <= age('1234'::xid))");
    }

    @Test
    void inputReadsEveryColumnNullableAndDatesAsText() {
        assertThat(TABLES.get("rental").inputStructure()).isEqualTo("rental_id Nullable(Int32), "
                + "rental_date Nullable(String), inventory_id Nullable(Int32), customer_id Nullable(Int32), "
                + "return_date Nullable(String), staff_id Nullable(Int32), last_update Nullable(String)");
        assertThat(TABLES.get("film").inputStructure()).contains("rental_rate Nullable(Decimal(4,2)), ")
                .contains("rating Nullable(String)");
        assertThat(TABLES.get("customer").inputStructure()).contains("activebool Nullable(Bool), "
                + "create_date Nullable(String)");
    }

    @Test
    void aRowsProblemIsTheFirstCheckItFailsInColumnOrder() {
        String problem = TABLES.get("country").problemSql(NOW);
        assertThat(problem).startsWith("multiIf(country_id IS NULL, 'country_id is null', country IS NULL, "
                + "'country is null', last_update IS NULL, 'last_update is null', last_update < '1990-01-01' OR "
                + "last_update > '2026-01-02 12:00:00.000000', concat('last_update ', ").endsWith(", '')");
        String rental = TABLES.get("rental").problemSql(NOW);
        assertThat(rental).doesNotContain("return_date IS NULL")
                .contains("return_date < rental_date, concat('return_date ', ")
                .contains(", ' is before rental_date ', ");
        // A Date compares with timestamps as its midnight.
        assertThat(TABLES.get("customer").problemSql(NOW)).contains("create_date < '1990-01-01' OR create_date > ");
    }

    @Test
    void bronzeTakesTheGoodRowsWithDatesConvertedAndQuarantineTheOthersWithTheirReason() {
        SourceTable rental = TABLES.get("rental");
        String problem = rental.problemSql(NOW);
        assertThat(rental.bronzeSelect(NOW, "2026-01-01 12:00:00.000", "run-1")).isEqualTo("SELECT rental_id, "
                + "CAST(rental_date AS DateTime), inventory_id, customer_id, CAST(return_date AS Nullable(DateTime)), "
                + "staff_id, CAST(last_update AS DateTime64(3)), '2026-01-01 12:00:00.000', 'run-1' FROM input('"
                + rental.inputStructure() + "') WHERE " + problem + " = ''");
        assertThat(TABLES.get("film_actor").quarantineSelect(NOW, "2026-01-01 12:00:00.000", "run-1"))
                .startsWith("SELECT 'film_actor', concat(toString(actor_id), '|', toString(film_id)), _problem, "
                        + "formatRowNoNewline('JSONEachRow', actor_id, film_id, last_update), 'run-1', "
                        + "'2026-01-01 12:00:00.000' FROM input('")
                .endsWith(" AS _problem) != ''");
        assertThatThrownBy(() -> rental.bronzeSelect(NOW, "2026-01-01", "run'); DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
