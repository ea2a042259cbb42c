package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.transforms.batch.Watermark;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The batch pipeline's record in the state database: runs (one at a time in the cluster, each held by its
 * {@link RunHold}), steps, data-quality results, watermarks and when each warehouse node last changed. A run that lost
 * its hold records nothing more. {@link StepRecorder} keeps the steps' books through it; {@link BatchRunQueries}
 * reads runs for the API.
 */
@Component
public class RunLog {

    /** A run is already in progress somewhere in the cluster. */
    public static class RunInProgressException extends RuntimeException {
        public RunInProgressException(String message) {
            super(message);
        }
    }

    /**
     * @param rowCount    its rows when last checked (null when not counted)
     * @param fingerprint the model SQL the node was last built with (null for bronze)
     */
    public record NodeState(Instant checkedAt, Instant changedAt, Long rowCount, String fingerprint) {
    }

    /** A data-quality result as recorded. */
    public record QualityResult(String runId, String severity, String status, String observed, Instant checkedAt) {
    }

    private record Outcome(String state, String error) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** How often the runs executing here check their hold, and ends not yet recorded are retried. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final JdbcTemplate state;
    private final ConnectionProperties.Jdbc stateConnection;

    private final Map<String, BatchRun> executing = new ConcurrentHashMap<>();
    /** Ends that could not be written (state database away); written once it is back. */
    private final Map<String, Outcome> unrecorded = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "batch-run-checks");
        thread.setDaemon(true);
        return thread;
    });

    public RunLog(JdbcTemplate state, ConnectionProperties connections) {
        this.state = state;
        this.stateConnection = connections.state();
        checks.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A run still executing here at shutdown gives up its hold: it stops, and the next start takes over. */
    @PreDestroy
    void stop() {
        checks.shutdownNow();
        executing.values().forEach(run -> run.hold().close());
    }

    private void check() {
        unrecorded.forEach((runId, outcome) -> {
            try {
                boolean written = record(runId, outcome);
                unrecorded.remove(runId);
                LOG.info("Batch run {} ended {}; {} now that the state database is back", runId, outcome.state(),
                        written ? "recorded" : "not recorded, another start had abandoned it");
            } catch (RuntimeException e) {
                LOG.warn("Still cannot record the end of batch run {}: {}", runId, e.getMessage());
            }
        });
        for (BatchRun run : executing.values()) {
            if (!run.hold().lost()) {
                try {
                    run.hold().verify();
                } catch (RunHold.LostException e) {
                    LOG.error(e.getMessage());
                }
            }
        }
    }

    /**
     * Records a new RUNNING run holding the run lock; fails with {@link RunInProgressException} while another run
     * holds it, anywhere in the cluster. A RUNNING run left behind by a server that no longer holds the lock (killed,
     * crashed, cut off) is abandoned first, so the next run resumes from the watermarks. A live run is never
     * abandoned, however long it takes.
     */
    public BatchRun start(BatchRun.Request request) {
        String id = RUN_ID_TIME.format(LocalDateTime.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
        RunHold hold;
        try {
            hold = RunHold.tryAcquire(stateConnection, id).orElseThrow(() -> new RunInProgressException(
                    state.queryForList("SELECT run_id FROM batch_run WHERE state = 'RUNNING'", String.class).stream()
                            .findFirst().map(running -> "Batch run " + running + " is in progress")
                            .orElse("Another batch run is starting")));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the state database to take the run lock: " + e.getMessage(),
                    e);
        }
        try {
            hold.onSession(session -> {
                session.update("UPDATE batch_run SET state = 'ABANDONED', finished_at = clock_timestamp(), error = "
                        + "'its server stopped: it no longer held the run lock' WHERE state = 'RUNNING'");
                return session.update("INSERT INTO batch_run (run_id, trigger, mode, scope, tables, range_from, "
                        + "range_to, state) VALUES (?, ?, ?, ?, ?, ?, ?, 'RUNNING')", id, request.trigger(),
                        request.mode().name(), request.scope().name(), String.join(",", request.tables()),
                        timestamp(request.from()), timestamp(request.to()));
            });
        } catch (RuntimeException e) {
            hold.close();
            throw e;
        }
        BatchRun run = new BatchRun(id, request, hold);
        executing.put(id, run);
        return run;
    }

    /**
     * Records the end of a run and gives up its hold. When the state database is away (the likely reason the run
     * failed), the end is kept and written once the database is back, so the run never stays RUNNING.
     */
    public void finish(BatchRun run, String error) {
        List<String> failed = run.failedSteps();
        Outcome end = new Outcome(error != null || !failed.isEmpty() ? "FAILED" : "SUCCEEDED",
                error != null ? error : failed.isEmpty() ? null : "failed steps: " + String.join(", ", failed));
        executing.remove(run.id());
        try {
            record(run.id(), end);
        } catch (RuntimeException e) {
            LOG.warn("Cannot record the end of batch run {} ({}) now: {}; retrying every {}", run.id(), end.state(),
                    e.getMessage(), CHECK_EVERY);
            unrecorded.put(run.id(), end);
        } finally {
            run.hold().close();
        }
    }

    /** False when the run is no longer RUNNING: an abandoned run keeps its state, the run that replaced it owns it. */
    private boolean record(String runId, Outcome outcome) {
        return 1 == state.update("UPDATE batch_run SET state = ?, error = ?, finished_at = clock_timestamp() "
                + "WHERE run_id = ? AND state = 'RUNNING'", outcome.state(), outcome.error(), runId);
    }

    /** Moves a table's watermark (after every row read up to it is stored). */
    public void commitWatermark(BatchRun run, String table, Watermark watermark) {
        run.hold().onSession(session -> session.update("INSERT INTO batch_watermark (table_name, cursor_value, "
                + "cursor_key, snapshot_xmin, run_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_name) DO UPDATE SET "
                + "cursor_value = EXCLUDED.cursor_value, cursor_key = EXCLUDED.cursor_key, "
                + "snapshot_xmin = EXCLUDED.snapshot_xmin, run_id = EXCLUDED.run_id, updated_at = clock_timestamp()",
                table, timestamp(watermark.cursor()), watermark.key(), watermark.snapshotXmin(), run.id()));
    }

    /** The step's row, RUNNING; throws {@link RunHold.LostException} when the run lost its hold. */
    void stepStarted(BatchRun run, String step, String kind) {
        run.hold().onSession(session -> session.update("INSERT INTO batch_step (run_id, step, kind, state) "
                + "VALUES (?, ?, ?, 'RUNNING') ON CONFLICT (run_id, step) DO UPDATE SET state = 'RUNNING', "
                + "started_at = clock_timestamp()", run.id(), step, kind));
    }

    /**
     * A step that ended as it started (a model not rebuilt, a step skipped), in one statement: its row, ended.
     * Throws {@link RunHold.LostException} when the run lost its hold.
     */
    void stepDone(BatchRun run, String step, String kind, StepState outcome, String note) {
        run.hold().onSession(session -> session.update("INSERT INTO batch_step (run_id, step, kind, state, error, "
                + "finished_at, duration_ms) VALUES (?, ?, ?, ?, ?, clock_timestamp(), 0) ON CONFLICT (run_id, step) "
                + "DO UPDATE SET state = EXCLUDED.state, rows_read = 0, rows_written = 0, error = EXCLUDED.error, "
                + "started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, duration_ms = 0",
                run.id(), step, kind, outcome.name(), note));
    }

    /** The step's end; answers how long it took. Throws {@link RunHold.LostException} when the run lost its hold. */
    Duration stepEnded(BatchRun run, String step, StepState outcome, long rowsRead, long rowsWritten, String error) {
        Long ms = run.hold().onSession(session -> session.queryForObject("UPDATE batch_step SET state = ?, "
                        + "rows_read = ?, rows_written = ?, error = ?, finished_at = clock_timestamp(), "
                        + "duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint "
                        + "WHERE run_id = ? AND step = ? RETURNING duration_ms", Long.class,
                outcome.name(), rowsRead, rowsWritten, error, run.id(), step));
        return Duration.ofMillis(ms == null ? 0 : ms);
    }

    /** A data-quality result to record. */
    public record NewResult(String check, String target, String severity, String status, String observed,
                            String detail) {
    }

    /** Records a step's results in one batch (a run checks about a hundred). */
    public void qualityResults(BatchRun run, List<NewResult> results) {
        if (results.isEmpty()) {
            return;
        }
        run.hold().onSession(session -> session.batchUpdate("INSERT INTO batch_dq_result (run_id, check_name, "
                + "target, severity, status, observed, detail) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, "
                + "check_name, target) DO UPDATE SET severity = EXCLUDED.severity, status = EXCLUDED.status, "
                + "observed = EXCLUDED.observed, detail = EXCLUDED.detail", results.stream().map(r -> new Object[] {
                        run.id(), r.check(), r.target(), r.severity(), r.status(), r.observed(), r.detail()})
                .toList()));
    }

    /** The results of the latest earlier run that recorded some, by check and target ({@link #resultKey}). */
    public Map<String, QualityResult> lastResults(BatchRun run) {
        Map<String, QualityResult> results = new HashMap<>();
        run.hold().onSession(session -> {
            session.query("SELECT run_id, check_name, target, severity, status, observed, checked_at "
                    + "FROM batch_dq_result WHERE run_id = (SELECT run_id FROM batch_dq_result WHERE run_id <> ? "
                    + "ORDER BY checked_at DESC LIMIT 1)", rs -> {
                results.put(resultKey(rs.getString(2), rs.getString(3)), new QualityResult(rs.getString(1),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
            }, run.id());
            return null;
        });
        return results;
    }

    public static String resultKey(String check, String target) {
        return check + " " + target;
    }

    /** Every table's watermark, by table. */
    public Map<String, Watermark> watermarks(BatchRun run) {
        Map<String, Watermark> marks = new HashMap<>();
        run.hold().onSession(session -> {
            session.query("SELECT table_name, cursor_value, cursor_key, snapshot_xmin FROM batch_watermark", rs -> {
                marks.put(rs.getString(1), new Watermark(rs.getTimestamp(2) == null ? null
                        : rs.getTimestamp(2).toLocalDateTime(), (Long) rs.getObject(3), (Long) rs.getObject(4)));
            });
            return null;
        });
        return marks;
    }

    /**
     * The runs started after {@code since} (this one too), oldest first: the runs whose rows may have reached bronze
     * since then. Runs never overlap, so a run started earlier had stored its rows by then, or stores them again: an
     * extract that did not finish leaves its watermark. Empty when there is none (what changed came from elsewhere)
     * or more than {@value #MAX_RUNS_NAMED} (one IN list per run): then the rows cannot be named by their runs.
     */
    public Optional<List<String>> runsStartedAfter(BatchRun run, Instant since) {
        List<String> runs = run.hold().onSession(session -> session.queryForList("SELECT run_id FROM batch_run "
                + "WHERE started_at > ? ORDER BY started_at", String.class, Timestamp.from(since)));
        return runs.isEmpty() || runs.size() > MAX_RUNS_NAMED ? Optional.empty() : Optional.of(runs);
    }

    static final int MAX_RUNS_NAMED = 1000;

    private static final String NODE_STATE = "SELECT node, checked_at, changed_at, row_count, fingerprint "
            + "FROM batch_node_state";

    /** Every node's state, for steps that compare many at once. */
    public Map<String, NodeState> nodes(BatchRun run) {
        Map<String, NodeState> nodes = new HashMap<>();
        run.hold().onSession(session -> {
            session.query(NODE_STATE, rs -> {
                nodes.put(rs.getString(1), nodeState(rs));
            });
            return null;
        });
        return nodes;
    }

    /** These nodes' states (those recorded), in one read: a step reads its own and its upstreams' at once. */
    public Map<String, NodeState> nodes(BatchRun run, Collection<String> names) {
        Map<String, NodeState> nodes = new HashMap<>();
        run.hold().onSession(session -> {
            session.query(NODE_STATE + " WHERE node IN (" + String.join(", ", Collections.nCopies(names.size(), "?"))
                    + ")", rs -> {
                nodes.put(rs.getString(1), nodeState(rs));
            }, names.toArray());
            return null;
        });
        return nodes;
    }

    public Optional<NodeState> node(BatchRun run, String node) {
        return run.hold().onSession(session -> session.query(NODE_STATE + " WHERE node = ?",
                (rs, i) -> nodeState(rs), node).stream().findFirst());
    }

    /** A row of {@link #NODE_STATE}. */
    private static NodeState nodeState(ResultSet rs) throws SQLException {
        return new NodeState(rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(), (Long) rs.getObject(4),
                rs.getString(5));
    }

    /**
     * Whether any of these nodes changed after {@code since} (or was never recorded), by their states read before
     * ({@link #nodes}). A bronze table changes when a
     * run stores rows in it or quarantines rows on their way to it (its extract), or the capture's count of it grew;
     * a model when its content differs from before. That is enough: bronze is append-only and written only by the extract and the capture, which both mark
     * it, and an extract that failed half-way leaves its watermark, so the next run reads (and marks) those rows again.
     * (ClickHouse's catalogue would also see writes from elsewhere, but its parts change with every background merge,
     * which would rebuild models after every load.)
     */
    public static boolean changedAfter(Map<String, NodeState> states, Collection<String> nodes, Instant since) {
        return nodes.stream().anyMatch(upstream -> changedAfter(Optional.ofNullable(states.get(upstream)), since));
    }

    private static boolean changedAfter(Optional<NodeState> node, Instant since) {
        return node.isEmpty() || node.get().changedAt().isAfter(since);
    }

    /**
     * The node was (re)evaluated now; {@code changed} when its content differs from before. {@code fingerprint}: the
     * model SQL it was built with (null for bronze). Answers its state as recorded.
     */
    public NodeState nodeChecked(BatchRun run, String node, boolean changed, long rows, String checksum,
                                 String fingerprint) {
        return run.hold().onSession(session -> session.queryForObject("INSERT INTO batch_node_state (node, "
                + "checked_at, changed_at, row_count, checksum, fingerprint) "
                + "VALUES (?, clock_timestamp(), clock_timestamp(), ?, ?, ?) ON CONFLICT (node) DO UPDATE SET "
                + "checked_at = EXCLUDED.checked_at, row_count = EXCLUDED.row_count, checksum = EXCLUDED.checksum, "
                + "fingerprint = EXCLUDED.fingerprint" + (changed ? ", changed_at = EXCLUDED.changed_at" : "")
                + " RETURNING node, checked_at, changed_at, row_count, fingerprint", (rs, i) -> nodeState(rs),
                node, rows, checksum, fingerprint));
    }

    private static Timestamp timestamp(LocalDateTime at) {
        return at == null ? null : Timestamp.valueOf(at);
    }
}
