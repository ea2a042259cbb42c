package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The one place that keeps a batch step's books: whether it must be skipped because something it needs failed, its
 * start, its end (succeeded, unchanged, failed with the reason) in the run and in the state database, and the step
 * meters {@code dvd.batch.step.duration} and {@code dvd.batch.step.rows}. A step cannot start once its run lost its
 * hold; an end that comes after that is logged, not recorded.
 */
@Component
public class StepRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(StepRecorder.class);
    private static final int MAX_ERROR = 2000;

    private final RunLog runLog;
    private final MeterRegistry meters;

    public StepRecorder(RunLog runLog, MeterRegistry meters) {
        this.runLog = runLog;
        this.meters = meters;
    }

    /** Why a step that needs these warehouse nodes cannot run (the first whose step blocks it), or empty. */
    public Optional<String> blockedBy(BatchRun run, Collection<String> upstreams) {
        return upstreams.stream()
                .filter(up -> run.step(BatchRun.stepOf(up)).map(StepState::blocksDependants).orElse(false))
                .findFirst()
                .map(up -> "upstream " + up + " " + run.step(BatchRun.stepOf(up)).orElseThrow().name().toLowerCase());
    }

    /** Throws {@link RunHold.LostException} when the run lost its hold: the step must not run. */
    public void start(BatchRun run, String step, String kind) {
        run.step(step, StepState.RUNNING);
        runLog.stepStarted(run, step, kind);
    }

    public void finish(BatchRun run, String step, StepState outcome, long rowsRead, long rowsWritten, String note) {
        end(run, step, outcome, rowsRead, rowsWritten, note);
    }

    public void fail(BatchRun run, String step, Throwable cause, long rowsRead, long rowsWritten) {
        end(run, step, StepState.FAILED, rowsRead, rowsWritten, describe(cause));
    }

    /** A step that does not run, with the reason. */
    public void skip(BatchRun run, String step, String kind, String why) {
        done(run, step, kind, StepState.SKIPPED, why);
    }

    /**
     * A step that ends as it starts, with the reason (a model not rebuilt): one record instead of a start and an end.
     * Throws {@link RunHold.LostException} when the run lost its hold.
     */
    public void done(BatchRun run, String step, String kind, StepState outcome, String note) {
        run.step(step, outcome);
        runLog.stepDone(run, step, kind, outcome, note);
        meter(step, outcome, Duration.ZERO, 0, 0);
    }

    /** What went wrong, as steps and runs record it: the innermost cause's message, bounded. */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
    }

    private void end(BatchRun run, String step, StepState outcome, long rowsRead, long rowsWritten, String note) {
        run.step(step, outcome);
        Duration took;
        try {
            took = runLog.stepEnded(run, step, outcome, rowsRead, rowsWritten, note);
        } catch (RunHold.LostException e) {
            LOG.info("Batch run {}: step {} ended {} after the run lost its hold; not recorded", run.id(), step,
                    outcome);
            return;
        }
        meter(step, outcome, took, rowsRead, rowsWritten);
    }

    private void meter(String step, StepState outcome, Duration took, long rowsRead, long rowsWritten) {
        String kind = step.contains(":") ? step.substring(0, step.indexOf(':')) : step.contains(".") ? "model" : step;
        Timer.builder("dvd.batch.step.duration").tag("kind", kind).tag("step", step).tag("state", outcome.name())
                .register(meters).record(took);
        Counter.builder("dvd.batch.step.rows").tag("kind", kind).tag("step", step).tag("direction", "read")
                .register(meters).increment(rowsRead);
        Counter.builder("dvd.batch.step.rows").tag("kind", kind).tag("step", step).tag("direction", "written")
                .register(meters).increment(rowsWritten);
    }
}
