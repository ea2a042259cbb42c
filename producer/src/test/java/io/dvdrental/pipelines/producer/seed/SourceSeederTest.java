package io.dvdrental.pipelines.producer.seed;

import io.dvdrental.pipelines.producer.TestDatabase;
import io.dvdrental.pipelines.producer.live.LiveActivity;
import io.dvdrental.pipelines.producer.live.LiveOperation;
import io.dvdrental.pipelines.producer.live.LiveStats;
import io.dvdrental.pipelines.producer.source.SourceSchema;
import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.junit.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Migrates and seeds a fresh database on the real local PostgreSQL once, then checks it and live mode on it. */
@ExtendWith(RealServices.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceSeederTest {

    private static TestDatabase db;
    private static SeedReport report;
    /** What the load reported as it went: table, rows, done. */
    private static final List<String> heard = new ArrayList<>();

    @BeforeAll
    static void migrateAndSeed(LocalStack stack) throws SQLException {
        db = TestDatabase.create(stack);
        assertThat(SourceSchema.migrate(db.url(), db.username(), null)).isEqualTo(2);
        assertThat(SourceSchema.migrate(db.dataSource())).isZero();
        report = SourceSeeder.seed(db.dataSource(), new SeedPlan(42, 1), SourceSeeder.WhenNotEmpty.SKIP,
                (table, rows, elapsed, stage) -> heard.add(table + " " + rows + " " + stage));
    }

    @AfterAll
    static void drop() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void loadsTheSampleSizedDataSet() throws SQLException {
        assertThat(report.skipped()).isFalse();
        Map<String, Integer> exact = Map.of("film", 1000, "category", 16, "country", 109, "language", 6, "store", 2,
                "staff", 2, "city", 600, "address", 603, "customer", 599, "inventory", 4581);
        for (var e : exact.entrySet()) {
            assertThat(db.queryLong("SELECT count(*) FROM " + e.getKey())).as(e.getKey()).isEqualTo(e.getValue().longValue());
        }
        assertThat((double) db.queryLong("SELECT count(*) FROM rental")).isCloseTo(16044, within(160.0));
        assertThat((double) db.queryLong("SELECT count(*) FROM payment")).isCloseTo(14596, within(300.0));
        assertThat((double) db.queryLong("SELECT count(*) FROM film_actor")).isCloseTo(5462, within(300.0));
        assertThat(db.queryLong("SELECT count(*) FROM rental WHERE return_date IS NULL")).isBetween(120L, 260L);
        assertThat(report.rowsByTable().get("rental")).isEqualTo(db.queryLong("SELECT count(*) FROM rental"));
        // The film trigger filled the full-text column.
        assertThat(db.queryLong("SELECT count(*) FROM film WHERE fulltext IS NOT NULL AND fulltext <> ''::tsvector"))
                .isEqualTo(1000);
        // The sample's views work on the generated rows.
        assertThat(db.queryLong("SELECT count(*) FROM sales_by_store")).isEqualTo(2);
    }

    @Test
    @Order(1)
    void everyTableIsReportedOnceLoadedWithItsRows() {
        assertThat(heard).containsExactlyElementsOf(report.rowsByTable().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + " LOADED").toList()).hasSize(15);
    }

    @Test
    @Order(1)
    void aLargeTableIsReportedWhileItsRowsAreSent() throws SQLException {
        List<String> reports = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection()) {
            connection.createStatement().execute("CREATE TABLE public.progress_probe (n int)");
            new CopyTableSink(connection, (table, rows, elapsed, stage) -> reports.add(rows + " " + stage), 1000,
                    Duration.ofSeconds(1)).load("progress_probe", List.of("n"), writer -> {
                        for (int i = 0; i < 2500; i++) {
                            writer.row(i);
                        }
                    });
        }
        assertThat(reports).containsExactly("1000 SENDING", "2000 SENDING", "2500 LOADED");
    }

    @Test
    @Order(1)
    void theChecksPostgreSqlRunsAtTheEndOfACopyAreReportedNotSilent() throws SQLException {
        // Row triggers after a COPY run when it ends (foreign keys are such triggers): here 4 s of them.
        db.execute("CREATE TABLE public.checked_probe (n int)");
        db.execute("CREATE FUNCTION public.slow_check() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(0.1); RETURN NULL; END $$");
        db.execute("CREATE TRIGGER slow_check AFTER INSERT ON public.checked_probe FOR EACH ROW "
                + "EXECUTE FUNCTION public.slow_check()");
        List<LoadProgress.Stage> stages = Collections.synchronizedList(new ArrayList<>());
        try (Connection connection = db.dataSource().getConnection()) {
            new CopyTableSink(connection, (table, rows, elapsed, stage) -> stages.add(stage), 1000,
                    Duration.ofSeconds(1)).load("checked_probe", List.of("n"), writer -> {
                        for (int i = 0; i < 40; i++) {
                            writer.row(i);
                        }
                    });
        }
        assertThat(stages).last().isEqualTo(LoadProgress.Stage.LOADED);
        assertThat(stages).as("reports while PostgreSQL checks the sent rows").contains(LoadProgress.Stage.CHECKING);
    }

    @Test
    @Order(2)
    void foreignKeysAreEnforced() {
        assertThatThrownBy(() -> db.execute(
                "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) VALUES (now(), 999999, 1, 1)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("foreign key");
    }

    @Test
    @Order(3)
    void sequencesContinueAfterTheLoadedRows() throws SQLException {
        long maxRental = db.queryLong("SELECT max(rental_id) FROM rental");
        long newId = db.queryLong("INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) "
                + "VALUES (now(), 1, 1, 1) RETURNING rental_id");
        // Greater, not next: a failed insert in another test may have taken a value.
        assertThat(newId).isGreaterThan(maxRental);
        long newCustomer = db.queryLong("INSERT INTO customer (store_id, first_name, last_name, address_id) "
                + "VALUES (1, 'NEW', 'CUSTOMER', 5) RETURNING customer_id");
        assertThat(newCustomer).isGreaterThan(599);
        db.execute("DELETE FROM rental WHERE rental_id = " + newId);
        db.execute("DELETE FROM customer WHERE customer_id = " + newCustomer);
    }

    @Test
    @Order(4)
    void seedingAgainWithIfEmptyAddsNothing() throws SQLException {
        long rentals = db.queryLong("SELECT count(*) FROM rental");
        SeedReport again = SourceSeeder.seed(db.dataSource(), new SeedPlan(42, 1), SourceSeeder.WhenNotEmpty.SKIP);
        assertThat(again.skipped()).isTrue();
        assertThat(db.queryLong("SELECT count(*) FROM rental")).isEqualTo(rentals);
        assertThatThrownBy(() -> SourceSeeder.seed(db.dataSource(), new SeedPlan(42, 1), SourceSeeder.WhenNotEmpty.FAIL))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Order(5)
    void updatesBumpLastUpdate() throws SQLException {
        db.execute("UPDATE customer SET email = 'moved@example.org' WHERE customer_id = 7");
        assertThat(db.queryLong("SELECT count(*) FROM customer WHERE customer_id = 7 "
                + "AND last_update > now() - interval '1 minute'")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void liveActivityChangesTheCountsItReports() throws SQLException {
        long rentals = db.queryLong("SELECT count(*) FROM rental");
        long open = db.queryLong("SELECT count(*) FROM rental WHERE return_date IS NULL");
        long payments = db.queryLong("SELECT count(*) FROM payment");

        LiveStats stats = new LiveActivity(db.dataSource(), 42).perform(200);

        assertThat(stats.total() + stats.skipped()).isEqualTo(200);
        assertThat(stats.done(LiveOperation.RENTAL)).isPositive();
        assertThat(stats.done(LiveOperation.RETURN)).isPositive();
        assertThat(stats.done(LiveOperation.ADDRESS_CHANGE)).isPositive();
        assertThat(db.queryLong("SELECT count(*) FROM rental")).isEqualTo(rentals + stats.done(LiveOperation.RENTAL));
        assertThat(db.queryLong("SELECT count(*) FROM rental WHERE return_date IS NULL"))
                .isEqualTo(open + stats.done(LiveOperation.RENTAL) - stats.done(LiveOperation.RETURN));
        assertThat(db.queryLong("SELECT count(*) FROM payment")).isEqualTo(payments + stats.done(LiveOperation.PAYMENT));
        assertThat(db.queryLong("SELECT count(*) FROM customer WHERE last_update > now() - interval '1 minute'"))
                .isBetween(1L, stats.done(LiveOperation.ADDRESS_CHANGE) + 1);
    }
}
