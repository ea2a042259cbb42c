package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static io.dvdrental.pipelines.batch.BatchTestSupport.runAndWait;
import static io.dvdrental.pipelines.batch.BatchTestSupport.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Failures on the real services: a failed extract stops exactly what depends on it; a crash between the load and the
 * watermark commit loses and doubles nothing; a retried batch is stored once; bad source rows are quarantined with
 * the reason without failing the run. Faults are injected with AdviceWith at the route edges (the source query, the
 * watermark commit), switched by flags so that the other tests see the routes unchanged.
 */
@BatchSampleTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchFailureTest {

    static volatile boolean failInventoryQuery;
    static volatile boolean crashBeforeRentalWatermark;
    private static boolean advised;
    private static JdbcTemplate source;

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouseTemplate;
    @Autowired
    Warehouse warehouseOps;
    @Autowired
    CamelContext camel;
    @Autowired
    SourceTables tables;

    JdbcTemplate warehouse;

    @BeforeAll
    static void restoreSample() throws Exception {
        assumeTrue(SampleSource.available(), "skipped: the dvdrental sample " + SampleSource.dump()
                + " (or /usr/bin/psql) is not on this machine");
        SampleSource.restore();
        source = new JdbcTemplate(new SingleConnectionDataSource(SampleSource.connect(), true));
    }

    @BeforeEach
    void adviseOnce() throws Exception {
        warehouse = warehouseTemplate.getJdbcTemplate();
        if (!advised) {
            AdviceWith.adviceWith(camel, "extract-inventory", a -> a.weaveById("extract-query").before()
                    .process(e -> {
                        if (failInventoryQuery) {
                            throw new IllegalStateException("simulated: source unreachable for inventory");
                        }
                    }));
            AdviceWith.adviceWith(camel, "extract-rental", a -> a.weaveById("commit-watermark")
                    .before().process(e -> {
                        if (crashBeforeRentalWatermark) {
                            throw new IllegalStateException("simulated: crash between load and watermark commit");
                        }
                    }));
            advised = true;
        }
    }

    @Test
    @Order(1)
    void aFailedExtractStopsItsDependantsOnlyAndTheNextRunResumes() {
        BatchTestSupport.resetWarehouseAndState(warehouse, state);
        failInventoryQuery = true;
        Map<String, Object> failed;
        try {
            failed = runAndWait(http, Map.of("mode", "full"));
        } finally {
            failInventoryQuery = false;
        }
        assertThat(failed.get("state")).isEqualTo("FAILED");
        assertThat((String) failed.get("error")).contains("extract:inventory");
        assertThat(step(failed, "extract:inventory")).containsEntry("state", "FAILED");
        assertThat((String) step(failed, "extract:inventory").get("error")).contains("source unreachable");
        assertThat(step(failed, "silver.dvd_inventory")).containsEntry("state", "SKIPPED")
                .containsEntry("error", "upstream bronze.inventory failed");
        for (String dependant : List.of("silver.dvd_rental", "gold.fact_rental", "gold.fact_rental_monthly",
                "gold.report_rentals")) {
            assertThat(step(failed, dependant)).as(dependant).containsEntry("state", "SKIPPED");
        }
        for (String independent : List.of("extract:rental", "silver.dvd_country", "gold.dim_address", "gold.dim_film",
                "gold.dim_date")) {
            assertThat(step(failed, independent)).as(independent).containsEntry("state", "SUCCEEDED");
        }
        // Never loaded, inventory fails its freshness check: a failed check stops the export.
        assertThat(step(failed, "quality")).containsEntry("state", "FAILED");
        assertThat((String) step(failed, "quality").get("error")).contains("freshness inventory (never loaded)");
        assertThat(step(failed, "export:dim_film")).containsEntry("state", "SKIPPED")
                .containsEntry("error", "quality failed");
        assertThat(state.queryForObject("SELECT count(*) FROM batch_watermark WHERE table_name = 'inventory'",
                Long.class)).isZero();

        Map<String, Object> resumed = runAndWait(http, Map.of());
        assertThat(resumed.get("state")).as("run error: %s", resumed.get("error")).isEqualTo("SUCCEEDED");
        assertThat(step(resumed, "extract:inventory").get("rows_written")).isEqualTo(4581);
        assertThat(step(resumed, "gold.report_rentals")).containsEntry("state", "SUCCEEDED");
        assertThat(count("gold.report_rentals")).isEqualTo(16044);
    }

    @Test
    @Order(2)
    void aCrashBetweenLoadAndWatermarkCommitLosesAndDoublesNothing() {
        BatchTestSupport.resetWarehouseAndState(warehouse, state);
        crashBeforeRentalWatermark = true;
        Map<String, Object> crashed;
        try {
            crashed = runAndWait(http, Map.of("mode", "full"));
        } finally {
            crashBeforeRentalWatermark = false;
        }
        assertThat(step(crashed, "extract:rental")).containsEntry("state", "FAILED");
        assertThat(count("bronze.rental")).as("the batches were stored").isEqualTo(16044);
        assertThat(state.queryForObject("SELECT count(*) FROM batch_watermark WHERE table_name = 'rental'",
                Long.class)).as("the watermark did not move").isZero();

        Map<String, Object> rerun = runAndWait(http, Map.of());
        assertThat(rerun.get("state")).as("run error: %s", rerun.get("error")).isEqualTo("SUCCEEDED");
        assertThat(step(rerun, "extract:rental").get("rows_read")).as("read again from the old watermark")
                .isEqualTo(16044);
        assertThat(count("bronze.rental")).as("bronze keeps both extractions").isEqualTo(2 * 16044);
        long sourceRentals = source.queryForObject("SELECT count(*) FROM rental", Long.class);
        assertThat(count("silver.dvd_rental")).isEqualTo(sourceRentals);
        assertThat(count("gold.fact_rental")).isEqualTo(sourceRentals);
        assertThat(count("gold.report_rentals")).isEqualTo(sourceRentals);
        assertThat(warehouse.queryForObject("SELECT sum(rentals) FROM gold.fact_rental_monthly", Long.class))
                .isEqualTo(sourceRentals);
    }

    @Test
    @Order(3)
    void badSourceRowsAreQuarantinedWithTheReasonAndTheRunSucceeds() {
        // A source without the constraints that would have stopped these rows.
        source.execute("ALTER TABLE rental DROP CONSTRAINT rental_inventory_id_fkey");
        source.execute("ALTER TABLE address ALTER COLUMN phone DROP NOT NULL");
        source.update("INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, staff_id) VALUES "
                + "(90001, now(), 999999, 1, 1), (90002, '1899-12-31', 1, 1, 1)");
        source.update("INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id) "
                + "VALUES (90003, '2006-02-01 10:00', 2, 1, '2006-01-01 10:00', 1)");
        source.update("INSERT INTO address (address_id, address, district, city_id, phone) "
                + "VALUES (90001, '1 Nowhere Street', 'Nowhere', 1, NULL)");

        Map<String, Object> run = runAndWait(http, Map.of());
        assertThat(run.get("state")).as("run error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        Map<String, String> reasons = new java.util.HashMap<>();
        warehouse.query("SELECT concat(table_name, ':', row_key) AS k, any(reason) AS r FROM silver.quarantine "
                + "GROUP BY k", rs -> {
                    reasons.put(rs.getString(1), rs.getString(2));
                });
        assertThat(reasons).containsEntry("rental:90001", "unknown inventory_id 999999")
                .containsEntry("address:90001", "phone is null").hasSize(4);
        assertThat(reasons.get("rental:90002")).contains("rental_date 1899-12-31T00:00 is impossible");
        assertThat(reasons.get("rental:90003")).contains("return_date 2006-01-01T10:00 is before rental_date");
        assertThat(warehouse.queryForObject("SELECT raw_row FROM silver.quarantine WHERE row_key = '90001' "
                + "AND table_name = 'rental' LIMIT 1", String.class)).contains("\"inventory_id\":999999");
        long sourceRentals = source.queryForObject("SELECT count(*) FROM rental", Long.class);
        assertThat(count("silver.dvd_rental")).isEqualTo(sourceRentals - 3);
        assertThat(warehouse.queryForObject("SELECT count() FROM silver.dvd_rental WHERE rental_id >= 90001",
                Long.class)).isZero();
        assertThat(count("silver.dvd_address")).isEqualTo(603);
    }

    @Test
    @Order(4)
    void aRetriedBatchIsStoredOnce() throws Exception {
        SourceTable staff = tables.get("staff");
        // A row as the extract's COPY writes it.
        byte[] line = "99\tRetry\tTwice\t1\tr@example.org\t1\tt\tretry\t2026-01-01 00:00:00\n"
                .getBytes(StandardCharsets.UTF_8);
        String select = staff.bronzeSelect(LocalDateTime.now(), "2026-01-01 00:00:00.000", "dedup-test");
        long before = count("bronze.staff");
        for (String token : List.of("dedup-test-staff-1", "dedup-test-staff-1")) {
            assertThat(warehouseOps.insertSelect(staff.bronzeTable(), staff.insertColumns(), select,
                    new ByteArrayInputStream(line), token)).as("rows the insert reports").isEqualTo(1);
        }
        assertThat(count("bronze.staff")).isEqualTo(before + 1);
        warehouseOps.insertSelect(staff.bronzeTable(), staff.insertColumns(), select, new ByteArrayInputStream(line),
                "dedup-test-staff-2");
        assertThat(count("bronze.staff")).isEqualTo(before + 2);
        warehouse.execute("DELETE FROM bronze.staff WHERE _run_id = 'dedup-test'");
    }

    /**
     * A COPY that fails as it starts (its table is gone) aborts its transaction; a connection handed back to the pool
     * inside it fails every later extract it serves ("current transaction is aborted").
     */
    @Test
    @Order(5)
    void anExtractWhoseTableIsGoneLeavesNoBrokenConnectionBehind() {
        source.execute("ALTER TABLE public.language RENAME TO language_hidden");
        Map<String, Object> failed;
        try {
            failed = runAndWait(http, Map.of("tables", List.of("language")));
        } finally {
            source.execute("ALTER TABLE public.language_hidden RENAME TO language");
        }
        assertThat((String) step(failed, "extract:language").get("error")).contains("does not exist");
        // More runs than the extract pool has connections, each reading one table on one connection.
        for (int run = 0; run < 6; run++) {
            Map<String, Object> next = runAndWait(http, Map.of("tables", List.of("language")));
            assertThat(step(next, "extract:language")).as("run %d: %s", run, next.get("error"))
                    .containsEntry("state", "SUCCEEDED");
        }
    }

    /**
     * A table read in several chunks (the test profile's are 64 KB) whose every row holds multi-byte text, so that
     * chunks end inside such rows, with bad rows spread over the chunks: each good row is stored once and intact,
     * each bad row quarantined once.
     */
    @Test
    @Order(6)
    void aTableOfSeveralChunksStoresEveryRowOnceIntactAndQuarantinesEachBadRowOnce() {
        source.execute("ALTER TABLE film ALTER COLUMN title DROP NOT NULL");
        source.update("UPDATE film SET description = description || repeat(' — Äpfel, 日本語のタイトル, 🎬', 4), "
                + "title = CASE WHEN film_id % 100 = 0 THEN NULL ELSE title END");
        BatchTestSupport.resetWarehouseAndState(warehouse, state);

        // With language, which film's rows refer to: the foreign-key quarantine then leaves them alone.
        Map<String, Object> run = runAndWait(http, Map.of("mode", "full", "tables", List.of("film", "language")));

        assertThat(step(run, "extract:film")).as("run error: %s", run.get("error"))
                .containsEntry("state", "SUCCEEDED").containsEntry("rows_read", 1000)
                .containsEntry("rows_written", 990);
        assertThat(source.queryForObject("SELECT sum(octet_length(description)) FROM film", Long.class))
                .as("film's COPY text spans several chunks").isGreaterThan(3 * 64 * 1024L);
        assertThat(warehouse.queryForList("SELECT film_id, description FROM bronze.film ORDER BY film_id"))
                .containsExactlyElementsOf(source.queryForList("SELECT film_id, description FROM film "
                        + "WHERE title IS NOT NULL ORDER BY film_id"));
        assertThat(warehouse.queryForList("SELECT row_key, count() AS n, any(reason) AS reason FROM silver.quarantine "
                + "WHERE table_name = 'film' GROUP BY row_key ORDER BY toInt32(row_key)"))
                .extracting(row -> row.get("row_key") + " " + row.get("n") + " " + row.get("reason"))
                .containsExactly(java.util.stream.IntStream.rangeClosed(1, 10)
                        .mapToObj(i -> (i * 100) + " 1 title is null").toArray(String[]::new));
    }

    private long count(String table) {
        return warehouse.queryForObject("SELECT count() FROM " + table, Long.class);
    }
}
