package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.Model;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs models in graph order, each once those it depends on have ended, independent ones side by side. A model whose
 * upstream step failed (or was skipped) is skipped with the reason. A model is rebuilt when an upstream changed since
 * it was last checked ({@link RunLog#changedAfter}), when its SQL changed, or in a full run (else its step is
 * UNCHANGED, "not rebuilt"); it is built into a staging table and swapped
 * in atomically ({@code EXCHANGE TABLES}) only when its content (row count and checksum) differs, so a rerun over
 * unchanged data writes nothing. An incremental model ({@link Model.Materialized#INCREMENTAL}) whose only changed
 * upstreams are incremental models with its unique key rebuilds the rows of their changed keys only; rebuilt whole,
 * it notes which keys' rows changed, for its dependants.
 */
@Component
public class ModelRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRunner.class);

    public static final String DIM_DATE = "gold.dim_date";

    private final ModelGraph graph;
    private final SourceTables tables;
    private final Warehouse warehouse;
    private final RunLog runLog;
    private final StepRecorder steps;
    private final BatchProperties properties;
    /** A model's columns by its fingerprint: the same SQL gives the same columns (a statement saved per build). */
    private final Map<String, List<Warehouse.Column>> columns = new ConcurrentHashMap<>();
    /** The threads models are built on ({@code dvd.batch.model-parallelism}). */
    private final Executor builders;

    public ModelRunner(ModelGraph graph, SourceTables tables, Warehouse warehouse, RunLog runLog, StepRecorder steps,
                       BatchProperties properties) {
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory named = r -> {
            Thread thread = new Thread(r, "batch-model-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        // Never shut down: a layer waits for every model it hands over, and a pool that refused one (shut down while
        // a run stops) would leave it waiting; idle threads end after a minute instead.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(properties.modelParallelism(), properties.modelParallelism(),
                1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), named);
        pool.allowCoreThreadTimeOut(true);
        this.builders = pool;
        this.graph = graph;
        this.tables = tables;
        this.warehouse = warehouse;
        this.runLog = runLog;
        this.steps = steps;
        this.properties = properties;
    }

    public void runSilver(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.layer("silver"));
    }

    public void runGold(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.layer("gold"));
    }

    /** dim_date has no upstream: its own schedule rebuilds it and then whatever depends on it. */
    public void runDimDateChain(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        run(run, graph.withDownstream(List.of(DIM_DATE)));
    }

    /**
     * Runs these models (in graph order), each once the ones it depends on among them have ended, up to
     * {@code dvd.batch.model-parallelism} at a time: independent models overlap (SF=100, an incremental run: the
     * payments' check beside the rentals' rebuild, the monthly counts beside the report).
     */
    void run(BatchRun run, List<String> models) {
        // Read once: only a model's own build creates its table.
        Set<String> existing = Set.copyOf(warehouse.tables(models.stream()
                .map(name -> name.substring(0, name.indexOf('.'))).distinct().toArray(String[]::new)));
        // Read once: the models' states and their upstreams'; only this run changes them now, as it checks each model.
        Map<String, RunLog.NodeState> states = new ConcurrentHashMap<>(runLog.nodes(run, models.stream()
                .flatMap(name -> Stream.concat(Stream.of(name), graph.model(name).dependsOn().stream()))
                .collect(Collectors.toSet())));
        Map<String, CompletableFuture<Void>> ends = new HashMap<>();
        for (String name : models) {
            CompletableFuture<?>[] upstreams = graph.model(name).dependsOn().stream().map(ends::get)
                    .filter(Objects::nonNull).toArray(CompletableFuture[]::new);
            ends.put(name, CompletableFuture.allOf(upstreams)
                    .thenRunAsync(() -> run(run, graph.model(name), existing, states), builders));
        }
        try {
            CompletableFuture.allOf(ends.values().toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            // Only a lost hold ends a model's step without recording it: the run stops.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private void run(BatchRun run, Model model, Set<String> existing, Map<String, RunLog.NodeState> states) {
        String name = model.name();
        Optional<String> blocked = steps.blockedBy(run, model.dependsOn());
        if (blocked.isPresent()) {
            steps.skip(run, name, "model", blocked.get());
            return;
        }
        if (existing.contains(name) && states.containsKey(name) && upToDate(model, states.get(name), states, run)) {
            steps.done(run, name, "model", StepState.UNCHANGED, NOT_REBUILT);
            return;
        }
        steps.start(run, name, "model");
        try {
            Outcome outcome = build(model, existing.contains(name), states, run);
            steps.finish(run, name, outcome.changed() ? StepState.SUCCEEDED : StepState.UNCHANGED,
                    outcome.rowsRead(), outcome.changed() ? outcome.rowsWritten() : 0, outcome.note());
        } catch (RunHold.LostException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Model {} failed in run {}: {}", name, run.id(), e.getMessage());
            steps.fail(run, name, e, 0, 0);
        }
    }

    /** @param note why an unchanged model was not swapped in (null for a changed one) */
    record Outcome(boolean changed, long rowsRead, long rowsWritten, String note) {
    }

    static final String NOT_REBUILT = "not rebuilt: its upstreams and SQL did not change since it was built";
    static final String SAME_CONTENT = "rebuilt: same content";
    private static final String STAGING = "__staging";
    /** An incremental model's keys whose rows changed in the run that last changed it. */
    private static final String CHANGES = "__changes";
    /** The rebuilt rows of the keys an incremental model looks at. */
    private static final String DELTA = "__delta";
    /** The keys whose rows an incremental model rebuilds (some may come out the same). */
    private static final String LOOKED = "__looked";
    /** An incremental model's rows of its changed keys as they were before the run replaced them. */
    private static final String BEFORE = "__before";

    /** Builds a model that is not up to date; {@code states}: the nodes' states, the model's own kept current. */
    private Outcome build(Model model, boolean exists, Map<String, RunLog.NodeState> states, BatchRun run) {
        Optional<RunLog.NodeState> self = Optional.ofNullable(states.get(model.name()));
        if (model.materialized() == Model.Materialized.VIEW) {
            run.hold().verify();
            warehouse.execute("CREATE OR REPLACE VIEW " + model.name() + " AS " + model.select());
            checked(states, run, model, true, 0, null);
            return new Outcome(true, 0, 0, null);
        }
        Optional<String> keys = exists ? self.flatMap(s -> keysToRebuild(model, s, states, run)) : Optional.empty();
        if (keys.isPresent()) {
            return rebuildKeys(model, self.get(), keys.get(), states, run);
        }
        String staging = model.name() + STAGING;
        create(staging, model, model.select());
        Warehouse.Checksum built = warehouse.checksum(staging);
        boolean sameSql = self.isPresent() && model.fingerprint().equals(self.get().fingerprint());
        // Which keys changed matters to the dependants of an incremental run only (a full run rebuilds them whole).
        boolean incremental = model.materialized() == Model.Materialized.INCREMENTAL && exists && sameSql
                && run.mode() != BatchRun.Mode.FULL;
        // An incremental model's table built from other SQL may lack the rows' hashes: swapped in whatever it holds.
        boolean comparable = model.materialized() != Model.Materialized.INCREMENTAL || sameSql;
        if (exists && comparable && (incremental ? noteChangedKeys(model, staging) == 0
                : built.equals(warehouse.checksum(model.name())))) {
            warehouse.execute("DROP TABLE " + staging);
            checked(states, run, model, false, built.rows(), built.hash());
            return new Outcome(false, built.rows(), 0, SAME_CONTENT);
        }
        swapIn(staging, model.name(), exists, run);
        if (incremental) {
            run.changedKeys(model.name(), new BatchRun.ChangedKeys(model.name() + CHANGES, model.uniqueKey(),
                    self.get().changedAt(), null));
        }
        checked(states, run, model, true, built.rows(), built.hash());
        return new Outcome(true, built.rows(), built.rows(), null);
    }

    /** Records the model as checked now, and keeps its state as recorded for the models after it. */
    private void checked(Map<String, RunLog.NodeState> states, BatchRun run, Model model, boolean changed, long rows,
                         String checksum) {
        states.put(model.name(), runLog.nodeChecked(run, model.name(), changed, rows, checksum, model.fingerprint()));
    }

    /** The swap is what another run would collide with: only while this run holds the run lock. */
    private void swapIn(String staging, String table, boolean exists, BatchRun run) {
        run.hold().verify();
        if (exists) {
            warehouse.execute("EXCHANGE TABLES " + staging + " AND " + table);
            warehouse.execute("DROP TABLE " + staging);
        } else {
            warehouse.execute("RENAME TABLE " + staging + " TO " + table);
        }
    }

    /**
     * Builds the model's table from this SELECT (the model's, or its rows of some keys); an incremental model's with
     * its rows' hashes ({@link Model#ROW_HASH}, computed as they are inserted), in the same statement: its columns
     * declared as the model's SQL gives them.
     */
    private void create(String table, Model model, String select) {
        if (model.materialized() != Model.Materialized.INCREMENTAL) {
            recreate(table, "ORDER BY (" + model.orderBy() + ") AS " + select);
            return;
        }
        List<Warehouse.Column> declared = columns.computeIfAbsent(model.fingerprint(),
                fingerprint -> warehouse.columns(model.select()));
        recreate(table + " (" + declared.stream().map(c -> c.name() + " " + c.type())
                .collect(Collectors.joining(", ")) + ", " + Model.ROW_HASH + " UInt64 MATERIALIZED cityHash64(tuple("
                + declared.stream().map(Warehouse.Column::name).collect(Collectors.joining(", ")) + ")))",
                "ORDER BY (" + model.orderBy() + ") AS " + select);
    }

    /** One statement: a table left by a run that stopped half-way is replaced. Answers the rows it was filled with. */
    private long recreate(String table, String definition) {
        return warehouse.write("CREATE OR REPLACE TABLE " + table + " ENGINE = MergeTree " + definition);
    }

    /**
     * Notes in {@code <model>__changes} the keys whose rows differ between the model's table and its rebuild (new,
     * gone or changed), for its dependants; answers how many.
     */
    private long noteChangedKeys(Model model, String staging) {
        return noteChangedKeys(model, staging, "1").keys();
    }

    /**
     * The keys whose rows differ ({@link #noteChangedKeys(Model, String)}), and their rows in the rebuild and in the
     * table, when the rebuild holds the rows that meet {@code condition} only.
     */
    private record Changes(long keys, long rebuilt, long replaced) {
    }

    private Changes noteChangedKeys(Model model, String rebuilt, String condition) {
        String key = String.join(", ", model.uniqueKey());
        String row = Model.ROW_HASH;
        // Each key's rows counted on both sides as it is noted: no count of either table afterwards.
        recreate(model.name() + CHANGES, "ORDER BY (" + key + ") AS SELECT " + key + ", countIf(rebuilt) AS "
                + REBUILT_ROWS + ", countIf(NOT rebuilt) AS " + REPLACED_ROWS + " FROM (SELECT " + key + ", " + row
                + ", 1 AS rebuilt FROM " + rebuilt + " UNION ALL SELECT " + key + ", " + row + ", 0 FROM "
                + model.name() + " WHERE " + condition + ") GROUP BY " + key + " HAVING count() != 2 OR min(" + row
                + ") != max(" + row + ")");
        List<Long> counts = warehouse.counts("SELECT count(), sum(" + REBUILT_ROWS + "), sum(" + REPLACED_ROWS
                + ") FROM " + model.name() + CHANGES);
        return new Changes(counts.get(0), counts.get(1), counts.get(2));
    }

    private static final String REBUILT_ROWS = "_rebuilt_rows";
    private static final String REPLACED_ROWS = "_replaced_rows";

    /**
     * The keys whose rows an incremental model rebuilds, as a subquery, when it can rebuild only those: no full run,
     * its SQL unchanged, and each upstream that changed since it was built names the keys it changed. An incremental
     * model with the same unique key names them when it changed in this run (noting the keys) and not before since
     * this model was built; a bronze table, by the runs that loaded rows into it since, when it is the model's own
     * table or one that table references ({@link #loadedKeys}; not with change capture: its rows are named by no
     * run). Any other upstream that changed (a dimension the model joins) rebuilds it whole.
     */
    private Optional<String> keysToRebuild(Model model, RunLog.NodeState self, Map<String, RunLog.NodeState> states,
                                           BatchRun run) {
        if (model.materialized() != Model.Materialized.INCREMENTAL || run.mode() == BatchRun.Mode.FULL
                || !model.fingerprint().equals(self.fingerprint())) {
            return Optional.empty();
        }
        List<String> changed = new ArrayList<>();
        for (String upstream : model.dependsOn()) {
            if (!RunLog.changedAfter(states, List.of(upstream), self.checkedAt())) {
                continue;
            }
            Optional<String> keys = graph.isSource(upstream) ? loadedKeys(upstream, model, self, run)
                    : run.changedKeys(upstream).filter(k -> !k.changedBefore().isAfter(self.checkedAt()))
                    .flatMap(k -> k.key().equals(model.uniqueKey())
                            ? Optional.of("SELECT " + String.join(", ", model.uniqueKey()) + " FROM " + k.table())
                            : Optional.ofNullable(k.before()).map(before -> keysAddingUpOtherwise(model, upstream, k)));
            if (keys.isEmpty()) {
                return Optional.empty();
            }
            changed.add(keys.get());
        }
        return changed.isEmpty() ? Optional.empty() : Optional.of(String.join(" UNION ALL ", changed));
    }

    /**
     * The keys of the model's rows that the rows the runs since it was built loaded into this bronze table can
     * change: the model's own table (the bronze upstream with its unique key) names them itself; a table its own
     * table references by foreign keys (which the model filters or joins on), by the rows whose foreign key names a
     * key loaded, or only a key new to bronze when the model reads that table as a set of keys (a filter on known
     * foreign keys: a key known once stays known, bronze being append-only; SF=100, a run that changed 1 % of the
     * rentals: no payment to rebuild instead of 14,634). Empty for any other bronze table, and with change capture.
     */
    private Optional<String> loadedKeys(String bronzeTable, Model model, RunLog.NodeState self, BatchRun run) {
        Optional<SourceTable> own = model.dependsOn().stream().map(this::ofBronze).flatMap(Optional::stream)
                .filter(t -> t.key().equals(model.uniqueKey())).findFirst();
        Optional<SourceTable> loaded = ofBronze(bronzeTable);
        if (own.isEmpty() || loaded.isEmpty() || properties.capture() == BatchProperties.Capture.CDC) {
            return Optional.empty();
        }
        if (own.get().equals(loaded.get())) {
            return runLog.runsStartedAfter(run, self.checkedAt()).map(runs -> own.get().keyColumnsLoadedBy(runs));
        }
        List<String> columns = own.get().references().entrySet().stream()
                .filter(ref -> ref.getValue().equals(loaded.get().name())).map(Map.Entry::getKey).toList();
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        boolean keysOnly = model.readsOnlyKeysOf(loaded.get().bronzeTable(), loaded.get().key());
        return runLog.runsStartedAfter(run, self.checkedAt()).map(runs -> {
            String keys = keysOnly ? loaded.get().keyColumnsNewIn(runs) : loaded.get().keyColumnsLoadedBy(runs);
            return "SELECT " + String.join(", ", model.uniqueKey()) + " FROM " + own.get().bronzeTable() + " WHERE "
                    + columns.stream().map(column -> column + " IN (" + keys + ")").collect(Collectors.joining(" OR "));
        });
    }

    /**
     * The keys of an aggregate (keyed otherwise than its upstream) whose rows the upstream's changed rows add up to
     * differently before and after the change: the model's SELECT over those rows only, as they were and as they
     * are. A rental whose month stayed the same adds up as before; one that moved, was added or went away changes
     * its months' counts. (Right for counts and sums, whose rows are the sums of their parts.)
     */
    private String keysAddingUpOtherwise(Model model, String upstream, BatchRun.ChangedKeys changed) {
        String key = String.join(", ", model.uniqueKey());
        String hashed = "SELECT " + key + ", cityHash64(tuple(*)) AS _row FROM (";
        return "SELECT " + key + " FROM (" + hashed + over(model, upstream, "SELECT * FROM " + changed.before())
                + ") UNION ALL " + hashed + over(model, upstream, "SELECT * FROM " + upstream + " WHERE "
                + changed.rows()) + ")) GROUP BY " + key + " HAVING count() != 2 OR min(_row) != max(_row)";
    }

    /** The model's SELECT with these rows in place of its upstream's table. */
    private static String over(Model model, String upstream, String rows) {
        return model.select().replaceAll("(?<![\\w.])" + Pattern.quote(upstream) + "(?!\\w)",
                Matcher.quoteReplacement("(" + rows + ")"));
    }

    /** Whether a dependant keyed otherwise reads this incremental model: it needs the rows as they were. */
    private boolean readOtherwiseKeyed(Model model) {
        return graph.order().stream().filter(name -> !graph.isSource(name)).map(graph::model)
                .anyMatch(m -> m.materialized() == Model.Materialized.INCREMENTAL
                        && m.dependsOn().contains(model.name()) && !m.uniqueKey().equals(model.uniqueKey()));
    }

    private Optional<SourceTable> ofBronze(String table) {
        return tables.tables().stream().filter(t -> t.bronzeTable().equals(table)).findFirst();
    }

    /**
     * Rebuilds the rows of these keys only: built apart ({@code <model>__delta}) and compared with the table's rows
     * of the same keys; the keys whose rows differ are noted ({@code <model>__changes}, for the dependants) and their
     * rows replaced in place: deleted ({@code DELETE}, which marks them) and inserted again. A reader between the two
     * statements misses those rows (a small share, for well under a second, while the run holds the run lock); a
     * run that fails between them leaves the model's state as it was, so the next run rebuilds the same keys (its
     * upstream's changed rows are named again) or the whole model.
     */
    private Outcome rebuildKeys(Model model, RunLog.NodeState self, String keysSubquery,
                                Map<String, RunLog.NodeState> states, BatchRun run) {
        String key = String.join(", ", model.uniqueKey());
        String looked = model.name() + LOOKED;
        String delta = model.name() + DELTA;
        String ofLooked = "(" + key + ") IN (SELECT " + key + " FROM " + looked + ")";
        long keys = recreate(looked, "ORDER BY (" + key + ") AS SELECT DISTINCT " + key + " FROM (" + keysSubquery
                + ")");
        // None for an aggregate whose changed upstream rows add up as before.
        if (keys > 0) {
            // Not moved to PREWHERE: there, beside a foreign-key filter's IN over a large set, the key filter took
            // seconds (ClickHouse 26.7, SF=100: 3.6 s for 16,044 rentals, 10 s for their payments; 0.3 s without).
            create(delta, model, "SELECT * FROM (" + model.select() + ") WHERE " + ofLooked
                    + " SETTINGS optimize_move_to_prewhere = 0");
        }
        Changes differ = keys > 0 ? noteChangedKeys(model, delta, ofLooked) : new Changes(0, 0, 0);
        // The rows as last counted, and what this run replaces in them (counted again when they never were).
        Optional<Long> before = Optional.ofNullable(self.rowCount());
        if (differ.keys() == 0) {
            warehouse.execute("DROP TABLE IF EXISTS " + looked + ", " + delta);
            checked(states, run, model, false, before.orElseGet(() -> warehouse.count("SELECT count() FROM "
                    + model.name())), null);
            return new Outcome(false, keys, 0, SAME_CONTENT + " (" + keys + " keys looked at)");
        }
        BatchRun.ChangedKeys changed = new BatchRun.ChangedKeys(model.name() + CHANGES, model.uniqueKey(),
                self.changedAt(), readOtherwiseKeyed(model) ? model.name() + BEFORE : null);
        if (changed.before() != null) {
            recreate(changed.before(), "ORDER BY (" + model.orderBy() + ") AS SELECT * FROM " + model.name()
                    + " WHERE " + changed.rows());
        }
        run.hold().verify();
        warehouse.execute("DELETE FROM " + model.name() + " WHERE " + changed.rows());
        warehouse.execute("INSERT INTO " + model.name() + " SELECT * FROM " + delta + " WHERE " + changed.rows());
        warehouse.execute("DROP TABLE " + looked + ", " + delta);
        run.changedKeys(model.name(), changed);
        long rows = before.map(n -> n - differ.replaced() + differ.rebuilt())
                .orElseGet(() -> warehouse.count("SELECT count() FROM " + model.name()));
        checked(states, run, model, true, rows, null);
        return new Outcome(true, keys, differ.rebuilt(), "rebuilt the rows of " + keys + " keys whose upstream rows "
                + "changed" + (differ.keys() < keys ? " (" + differ.keys() + " came out different)" : ""));
    }

    /**
     * Built from this model's SQL after its upstreams last changed, and no full rebuild asked for. A model without
     * upstreams (dim_date, which grows with the calendar) is never up to date.
     */
    private boolean upToDate(Model model, RunLog.NodeState self, Map<String, RunLog.NodeState> states, BatchRun run) {
        return run.mode() != BatchRun.Mode.FULL && !model.dependsOn().isEmpty()
                && model.fingerprint().equals(self.fingerprint())
                && !RunLog.changedAfter(states, model.dependsOn(), self.checkedAt());
    }
}
