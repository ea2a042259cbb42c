package io.dvdrental.pipelines.batch;

import com.zaxxer.hikari.HikariDataSource;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

/**
 * One batch run at a time, and only a dead one is replaced: a run whose server was killed does not block the next
 * run; a live run keeps every other start out however long it takes and however busy its server's state pool is;
 * a run that lost its hold anyway (its state-database session ended) stops and writes nothing more.
 */
@RealServicesTest
class BatchRunRecoveryTest {

    private static final String KILLED = "19990101000000-killed01";
    /**
     * The hold is a state-database session, with no clock in it; starved this long, the run's own checks of its hold
     * ({@link RunLog#CHECK_EVERY}) have run a few times without a free pooled connection.
     */
    private static final Duration STARVED = RunLog.CHECK_EVERY.multipliedBy(3);

    @Autowired
    RunLog runLog;
    @Autowired
    JdbcTemplate state;
    @Autowired
    @Qualifier("stateDataSource")
    DataSource statePool;
    @Autowired
    ConnectionProperties connections;
    @Autowired
    TestRestTemplate http;
    @Autowired
    CamelContext camel;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    @Qualifier("sourceDataSource")
    DataSource sourceDataSource;
    @Value("${dvd.state.url}")
    String stateUrl;
    @Value("${dvd.state.username}")
    String stateUser;
    @Value("${dvd.state.password:}")
    String statePassword;

    private final List<BatchRun> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(run -> runLog.finish(run, null));
        state.update("DELETE FROM batch_step WHERE run_id = ?", KILLED);
        state.update("DELETE FROM batch_run WHERE run_id = ?", KILLED);
        state.update("UPDATE batch_run SET state = 'ABANDONED' WHERE state = 'RUNNING'");
    }

    private BatchRun.Request dimDate() {
        return new BatchRun.Request("test", BatchRun.Mode.INCREMENTAL, BatchRun.Scope.DIM_DATE, List.of(), null, null);
    }

    private BatchRun start(RunLog log) {
        BatchRun run = log.start(dimDate());
        started.add(run);
        return run;
    }

    /** Ends the state-database sessions whose application name matches, as a database restart or a cut would. */
    private void endSessions(String applicationName) {
        state.queryForList("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE ?",
                applicationName);
        await().atMost(Duration.ofSeconds(30)).until(() -> state.queryForObject("SELECT count(*) FROM "
                + "pg_stat_activity WHERE application_name LIKE ?", Long.class, applicationName) == 0);
    }

    private String stateOf(String runId) {
        return state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, runId);
    }

    @Test
    void aRunWhoseServerWasKilledIsAbandonedByTheNextStart() {
        // What a server killed mid-run leaves behind: a RUNNING row, and nobody executing it.
        state.update("UPDATE batch_run SET state = 'ABANDONED' WHERE state = 'RUNNING'");
        state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, tables, state, started_at) "
                + "VALUES (?, 'test', 'INCREMENTAL', 'ALL', '', 'RUNNING', clock_timestamp() - interval '10 minutes')",
                KILLED);

        BatchRun next = start(runLog);

        assertThat(stateOf(KILLED)).isEqualTo("ABANDONED");
        assertThat(state.queryForObject("SELECT error FROM batch_run WHERE run_id = ?", String.class, KILLED))
                .startsWith("its server stopped");
        assertThat(stateOf(next.id())).isEqualTo("RUNNING");
    }

    @Test
    void aLiveRunKeepsTheNextOneOut() {
        BatchRun live = start(runLog);

        assertThatThrownBy(() -> runLog.start(dimDate())).isInstanceOf(RunLog.RunInProgressException.class)
                .hasMessageContaining(live.id());
        assertThat(stateOf(live.id())).isEqualTo("RUNNING");
    }

    @Test
    void aLiveRunOlderThanTheRunTimeoutIsNotAbandoned() {
        BatchRun live = start(runLog);
        state.update("UPDATE batch_run SET started_at = clock_timestamp() - interval '7 hours' WHERE run_id = ?",
                live.id());

        assertThatThrownBy(() -> runLog.start(dimDate())).isInstanceOf(RunLog.RunInProgressException.class)
                .hasMessageContaining(live.id());
        assertThat(stateOf(live.id())).isEqualTo("RUNNING");
    }

    @Test
    void aLiveRunWhoseServerHasNoFreeStateConnectionIsNotAbandonedByAnotherReplica() throws Exception {
        BatchRun live = start(runLog);
        // Another replica of the server: its own state pool, free.
        DriverManagerDataSource otherPool = new DriverManagerDataSource(stateUrl, stateUser, statePassword);
        RunLog otherReplica = new RunLog(new JdbcTemplate(otherPool), connections);
        List<Connection> held = new ArrayList<>();
        try {
            // A flood of readers holds every connection of this server's state pool.
            for (int i = 0; i < ((HikariDataSource) statePool).getMaximumPoolSize(); i++) {
                held.add(statePool.getConnection());
            }
            Thread.sleep(STARVED.toMillis());

            assertThatThrownBy(() -> otherReplica.start(dimDate()))
                    .isInstanceOf(RunLog.RunInProgressException.class).hasMessageContaining(live.id());
        } finally {
            for (Connection c : held) {
                c.close();
            }
            otherReplica.stop();
        }
        assertThat(stateOf(live.id())).isEqualTo("RUNNING");
    }

    @Test
    @SuppressWarnings("rawtypes")
    void aRunThatLostItsHoldStopsAndWritesNothingMore() throws Exception {
        JdbcTemplate ch = warehouse.getJdbcTemplate();
        BatchTestSupport.resetWarehouseAndState(ch, state);
        BatchTestSupport.seedGenerated(sourceDataSource, 41, 0.1);
        try (Connection blocker = DriverManager.getConnection(stateUrl, stateUser, statePassword)) {
            // Holds the run at its first watermark commit: the rows of that table are in bronze by then.
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("LOCK TABLE batch_watermark IN EXCLUSIVE MODE");
            }
            ResponseEntity<Map> answer = BatchTestSupport.operator(http).postForEntity("/api/batch/runs",
                    Map.of("mode", "full"), Map.class);
            assertThat(answer.getStatusCode().value()).isEqualTo(202);
            String lost = (String) answer.getBody().get("runId");
            await().atMost(Duration.ofMinutes(3)).until(() -> state.queryForObject("SELECT count(*) FROM "
                    + "pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO batch_watermark%'",
                    Long.class) > 0);

            // The run loses its hold: the session that held it ends, and another start takes over.
            endSessions("dvd-batch-run %");
            state.update("UPDATE batch_run SET started_at = started_at - interval '7 hours' WHERE run_id = ?", lost);
            BatchRun next = start(runLog);
            Timestamp takenOver = state.queryForObject("SELECT clock_timestamp()::timestamp", Timestamp.class);
            blocker.rollback();

            // Its exchange leaves the route that runs requests once the run has done all it still does.
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> camel.getInflightRepository().size("batch-run-requests") == 0);
            // Whichever came first: the next start abandoned it, or it recorded its own end for the lost hold.
            assertThat(state.queryForMap("SELECT state, error FROM batch_run WHERE run_id = ?", lost)).satisfiesAnyOf(
                    end -> assertThat(end).containsEntry("state", "ABANDONED"),
                    end -> assertThat(end).containsEntry("state", "FAILED").extractingByKey("error", STRING)
                            .contains("lost its hold"));
            assertThat(stateOf(next.id())).isEqualTo("RUNNING");
            assertThat(state.queryForList("SELECT table_name FROM batch_watermark WHERE run_id = ?", String.class,
                    lost)).as("watermarks written by the run that lost its hold").isEmpty();
            assertThat(state.queryForList("SELECT step FROM batch_step WHERE run_id = ? AND started_at > ?",
                    String.class, lost, takenOver)).as("steps started after it lost its hold").isEmpty();
            assertThat(ch.queryForList("SELECT concat(database, '.', name) FROM system.tables WHERE database IN "
                    + "('silver', 'gold') AND name NOT IN ('quarantine', 'batch_freshness')", String.class))
                    .as("models built by the run that lost its hold").isEmpty();
        }
    }

    @Test
    void aRunCutOffFromTheStateDatabaseKeepsItsAbandonedStateWhenItEnds() {
        BatchRun cutOff = start(runLog);
        endSessions("dvd-batch-run " + cutOff.id());
        BatchRun next = start(runLog);

        // Its server was only cut off from the state database, not killed: it ends the run later.
        runLog.finish(cutOff, null);

        assertThat(stateOf(cutOff.id())).isEqualTo("ABANDONED");
        assertThat(state.queryForObject("SELECT error FROM batch_run WHERE run_id = ?", String.class, cutOff.id()))
                .isEqualTo("its server stopped: it no longer held the run lock");
        assertThat(stateOf(next.id())).isEqualTo("RUNNING");
    }
}
