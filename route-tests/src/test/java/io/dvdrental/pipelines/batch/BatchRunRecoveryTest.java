package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.support.RealServicesTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run whose server was killed (kill -9: no end, no more heartbeats) must not block the next run until
 * dvd.batch.run-timeout; a run whose server is alive still does.
 */
@RealServicesTest
class BatchRunRecoveryTest {

    private static final String KILLED = "19990101000000-killed01";
    private static final String ALIVE = "19990101000000-alive001";

    @Autowired
    RunLog runLog;

    @Autowired
    JdbcTemplate state;

    @AfterEach
    void cleanUp() {
        state.update("DELETE FROM batch_step WHERE run_id IN (?, ?)", KILLED, ALIVE);
        state.update("DELETE FROM batch_run WHERE run_id IN (?, ?)", KILLED, ALIVE);
        state.update("UPDATE batch_run SET state = 'ABANDONED' WHERE state = 'RUNNING'");
    }

    private BatchRun.Request dimDate() {
        return new BatchRun.Request("test", BatchRun.Mode.INCREMENTAL, BatchRun.Scope.DIM_DATE, List.of(), null, null);
    }

    private void running(String runId, String heartbeatAgo) {
        state.update("UPDATE batch_run SET state = 'ABANDONED' WHERE state = 'RUNNING'");
        state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, tables, state, started_at, heartbeat_at) "
                + "VALUES (?, 'test', 'INCREMENTAL', 'ALL', '', 'RUNNING', clock_timestamp() - interval '10 minutes', "
                + "clock_timestamp() - ?::interval)", runId, heartbeatAgo);
    }

    @Test
    void aRunWhoseServerStoppedBeatingIsAbandonedByTheNextStart() {
        running(KILLED, "5 minutes");

        BatchRun next = runLog.start(dimDate());
        runLog.finish(next, null);

        assertThat(state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, KILLED))
                .isEqualTo("ABANDONED");
        assertThat(state.queryForObject("SELECT error FROM batch_run WHERE run_id = ?", String.class, KILLED))
                .startsWith("its server stopped: no heartbeat since");
        assertThat(state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, next.id()))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void aRunThatStillBeatsKeepsTheNextOneOut() {
        running(ALIVE, "5 seconds");

        assertThatThrownBy(() -> runLog.start(dimDate()))
                .isInstanceOf(RunLog.RunInProgressException.class)
                .hasMessageContaining(ALIVE);
        assertThat(state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, ALIVE))
                .isEqualTo("RUNNING");
    }

    @Test
    void aRunAbandonedWhileItsServerWasSilentKeepsThatStateWhenItEnds() {
        // Its server was stalled past the heartbeat deadline (a long pause), not killed: it ends the run later.
        running(KILLED, "1 minute");

        BatchRun next = runLog.start(dimDate());
        runLog.finish(new BatchRun(KILLED, dimDate()), null);
        runLog.finish(next, null);

        assertThat(state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, KILLED))
                .isEqualTo("ABANDONED");
        assertThat(state.queryForObject("SELECT state FROM batch_run WHERE run_id = ?", String.class, next.id()))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void theExecutingServerKeepsItsRunAlive() throws Exception {
        BatchRun run = runLog.start(dimDate());
        try {
            state.update("UPDATE batch_run SET heartbeat_at = clock_timestamp() - interval '1 hour' WHERE run_id = ?",
                    run.id());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    Boolean.TRUE.equals(state.queryForObject("SELECT heartbeat_at > clock_timestamp() - interval "
                            + "'1 minute' FROM batch_run WHERE run_id = ?", Boolean.class, run.id())));
        } finally {
            runLog.finish(run, null);
        }
    }
}
