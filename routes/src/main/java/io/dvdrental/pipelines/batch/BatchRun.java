package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.Watermark;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One batch run as it travels through the route chain (exchange property {@link #PROPERTY}): what to do and the state
 * of every step so far, so that a step whose upstream failed is skipped with the reason.
 */
public final class BatchRun {

    public static final String PROPERTY = "batchRun";

    public enum Mode { INCREMENTAL, FULL, BACKFILL }

    /** What the run covers: the whole chain, or dim_date and what depends on it. */
    public enum Scope { ALL, DIM_DATE }

    public enum StepState { RUNNING, SUCCEEDED, UNCHANGED, SKIPPED, FAILED;

        public boolean blocksDependants() {
            return this == SKIPPED || this == FAILED || this == RUNNING;
        }
    }

    public record Request(String trigger, Mode mode, Scope scope, List<String> tables, LocalDateTime from,
                          LocalDateTime to) {
    }

    private final String id;
    private final Request request;
    private final RunHold hold;
    private final Map<String, StepState> steps = new ConcurrentHashMap<>();
    private final Map<String, ChangedKeys> changedKeys = new ConcurrentHashMap<>();
    private volatile Instant sourceHeldAt;
    private Map<String, Watermark> watermarks;
    private volatile CompletableFuture<Map<String, long[]>> sourceCounts;

    BatchRun(String id, Request request, RunHold hold) {
        this.id = id;
        this.request = request;
        this.hold = hold;
    }

    /** The run's hold on the run lock: checked before each step and each swap, and the session of its watermarks. */
    RunHold hold() {
        return hold;
    }

    public String id() {
        return id;
    }

    public Request request() {
        return request;
    }

    public Mode mode() {
        return request.mode();
    }

    public List<String> tables() {
        return request.tables();
    }

    public void step(String step, StepState state) {
        steps.put(step, state);
    }

    public Optional<StepState> step(String step) {
        return Optional.ofNullable(steps.get(step));
    }

    /**
     * With change capture: bronze holds every change the source committed before this moment (the run's catch-up),
     * so the models this run builds hold the source as of then. Empty when the run did not catch up (or extracted).
     */
    public Optional<Instant> sourceHeldAt() {
        return Optional.ofNullable(sourceHeldAt);
    }

    public void sourceHeldAt(Instant at) {
        sourceHeldAt = at;
    }

    /**
     * The watermarks the run's extract starts from, read once (by the first table's read plan): each table's extract
     * moves only its own, after its read.
     */
    synchronized Map<String, Watermark> watermarks(Supplier<Map<String, Watermark>> read) {
        if (watermarks == null) {
            watermarks = Map.copyOf(read.get());
        }
        return watermarks;
    }

    /**
     * The source's counts the quality step reconciles bronze with, by table (rows up to the watermark, rows in all):
     * counted from the end of the extract on, while the warehouse builds the models. Empty when not started.
     */
    Optional<CompletableFuture<Map<String, long[]>>> sourceCounts() {
        return Optional.ofNullable(sourceCounts);
    }

    void sourceCounts(CompletableFuture<Map<String, long[]>> counting) {
        sourceCounts = counting;
    }

    /**
     * The keys whose rows an incremental model changed in this run.
     *
     * @param table         where they are ({@code <model>__changes}), in the columns of {@code key}
     * @param changedBefore when the model had changed before this run: a dependant built after that saw every
     *                      earlier change, and may rebuild the rows of these keys only
     * @param before        the model's rows of these keys as they were before this run ({@code <model>__before}),
     *                      for a dependant keyed otherwise; null when not kept
     */
    public record ChangedKeys(String table, List<String> key, Instant changedBefore, String before) {

        /** A condition on the model's rows: those of these keys. */
        public String rows() {
            String columns = String.join(", ", key);
            return "(" + columns + ") IN (SELECT " + columns + " FROM " + table + ")";
        }
    }

    public void changedKeys(String model, ChangedKeys keys) {
        changedKeys.put(model, keys);
    }

    public Optional<ChangedKeys> changedKeys(String model) {
        return Optional.ofNullable(changedKeys.get(model));
    }

    public boolean anyFailed() {
        return steps.values().stream().anyMatch(s -> s == StepState.FAILED);
    }

    /** The failed steps as this server saw them, by name. */
    public List<String> failedSteps() {
        return steps.entrySet().stream().filter(e -> e.getValue() == StepState.FAILED).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Step name of a source table's extract: what models that read bronze.<table> wait for. */
    public static String extractStep(String table) {
        return "extract:" + table;
    }

    /** The step a warehouse node stands for: bronze.<t> is filled by extract:<t>; a model is its own step. */
    public static String stepOf(String node) {
        return node.startsWith("bronze.") ? extractStep(node.substring("bronze.".length())) : node;
    }
}
