package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.BatchTestSupport;
import io.dvdrental.pipelines.producer.seed.SeedPlan;
import io.dvdrental.pipelines.producer.seed.SourceSeeder;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Change data capture on the real services: the generated source is snapshot into bronze, then inserts, updates
 * (one to NULL) and deletes arrive with their operation, LSN and commit time; a batch that fails after its insert is
 * handed over again and doubles nothing; a stopped capture resumes from its stored offset with no gap; a column added
 * at the source appears in bronze; the slot's lag is on /api/pipelines; a dropped slot waits for a resnapshot.
 * A slot and capture name of its own, and the context is closed afterwards, so no other test sees a capture running.
 */
@RealServicesTest
@TestPropertySource(properties = {"dvd.batch.capture=cdc", "dvd.cdc.capture-name=dvdrental_test",
        "dvd.cdc.slot=dvd_cdc_test", "dvd.cdc.publication=dvd_cdc_test", "dvd.cdc.lag.sample-interval=PT1S",
        "dvd.cdc.heartbeat-interval=PT2S", "dvd.batch.freshness.warn-after=PT10S",
        "dvd.batch.freshness.error-after=" + CaptureEndToEndTest.FRESHNESS_ERROR_AFTER_TEXT})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaptureEndToEndTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);
    /** Short, so that a table the tests leave alone outlives it. */
    static final String FRESHNESS_ERROR_AFTER_TEXT = "PT20S";
    private static final Duration FRESHNESS_ERROR_AFTER = Duration.parse(FRESHNESS_ERROR_AFTER_TEXT);
    private static final SourceTables TABLES = SourceTables.load();

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouseTemplate;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Autowired
    CamelContext camel;

    private JdbcTemplate warehouse;
    private JdbcTemplate source;

    /** Set once the first test prepared the source; the tests run in order on one capture. */
    private static boolean prepared;

    /**
     * Once, before the first test, with the Camel context started (Camel's test support starts it just before each
     * test method, so not in {@code @BeforeAll}).
     */
    @BeforeEach
    void freshSourceAndSnapshot() throws Exception {
        warehouse = warehouseTemplate.getJdbcTemplate();
        source = new JdbcTemplate(sourceDataSource);
        if (prepared) {
            return;
        }
        prepared = true;
        camel.getRouteController().stopRoute(CaptureRoute.ROUTE_ID);
        BatchTestSupport.resetWarehouseAndState(warehouse, state);
        SourceSchema.migrate(sourceDataSource);
        SourceSeeder.seed(sourceDataSource, new SeedPlan(11, 0.05), SourceSeeder.WhenNotEmpty.REPLACE);
        ResponseEntity<Map> resnapshot = operator().postForEntity("/api/cdc/resnapshot", null, Map.class);
        assertThat(resnapshot.getStatusCode().value()).as("%s", resnapshot.getBody()).isEqualTo(202);
    }

    @Test
    @Order(1)
    void theSnapshotBringsEveryRowOfEveryTable() {
        for (SourceTable table : TABLES.tables()) {
            long rows = source.queryForObject("SELECT count(*) FROM public." + table.name(), Long.class);
            await(table.name() + " snapshot").atMost(PATIENCE).untilAsserted(() ->
                    assertThat(count("SELECT count() FROM " + table.bronzeTable() + " WHERE _op = 'r'"))
                            .isEqualTo(rows));
        }
        assertThat(count("SELECT count() FROM bronze.rental WHERE _op = 'r' AND (_lsn = 0 OR _change_lsn != 0)"))
                .as("snapshot rows carry the snapshot's LSN and no change LSN").isZero();
        assertThat(count("SELECT uniqExact(_lsn) FROM bronze.rental")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void insertsUpdatesAndDeletesArriveWithOperationLsnAndCommitTime() {
        long rental = source.queryForObject("INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) "
                + "SELECT now(), min(inventory_id), 7, 1 FROM inventory RETURNING rental_id", Long.class);
        source.update("UPDATE customer SET email = NULL WHERE customer_id = 7");
        long payment = source.queryForObject("SELECT max(payment_id) FROM payment", Long.class);
        source.update("DELETE FROM payment WHERE payment_id = ?", payment);
        Map<String, Object> pair = source.queryForMap("SELECT film_id, category_id FROM film_category LIMIT 1");
        source.update("DELETE FROM film_category WHERE film_id = ? AND category_id = ?", pair.get("film_id"),
                pair.get("category_id"));

        await("changes in bronze").atMost(PATIENCE).untilAsserted(() -> {
            assertThat(count("SELECT count() FROM bronze.rental WHERE rental_id = " + rental + " AND _op = 'c'"))
                    .isEqualTo(1);
            assertThat(count("SELECT count() FROM bronze.customer WHERE customer_id = 7 AND _op = 'u' "
                    + "AND email IS NULL")).isEqualTo(1);
            assertThat(count("SELECT count() FROM bronze.payment WHERE payment_id = " + payment + " AND _op = 'd'"))
                    .isEqualTo(1);
            assertThat(count("SELECT count() FROM bronze.film_category WHERE film_id = " + pair.get("film_id")
                    + " AND category_id = " + pair.get("category_id") + " AND _op = 'd'")).isEqualTo(1);
        });
        Map<String, Object> update = warehouse.queryForMap("SELECT _lsn, _change_lsn, "
                + "dateDiff('second', _committed_at, now64(3)) AS age, first_name FROM bronze.customer "
                + "WHERE customer_id = 7 AND _op = 'u' ORDER BY _lsn DESC LIMIT 1");
        long snapshotLsn = count("SELECT max(_lsn) FROM bronze.customer WHERE _op = 'r'");
        assertThat(((Number) update.get("_lsn")).longValue()).isGreaterThanOrEqualTo(snapshotLsn);
        assertThat(((Number) update.get("_change_lsn")).longValue()).isPositive();
        assertThat(((Number) update.get("age")).longValue()).isBetween(0L, 120L);
        assertThat(update.get("first_name")).isNotNull();
        // The versions of a key are ordered by (_lsn, _change_lsn): the update comes after the snapshot row.
        assertThat(warehouse.queryForList("SELECT _op FROM bronze.customer WHERE customer_id = 7 "
                + "ORDER BY _lsn, _change_lsn", String.class)).startsWith("r").endsWith("u");
        Map<String, Object> delete = warehouse.queryForMap("SELECT customer_id, amount FROM bronze.payment "
                + "WHERE payment_id = " + payment + " AND _op = 'd'");
        assertThat(delete).as("a delete carries its key and defaults").containsEntry("customer_id", 0);
    }

    @Test
    @Order(3)
    void aBatchThatFailsAfterItsInsertIsHandedOverAgainAndDoublesNothing() throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        AdviceWith.adviceWith(camel, CaptureRoute.ROUTE_ID, route -> route.weaveById(CaptureRoute.STORE).after()
                .process(exchange -> {
                    if (failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("crash after the insert, before the offsets");
                    }
                }));
        List<Long> rentals = source.queryForList("SELECT rental_id FROM rental ORDER BY rental_id LIMIT 20", Long.class);
        for (long id : rentals) {
            source.update("UPDATE rental SET return_date = now() WHERE rental_id = ?", id);
        }
        await("the updates after the replay").atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                "SELECT count() FROM bronze.rental WHERE _op = 'u' AND rental_id IN (" + ids(rentals) + ")"))
                .isEqualTo(rentals.size()));
        assertThat(failed).isTrue();
        assertNoDoubles();
    }

    @Test
    @Order(4)
    void aStoppedCaptureResumesFromItsStoredOffsetWithNoGapAndNoDouble() throws Exception {
        camel.getRouteController().stopRoute(CaptureRoute.ROUTE_ID);
        List<Long> customers = source.queryForList("SELECT customer_id FROM customer ORDER BY customer_id LIMIT 30",
                Long.class);
        for (long id : customers) {
            source.update("UPDATE customer SET last_name = last_name || 'X' WHERE customer_id = ?", id);
        }
        camel.getRouteController().startRoute(CaptureRoute.ROUTE_ID);

        // No gap: the latest version of every customer in bronze is the source's row.
        Map<Long, String> atSource = new java.util.HashMap<>();
        source.query("SELECT customer_id, last_name FROM customer WHERE customer_id IN (" + ids(customers) + ")",
                rs -> { atSource.put(rs.getLong(1), rs.getString(2)); });
        await("changes made while stopped").atMost(PATIENCE).untilAsserted(() -> {
            Map<Long, String> inBronze = new java.util.HashMap<>();
            warehouse.query("SELECT customer_id, argMax(last_name, (_lsn, _change_lsn)) FROM bronze.customer "
                    + "WHERE customer_id IN (" + ids(customers) + ") GROUP BY customer_id",
                    rs -> { inBronze.put(rs.getLong(1), rs.getString(2)); });
            assertThat(inBronze).isEqualTo(atSource);
        });
        assertNoDoubles();
    }

    @Test
    @Order(5)
    void aColumnAddedAtTheSourceAppearsInBronze() {
        source.execute("ALTER TABLE customer ADD COLUMN loyalty_points integer");
        try {
            source.update("UPDATE customer SET loyalty_points = 5 WHERE customer_id = 8");
            await("the new column").atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(count(
                    "SELECT count() FROM bronze.customer WHERE customer_id = 8 AND loyalty_points = 5")).isEqualTo(1));
            assertThat(warehouse.queryForObject("SELECT type FROM system.columns WHERE database = 'bronze' "
                    + "AND table = 'customer' AND name = 'loyalty_points'", String.class)).isEqualTo("Nullable(Int32)");
        } finally {
            source.execute("ALTER TABLE customer DROP COLUMN loyalty_points");
        }
    }

    /**
     * Between two batch runs a customer's email changes twice in one transaction (one last_update for both) and
     * another customer is deleted with their payments and rentals, as the source's foreign keys demand.
     */
    @Test
    @Order(6)
    void deletesAndEveryChangeBetweenRunsReachSilverAndGold() {
        long changed = 9;
        long deleted = 12;
        Map<String, Object> before = BatchTestSupport.runAndWait(http, Map.of());
        assertThat(before.get("state")).as("the run before the changes: %s", before).isEqualTo("SUCCEEDED");
        long versionsBefore = count("SELECT count() FROM silver.dvd_customer_scd2 WHERE customer_id = " + changed);
        List<Long> deletedRentals = source.queryForList("SELECT rental_id FROM rental WHERE customer_id = ?",
                Long.class, deleted);
        assertThat(deletedRentals).isNotEmpty();
        new TransactionTemplate(new DataSourceTransactionManager(sourceDataSource)).executeWithoutResult(tx -> {
            source.update("UPDATE customer SET email = 'first@example.com' WHERE customer_id = ?", changed);
            source.update("UPDATE customer SET email = 'second@example.com' WHERE customer_id = ?", changed);
        });
        source.update("DELETE FROM payment WHERE customer_id = ?", deleted);
        source.update("DELETE FROM rental WHERE customer_id = ?", deleted);
        source.update("DELETE FROM customer WHERE customer_id = ?", deleted);

        Map<String, Object> run = BatchTestSupport.runAndWait(http, Map.of());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(run.get("state")).as("the run after the changes: %s", run).isEqualTo("SUCCEEDED");
        List<Map<String, Object>> history = warehouse.queryForList("SELECT email, is_current "
                + "FROM silver.dvd_customer_scd2 WHERE customer_id = " + changed + " ORDER BY valid_from, valid_to");
        soft.assertThat(history).as("both changes of one transaction are versions").hasSize((int) versionsBefore + 2);
        soft.assertThat(history.subList(Math.max(0, history.size() - 2), history.size()))
                .extracting(v -> v.get("email"), v -> ((Number) v.get("is_current")).intValue())
                .as("in the order they were made").containsExactly(tuple("first@example.com", 0),
                        tuple("second@example.com", 1));
        for (String scd2 : List.of("silver.dvd_customer_scd2", "gold.dim_customer_scd2")) {
            soft.assertThat(count("SELECT count() FROM " + scd2 + " WHERE customer_id = " + deleted
                    + " AND is_current = 1")).as("a current version of the deleted customer in %s", scd2).isZero();
            soft.assertThat(count("SELECT toUnixTimestamp64Milli(max(valid_to)) FROM " + scd2 + " WHERE customer_id = "
                    + deleted)).as("the deleted customer's last version in %s ends at the delete's commit", scd2)
                    .isEqualTo(count("SELECT toUnixTimestamp64Milli(_committed_at) FROM bronze.customer "
                            + "WHERE customer_id = " + deleted + " AND _op = 'd'"));
        }
        for (String current : List.of("silver.dvd_customer", "gold.dim_customer")) {
            soft.assertThat(count("SELECT count() FROM " + current + " WHERE customer_id = " + deleted))
                    .as("the deleted customer in %s", current).isZero();
        }
        for (String rentals : List.of("silver.dvd_rental", "gold.fact_rental", "gold.report_rentals")) {
            soft.assertThat(count("SELECT count() FROM " + rentals + " WHERE rental_id IN (" + ids(deletedRentals)
                    + ")")).as("deleted rentals in %s", rentals).isZero();
        }
        soft.assertThat(monthly("SELECT film_id, month_end, rentals FROM gold.fact_rental_monthly"))
                .as("rentals per film and month, the deleted rentals' months counted without them")
                .isEqualTo(monthly("SELECT film_id, toLastDayOfMonth(rental_date) AS month_end, count() AS rentals "
                        + "FROM gold.fact_rental WHERE film_id IS NOT NULL GROUP BY film_id, month_end"));
        soft.assertThat(count("SELECT count() FROM silver.quarantine WHERE startsWith(reason, 'unknown ')"))
                .as("delete rows (defaults in their foreign keys) taken for orphans").isZero();
        for (String table : List.of("customer", "rental", "payment")) {
            soft.assertThat(quality(run, "reconcile_bronze_silver", table)).as("silver holds the live keys of %s", table)
                    .containsEntry("status", "PASS");
            soft.assertThat(quality(run, "source_deletes", table)).as("source_deletes for %s", table).isEmpty();
        }
        soft.assertAll();
    }

    /**
     * payment.rental_id references rental ON DELETE SET NULL. dvdrental's schema also declares the column NOT NULL,
     * which makes such a delete fail; a source that lets the foreign key do what it says (the column optional) makes
     * a deleted rental's payments name no rental. They are still payments (money taken), so silver keeps them, with
     * no rental, and reconciles.
     */
    @Test
    @Order(7)
    void aPaymentWhoseRentalWasDeletedStaysAPayment() {
        source.execute("ALTER TABLE payment ALTER COLUMN rental_id DROP NOT NULL");
        try {
            Map<String, Object> paid = source.queryForMap("SELECT p.payment_id, p.rental_id FROM payment p "
                    + "JOIN rental r ON r.rental_id = p.rental_id ORDER BY p.payment_id LIMIT 1");
            long payment = ((Number) paid.get("payment_id")).longValue();
            source.update("DELETE FROM rental WHERE rental_id = ?", paid.get("rental_id"));
            assertThat(source.queryForObject("SELECT rental_id FROM payment WHERE payment_id = ?", Long.class,
                    payment)).as("the source's ON DELETE SET NULL").isNull();

            Map<String, Object> run = BatchTestSupport.runAndWait(http, Map.of());

            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(run.get("state")).as("the run: %s", run).isEqualTo("SUCCEEDED");
            soft.assertThat(warehouse.queryForList("SELECT rental_id FROM silver.dvd_payment WHERE payment_id = "
                    + payment, Integer.class)).as("the payment in silver, with no rental").hasSize(1).containsOnlyNulls();
            soft.assertThat(warehouse.queryForList("SELECT reason FROM silver.quarantine WHERE table_name = 'payment' "
                    + "AND row_key = '" + payment + "'", String.class)).as("quarantined").isEmpty();
            for (String table : List.of("payment", "rental")) {
                soft.assertThat(quality(run, "reconcile_bronze_silver", table))
                        .as("silver holds the live keys of %s", table).containsEntry("status", "PASS");
            }
            soft.assertAll();
        } finally {
            // The source as dvdrental declares it again, for the tests after this one.
            source.update("DELETE FROM payment WHERE rental_id IS NULL");
            source.execute("ALTER TABLE payment ALTER COLUMN rental_id SET NOT NULL");
        }
    }

    /**
     * language is not changed after the snapshot: its last row is older than the freshness limit, but bronze holds
     * the source as of the run's catch-up, so it is fresh. Gold then holds the source as of that catch-up, and its
     * freshness mark says so (not the later moment the models finished).
     */
    @Test
    @Order(8)
    void aQuietTableIsAsFreshAsTheCaptureAndGoldAsTheSourceItHolds() {
        await("language quiet for longer than the freshness limit").atMost(PATIENCE).until(() -> count(
                "SELECT if(count() = 0, 0, dateDiff('second', max(_extracted_at), now64(3))) FROM bronze.language")
                > FRESHNESS_ERROR_AFTER.toSeconds());

        Map<String, Object> run = BatchTestSupport.runAndWait(http, Map.of());

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(run.get("state")).as("the run: %s", run).isEqualTo("SUCCEEDED");
        soft.assertThat(quality(run, "freshness", "language")).as("language's freshness").containsEntry("status", "PASS");
        long mark = count("SELECT toUnixTimestamp64Milli(max(refreshed_at)) FROM gold.batch_freshness WHERE run_id = '"
                + run.get("run_id") + "'");
        long started = state.queryForObject("SELECT (extract(epoch FROM started_at) * 1000)::bigint FROM batch_run "
                + "WHERE run_id = ?", Long.class, run.get("run_id"));
        long caughtUp = state.queryForObject("SELECT (extract(epoch FROM finished_at) * 1000)::bigint FROM batch_step "
                + "WHERE run_id = ? AND step = 'extract:language'", Long.class, run.get("run_id"));
        soft.assertThat(mark).as("gold's freshness mark: the source's time the run caught up with")
                .isBetween(started, caughtUp);
        soft.assertAll();
    }

    @Test
    @Order(9)
    @SuppressWarnings("unchecked")
    void theSlotsLagIsOnThePipelinesApi() {
        await("a lag sample").atMost(PATIENCE).untilAsserted(() -> {
            Map<String, Object> capture = (Map<String, Object>) http.getForObject("/api/pipelines", Map.class)
                    .get("capture");
            assertThat(capture).containsEntry("mode", "cdc").containsEntry("state", "STREAMING");
            Map<String, Object> slot = (Map<String, Object>) capture.get("slot");
            assertThat(slot).containsEntry("name", "dvd_cdc_test").containsEntry("exists", true);
            assertThat(((Number) slot.get("lagBytes")).longValue()).isNotNegative();
            assertThat(((Number) slot.get("lagSeconds")).longValue()).isBetween(0L, 60L);
        });
        for (String gauge : List.of("dvd.cdc.slot.lag.bytes", "dvd.cdc.slot.lag.seconds")) {
            Map<String, Object> metric = operator().getForObject("/actuator/metrics/" + gauge, Map.class);
            assertThat(metric).as(gauge).containsEntry("name", gauge);
        }
    }

    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void aDroppedSlotWaitsForAResnapshotWhichTakesANewSnapshot() {
        Map<String, Object> dropped = operator().postForObject("/api/cdc/slot/drop", null, Map.class);
        assertThat(dropped).containsEntry("dropped", true);
        await("the capture waits").atMost(PATIENCE).untilAsserted(() -> {
            Map<String, Object> capture = (Map<String, Object>) http.getForObject("/api/pipelines", Map.class)
                    .get("capture");
            assertThat(capture).containsEntry("state", "NEEDS_RESNAPSHOT");
            assertThat((String) capture.get("wayOut")).contains("POST /api/cdc/resnapshot");
        });
        Map<String, Object> readiness = operator().getForObject("/actuator/health/readiness", Map.class);
        assertThat(readiness.get("status")).isEqualTo("WARNING");
        assertThat(http.postForEntity("/api/cdc/resnapshot", null, Map.class).getStatusCode().value())
                .as("anonymous").isEqualTo(401);

        Map<String, Object> resnapshot = operator().postForObject("/api/cdc/resnapshot", null, Map.class);
        String generation = (String) resnapshot.get("generation");
        long customers = source.queryForObject("SELECT count(*) FROM customer", Long.class);
        await("the new snapshot").atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                "SELECT count() FROM bronze.customer WHERE _op = 'r' AND _run_id = 'cdc-" + generation + "'"))
                .isEqualTo(customers));
        // The last test: no slot left behind to keep WAL on the test stack.
        assertThat(operator().postForObject("/api/cdc/slot/drop", null, Map.class)).containsEntry("dropped", true);
    }

    /** Every change is in bronze once: one row per key and position. */
    private void assertNoDoubles() {
        for (SourceTable table : TABLES.tables()) {
            assertThat(count("SELECT count() FROM (SELECT " + table.keyExpression() + ", _run_id, _lsn, _change_lsn, "
                    + "count() AS n FROM " + table.bronzeTable() + " GROUP BY ALL HAVING n > 1)"))
                    .as("doubles in %s", table.bronzeTable()).isZero();
        }
    }

    /** A check's result for one table in the run's quality results (empty when the check did not run). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> quality(Map<String, Object> run, String check, String table) {
        return ((List<Map<String, Object>>) run.get("quality")).stream()
                .filter(q -> check.equals(q.get("check_name")) && table.equals(q.get("target"))).findFirst()
                .orElse(Map.of());
    }

    private List<String> monthly(String counts) {
        return warehouse.queryForList("SELECT concat(toString(film_id), ' ', toString(month_end), ' ', "
                + "toString(rentals)) AS row FROM (" + counts + ") ORDER BY row", String.class);
    }

    private long count(String sql) {
        Long n = warehouse.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static String ids(List<Long> ids) {
        return ids.toString().replaceAll("[\\[\\] ]", "");
    }

    private TestRestTemplate operator() {
        return http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
    }
}
