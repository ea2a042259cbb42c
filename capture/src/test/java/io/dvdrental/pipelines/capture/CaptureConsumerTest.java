package io.dvdrental.pipelines.capture;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The component on a real PostgreSQL (logical replication through pgoutput), with the capture state in memory. */
class CaptureConsumerTest {

    private static EmbeddedPostgres postgres;
    private InMemoryCaptureStore store;
    private CamelContext camel;
    private final List<ChangeRecord> stored = new CopyOnWriteArrayList<>();
    /** Batches to fail before storing, and changes to leave pending at the end of the next batch. */
    private final AtomicInteger failBatches = new AtomicInteger();
    private final AtomicInteger leavePending = new AtomicInteger();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "4").setServerConfig("max_wal_senders", "4").start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void source() throws Exception {
        sql("DROP TABLE IF EXISTS film", "CREATE TABLE film (film_id int PRIMARY KEY, title text)",
                "INSERT INTO film VALUES (3, 'C'), (1, 'A'), (2, 'B')");
        store = new InMemoryCaptureStore();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            ReplicationSlot.drop(c, "test_slot");
        }
    }

    @Test
    void theSnapshotInKeyOrderThenEveryChangeInCommitOrder() throws Exception {
        start();
        await(() -> stored.size() == 3);
        assertThat(stored).extracting(c -> c.key().get("film_id")).containsExactly(1, 2, 3);
        assertThat(stored).allSatisfy(c -> assertThat(c.op()).isEqualTo(ChangeOp.READ));

        sql("INSERT INTO film VALUES (4, 'D')", "UPDATE film SET title = NULL WHERE film_id = 1",
                "DELETE FROM film WHERE film_id = 2");
        await(() -> stored.size() == 6);
        List<ChangeRecord> streamed = stored.subList(3, 6);
        assertThat(streamed).extracting(ChangeRecord::op)
                .containsExactly(ChangeOp.CREATE, ChangeOp.UPDATE, ChangeOp.DELETE);
        assertThat(streamed.get(1).values()).containsEntry("title", null);
        assertThat(streamed.get(2).values()).containsEntry("film_id", 2);
        assertOrdered(stored);
        assertThat(store.state().snapshotLsn()).isEqualTo(stored.get(0).commitLsn());
        assertThat(endpoint().status().state()).isEqualTo(CaptureStatus.State.STREAMING);
    }

    @Test
    void aFailedBatchStopsTheEngineWhichResumesFromTheStoredOffsetWithoutLosingAChange() throws Exception {
        start();
        await(() -> stored.size() == 3);
        failBatches.set(2);
        sql("INSERT INTO film VALUES (4, 'D')", "INSERT INTO film VALUES (5, 'E')");

        await(() -> endpoint().status().view().restarts() >= 2 && stored.size() == 5);
        assertThat(endpoint().status().view().error()).contains("ClickHouse is away");
        assertThat(stored.subList(3, 5)).extracting(c -> c.key().get("film_id")).containsExactly(4, 5);
        assertOrdered(stored);
    }

    @Test
    void changesLeftPendingComeBackFirstAndTheOffsetDoesNotPassThem() throws Exception {
        start();
        await(() -> stored.size() == 3);
        leavePending.set(1);
        sql("INSERT INTO film VALUES (4, 'D')", "INSERT INTO film VALUES (5, 'E')");
        await(() -> stored.stream().anyMatch(c -> c.key().get("film_id").equals(4)));
        // Film 5 waits; a restart now must deliver it again, since its offset was not stored.
        camel.getRouteController().stopRoute("capture");
        assertThat(stored).noneMatch(c -> c.key().get("film_id").equals(5));
        camel.getRouteController().startRoute("capture");

        await(() -> stored.stream().anyMatch(c -> c.key().get("film_id").equals(5)));
        assertThat(stored.stream().filter(c -> !c.snapshot()).map(c -> c.key().get("film_id")))
                .containsExactly(4, 5);
    }

    @Test
    void aMissingSlotWithStoredOffsetsWaitsForAResnapshot() throws Exception {
        start();
        await(() -> stored.size() == 3 && !store.loadOffsets().isEmpty());
        camel.getRouteController().stopRoute("capture");
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            await(() -> drop(c));
        }
        camel.getRouteController().startRoute("capture");

        await(() -> endpoint().status().state() == CaptureStatus.State.NEEDS_RESNAPSHOT);
        assertThat(endpoint().status().view().error()).contains("does not exist but stored offsets remain")
                .contains("POST /api/cdc/resnapshot");

        store.reset("test");
        stored.clear();
        camel.getRouteController().stopRoute("capture");
        camel.getRouteController().startRoute("capture");
        await(() -> stored.size() == 3);
        assertThat(stored).allSatisfy(c -> assertThat(c.op()).isEqualTo(ChangeOp.READ));
    }

    private void start() throws Exception {
        DataSource source = postgres.getPostgresDatabase();
        CaptureSettings settings = new CaptureSettings("test", Map.of("hostname", "localhost",
                "port", String.valueOf(postgres.getPort()), "dbname", "postgres", "user", "postgres",
                "password", "postgres"), source, "test_slot", "test_publication",
                List.of(new CaptureSettings.Table("film", List.of("film_id"))), List.of(), Duration.ofMillis(100),
                100, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(1), store);
        camel = new DefaultCamelContext();
        camel.addComponent(CaptureComponent.SCHEME, new CaptureComponent(settings));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(CaptureComponent.uri("test")).routeId("capture").process(CaptureConsumerTest.this::store);
            }
        });
        camel.start();
    }

    @SuppressWarnings("unchecked")
    private void store(Exchange exchange) {
        List<ChangeRecord> changes = exchange.getMessage().getBody(List.class);
        if (changes.stream().anyMatch(c -> !c.snapshot()) && failBatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("ClickHouse is away");
        }
        int pending = changes.size() > 1 ? leavePending.getAndSet(0) : 0;
        stored.addAll(new ArrayList<>(changes.subList(0, changes.size() - pending)));
        exchange.setProperty(CaptureConstants.PENDING, pending);
    }

    private CaptureEndpoint endpoint() {
        return camel.getEndpoint(CaptureComponent.uri("test"), CaptureEndpoint.class);
    }

    private static boolean drop(Connection c) {
        try {
            return ReplicationSlot.drop(c, "test_slot");
        } catch (SQLException e) {
            return false;
        }
    }

    private static void assertOrdered(List<ChangeRecord> changes) {
        for (int i = 1; i < changes.size(); i++) {
            ChangeRecord a = changes.get(i - 1);
            ChangeRecord b = changes.get(i);
            assertThat(a.commitLsn() < b.commitLsn() || a.commitLsn() == b.commitLsn() && (a.changeLsn() < b.changeLsn()
                    || a.snapshot() && b.snapshot())).as("%s before %s", a, b).isTrue();
        }
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
