package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.BatchRun;
import io.dvdrental.pipelines.batch.RunLog;
import io.dvdrental.pipelines.batch.StepRecorder;
import io.dvdrental.pipelines.batch.Warehouse;
import io.dvdrental.pipelines.capture.CaptureStatus;
import io.dvdrental.pipelines.capture.ReplicationSlot;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * With capture on, a batch run does not extract: bronze already receives every change. Its extract steps become one
 * wait, until the capture is past its initial snapshot and the slot confirms the source's WAL position at the
 * run's start (bronze then holds every change committed before the run), and each table's step records the rows
 * bronze received since the last run. A capture
 * that waits for a resnapshot skips the steps with the reason; a capture that does not catch up in time fails them.
 */
@Component
public class CaptureCatchUp {

    private final CaptureOperations operations;
    private final CaptureProperties properties;
    private final RunLog runLog;
    private final StepRecorder steps;
    private final Warehouse warehouse;
    private final SourceTables tables;
    private final DataSource source;
    /** Rows per bronze table at the last run of this server (unknown after a restart: the table counts as changed). */
    private final Map<String, Long> lastCounts = new ConcurrentHashMap<>();

    public CaptureCatchUp(CaptureOperations operations, CaptureProperties properties, RunLog runLog, StepRecorder steps,
                          Warehouse warehouse, SourceTables tables, @Qualifier("sourceDataSource") DataSource source) {
        this.operations = operations;
        this.properties = properties;
        this.runLog = runLog;
        this.steps = steps;
        this.warehouse = warehouse;
        this.tables = tables;
        this.source = source;
    }

    /** Replaces the run's extract steps. */
    public void await(Exchange exchange) throws Exception {
        BatchRun run = exchange.getProperty(BatchRun.PROPERTY, BatchRun.class);
        for (String table : run.tables()) {
            steps.start(run, BatchRun.extractStep(table), "capture");
        }
        Optional<String> problem = catchUp(run);
        for (String table : run.tables()) {
            String step = BatchRun.extractStep(table);
            if (problem.isPresent()) {
                steps.finish(run, step, problem.get().startsWith("skipped")
                        ? BatchRun.StepState.SKIPPED : BatchRun.StepState.FAILED, 0, 0, problem.get());
                continue;
            }
            String bronze = tables.get(table).bronzeTable();
            long rows = warehouse.count("SELECT count() FROM " + bronze);
            Long before = lastCounts.put(table, rows);
            long received = before == null ? rows : Math.max(0, rows - before);
            runLog.nodeChecked(run, bronze, before == null || rows != before, rows, null, null);
            steps.finish(run, step, BatchRun.StepState.SUCCEEDED, received, received, null);
        }
    }

    /**
     * Whether bronze holds every change committed up to {@code target}: the slot confirmed it (it confirms a position
     * once bronze stored the changes up to it) and the capture is past its initial snapshot. While the tables are read
     * (or the capture starts, and may read them next), the slot stays where it was created, which an idle source's WAL
     * may not have passed: it says nothing then about what bronze holds.
     */
    static boolean caughtUp(Optional<CaptureStatus.State> state, long confirmedLsn, long target) {
        boolean snapshotting = state.filter(s -> s == CaptureStatus.State.STARTING || s == CaptureStatus.State.SNAPSHOT)
                .isPresent();
        return !snapshotting && confirmedLsn >= target;
    }

    /** Empty once bronze holds the source's changes up to now (noted on the run); else why not. */
    private Optional<String> catchUp(BatchRun run) throws Exception {
        Optional<CaptureStatus.View> status = operations.status();
        if (status.isPresent() && status.get().state() == CaptureStatus.State.NEEDS_RESNAPSHOT) {
            return Optional.of("skipped: the capture waits for a resnapshot: " + status.get().error());
        }
        long deadline = System.nanoTime() + properties.catchUpTimeout().toNanos();
        long target;
        // Taken before the position is read: every change committed before this moment is at or below it.
        Instant asOf = Instant.now();
        try (Connection c = source.getConnection()) {
            target = ReplicationSlot.currentLsn(c);
        }
        while (true) {
            Optional<ReplicationSlot> slot = operations.slot();
            Optional<CaptureStatus.State> state = operations.status().map(CaptureStatus.View::state);
            if (slot.isPresent() && caughtUp(state, slot.get().confirmedLsn(), target)) {
                run.sourceHeldAt(asOf);
                return Optional.empty();
            }
            if (System.nanoTime() > deadline) {
                return Optional.of("bronze did not catch up with the source's WAL position "
                        + ReplicationSlot.format(target) + " within " + properties.catchUpTimeout() + " (slot "
                        + properties.slot() + slot.map(s -> " confirmed " + ReplicationSlot.format(s.confirmedLsn()))
                        .orElse(" does not exist") + "; capture " + status.map(s -> s.state().name()).orElse("?")
                        + ")");
            }
            Thread.sleep(200);
        }
    }
}
