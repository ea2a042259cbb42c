package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.SourceTable;

import io.dvdrental.pipelines.transforms.batch.ModelGraph;

import io.dvdrental.pipelines.transforms.batch.DataTest;
import io.dvdrental.pipelines.transforms.batch.Model;
import io.dvdrental.pipelines.transforms.batch.Watermark;

import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Data quality, like the original's dbt tests and source freshness: the tests declared beside each model, row-count
 * reconciliation source -> bronze -> silver, and freshness of each bronze table. Results are kept per run; a failed
 * error-level check fails the step (and with it the run and what depends on it). Also the quarantine of bronze rows
 * whose foreign keys are unknown, which runs before silver.
 */
@Component
public class QualityChecks {

    public static final String QUARANTINE_STEP = "quarantine";
    public static final String QUALITY_STEP = "quality";
    /** The bronze rows the foreign-key quarantine looks at in an incremental run, while it looks at them. */
    private static final String LOOKED_AT = "silver.quarantine__looked_at";

    /** Counts the source while the warehouse builds the models and checks them (one run at a time). */
    private static final Executor SOURCE_COUNTS = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "batch-source-counts");
        thread.setDaemon(true);
        return thread;
    });

    private final ModelGraph graph;
    private final SourceTables tables;
    private final Warehouse warehouse;
    private final RunLog runLog;
    private final StepRecorder steps;
    private final NamedParameterJdbcTemplate source;
    private final BatchProperties properties;

    public QualityChecks(ModelGraph graph, SourceTables tables, Warehouse warehouse, RunLog runLog,
                         StepRecorder steps, @Qualifier("sourceJdbcTemplate") NamedParameterJdbcTemplate source,
                         BatchProperties properties) {
        this.graph = graph;
        this.tables = tables;
        this.warehouse = warehouse;
        this.runLog = runLog;
        this.steps = steps;
        this.source = source;
        this.properties = properties;
    }

    /**
     * Records bronze rows with an unknown foreign key in silver.quarantine (silver models leave them out). A foreign
     * key is looked at again only when its table's or its parent's bronze changed since it was last looked at (or in
     * a full run), and then only at the rows that can have changed their verdict ({@link #keysToLook}). The foreign
     * keys of a table that look at the same rows are counted in one pass, and the quarantined rows they release in
     * one statement.
     */
    public void quarantineOrphans(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        steps.start(run, QUARANTINE_STEP, "quality");
        long found = 0;
        long rowsLooked = 0;
        int looked = 0;
        try {
            // Read once: the step writes only its own nodes, each after reading it.
            Map<String, RunLog.NodeState> nodes = run.mode() == BatchRun.Mode.FULL ? Map.of() : runLog.nodes(run);
            for (SourceTable table : tables.tables()) {
                // The foreign keys to look at (with the tables they reference), by the rows they look at.
                Map<Optional<Keys>, Map<String, SourceTable>> byRows = new LinkedHashMap<>();
                for (Map.Entry<String, String> ref : table.references().entrySet()) {
                    if (extractFailed(run, table.name()) || extractFailed(run, ref.getValue())) {
                        continue;
                    }
                    SourceTable parent = tables.get(ref.getValue());
                    Optional<RunLog.NodeState> last = Optional.ofNullable(nodes.get(orphansNode(table, ref.getKey())));
                    if (last.isPresent() && !RunLog.changedAfter(nodes, List.of(table.bronzeTable(),
                            parent.bronzeTable()), last.get().checkedAt())) {
                        continue;
                    }
                    byRows.computeIfAbsent(last.flatMap(l -> keysToLook(run, table, parent, l, nodes)),
                            k -> new LinkedHashMap<>()).put(ref.getKey(), parent);
                }
                Map<String, Long> orphans = new LinkedHashMap<>();
                for (Map.Entry<Optional<Keys>, Map<String, SourceTable>> rows : byRows.entrySet()) {
                    // Some rows: their keys and foreign keys copied once into a table of their own, which every
                    // foreign key and its parent read.
                    Optional<String> looking = rows.getKey().map(keys -> table.rowsOfKeysLoadedBy(keys.runs())
                            + (keys.quarantinedToo() ? " OR " + table.rowsOfKeys(orphansOf(table)) : ""));
                    looking.ifPresent(condition -> warehouse.execute("CREATE OR REPLACE TABLE " + LOOKED_AT
                            + " ENGINE = Memory AS " + table.rowsToLookAtSql(rows.getValue().keySet(), condition)));
                    String lookedAt = looking.map(condition -> LOOKED_AT).orElse(null);
                    try {
                        List<Long> counts = warehouse.counts(table.orphanCountsSql(rows.getValue(), lookedAt));
                        int column = 0;
                        for (Map.Entry<String, SourceTable> ref : rows.getValue().entrySet()) {
                            long n = counts.get(++column);
                            if (n > 0) {
                                warehouse.execute("INSERT INTO silver.quarantine (table_name, row_key, reason, "
                                        + "raw_row, run_id, detected_at) " + table.orphansSql(ref.getKey(),
                                        ref.getValue(), run.id(), lookedAt));
                            }
                            orphans.put(ref.getKey(), n);
                            found += n;
                            rowsLooked += counts.get(0);
                        }
                    } finally {
                        if (lookedAt != null) {
                            warehouse.execute("DROP TABLE IF EXISTS " + LOOKED_AT);
                        }
                    }
                }
                looked += orphans.size();
                release(run, table, byRows, orphans);
            }
            if (looked == 0) {
                steps.finish(run, QUARANTINE_STEP, StepState.UNCHANGED, 0, 0,
                        "not looked at again: no bronze table changed since");
            } else {
                steps.finish(run, QUARANTINE_STEP, StepState.SUCCEEDED, rowsLooked, found,
                        found > 0 ? found + " rows with unknown foreign keys quarantined" : null);
            }
        } catch (RunHold.LostException e) {
            throw e;
        } catch (RuntimeException e) {
            steps.fail(run, QUARANTINE_STEP, e, rowsLooked, found);
        }
    }

    /**
     * The current orphans of the rows looked at replace the earlier ones: a parent that arrived late releases its
     * children. The earlier ones of all the table's foreign keys looked at are counted in one statement (a DELETE is
     * a mutation even when it finds nothing: asked first). A foreign key that neither found nor released a row is
     * unchanged: the checks reading it are taken over.
     *
     * @param orphans the rows found with each foreign key now (quarantined by this run)
     */
    private void release(BatchRun run, SourceTable table, Map<Optional<Keys>, Map<String, SourceTable>> byRows,
                         Map<String, Long> orphans) {
        if (orphans.isEmpty()) {
            return;
        }
        Map<String, String> earlier = new LinkedHashMap<>();
        byRows.forEach((keys, parents) -> parents.keySet().forEach(column -> earlier.put(column, "startsWith(reason, '"
                + SourceTable.orphanReason(column) + "')" + keys.filter(k -> !k.quarantinedToo())
                .map(k -> " AND row_key IN (" + table.keysLoadedBy(k.runs()) + ")").orElse(""))));
        String ofEarlierRuns = "silver.quarantine WHERE table_name = '" + table.name() + "' AND run_id != '"
                + run.id() + "'";
        List<Long> released = warehouse.counts("SELECT " + earlier.values().stream().map(c -> "countIf(" + c + ")")
                .collect(Collectors.joining(", ")) + " FROM " + ofEarlierRuns);
        List<String> columns = List.copyOf(earlier.keySet());
        List<String> releasing = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (released.get(i) > 0) {
                releasing.add("(" + earlier.get(columns.get(i)) + ")");
            }
        }
        if (!releasing.isEmpty()) {
            warehouse.execute("DELETE FROM " + ofEarlierRuns + " AND (" + String.join(" OR ", releasing) + ")");
        }
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            runLog.nodeChecked(run, orphansNode(table, column), orphans.get(column) > 0 || released.get(i) > 0,
                    orphans.get(column), null, null);
        }
    }

    /**
     * The keys of the rows whose foreign key may have changed its verdict since it was last looked at; empty when
     * every row must be looked at. A key is known once any bronze row of its parent carries it (a delete row too),
     * and bronze is append-only: a parent key never becomes unknown, so a row found good stays good. What can change
     * is the rows loaded since (by the runs started after the last look) and, when the parent's bronze changed, the
     * rows quarantined for this key (a parent that arrived late releases them). Every row with change capture: its
     * rows arrive all the time, named by no run.
     */
    private Optional<Keys> keysToLook(BatchRun run, SourceTable table, SourceTable parent, RunLog.NodeState last,
                                      Map<String, RunLog.NodeState> nodes) {
        if (properties.capture() == BatchProperties.Capture.CDC) {
            return Optional.empty();
        }
        return runLog.runsStartedAfter(run, last.checkedAt()).map(runs -> new Keys(runs,
                RunLog.changedAfter(nodes, List.of(parent.bronzeTable()), last.checkedAt())));
    }

    /**
     * @param runs           the runs whose rows' keys are looked at: those started since the last look
     * @param quarantinedToo the rows quarantined for an unknown foreign key are looked at again too (those of the
     *                       others too: their verdict on this one cannot have changed but from unknown to known,
     *                       and it would have quarantined them for this one as well)
     */
    private record Keys(List<String> runs, boolean quarantinedToo) {
    }

    /** The node that records when a foreign key was last looked at: what its quarantined rows are as of. */
    private static String orphansNode(SourceTable table, String column) {
        return "orphans:" + table.name() + "." + column;
    }

    /** These nodes and those of the table's foreign-key quarantine. */
    private static List<String> withOrphans(SourceTable table, String... nodes) {
        List<String> all = new ArrayList<>(List.of(nodes));
        table.references().keySet().forEach(column -> all.add(orphansNode(table, column)));
        return all;
    }

    private static boolean extractFailed(BatchRun run, String table) {
        return run.step(BatchRun.extractStep(table)).map(BatchRun.StepState::blocksDependants).orElse(false);
    }

    public void check(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        steps.start(run, QUALITY_STEP, "quality");
        Results results = new Results(new ArrayList<>(), new ArrayList<>());
        long checks = 0;
        try {
            CompletableFuture<Map<String, long[]>> sourceCounts = run.sourceCounts()
                    .orElseGet(() -> CompletableFuture.completedFuture(Map.of()));
            Earlier earlier = run.mode() == BatchRun.Mode.FULL ? new Earlier(Map.of(), Map.of())
                    : new Earlier(runLog.nodes(run), runLog.lastResults(run));
            Set<String> models = Set.copyOf(warehouse.tables("silver", "gold"));
            for (String name : graph.order()) {
                if (!models.contains(name)) {
                    continue;
                }
                Model model = graph.model(name);
                // The tests to evaluate, by the rows they look at (empty: every row): one statement each.
                Map<Optional<BatchRun.ChangedKeys>, List<DataTest>> byRows = new LinkedHashMap<>();
                for (DataTest test : model.tests()) {
                    checks++;
                    if (!carriedOver(earlier, test.name(), name, List.of(name), results)) {
                        byRows.computeIfAbsent(onlyChangedRows(run, earlier, model, test), k -> new ArrayList<>())
                                .add(test);
                    }
                }
                byRows.forEach((changed, tests) -> {
                    List<Long> bad = warehouse.counts(DataTest.failuresSql(tests,
                            changed.map(BatchRun.ChangedKeys::rows).orElse(null)));
                    for (int i = 0; i < tests.size(); i++) {
                        DataTest test = tests.get(i);
                        record(test.name(), name, "error", bad.get(i) == 0, bad.get(i) + " failing rows",
                                changed.map(k -> "over the rows of the keys this run changed; the others passed in "
                                        + "run " + earlier.results().get(RunLog.resultKey(test.name(), name)).runId())
                                .orElse(null), results);
                    }
                });
            }
            Optional<Instant> held = properties.capture() == BatchProperties.Capture.CDC ? run.sourceHeldAt()
                    : Optional.empty();
            Map<String, Long> lastLoads = held.isPresent() ? Map.of() : lastLoadAges();
            Map<String, Long> bronzeKeys = new HashMap<>();
            for (SourceTable table : tables.tables()) {
                checks += reconcileSilver(earlier, table, models, bronzeKeys, results);
                checks += freshness(table, held, lastLoads.get(table.bronzeTable()), results);
            }
            Map<String, long[]> counted = joined(sourceCounts);
            for (SourceTable table : tables.tables()) {
                checks += reconcileSource(run, earlier, table, counted.get(table.name()), bronzeKeys, results);
            }
            runLog.qualityResults(run, results.recorded());
            List<String> failures = results.failures();
            steps.finish(run, QUALITY_STEP, failures.isEmpty() ? StepState.SUCCEEDED : StepState.FAILED, checks,
                    0, failures.isEmpty() ? null : "failed checks: " + String.join("; ", failures));
        } catch (RunHold.LostException e) {
            throw e;
        } catch (RuntimeException e) {
            // The results reached before the failure are kept.
            try {
                runLog.qualityResults(run, results.recorded());
            } finally {
                steps.fail(run, QUALITY_STEP, e, checks, 0);
            }
        }
    }

    /**
     * Cursor mode: every source row up to the watermark is in bronze or quarantine (and, a warning only, bronze holds
     * no more keys than the source). {@code sourceCounts}: the table's source rows up to its watermark and in all;
     * null without a watermark, and with change capture (the source moves on while the models run, and bronze keeps
     * deleted keys by design: the capture's own exactness is its tests' matter).
     */
    private int reconcileSource(BatchRun run, Earlier earlier, SourceTable table, long[] sourceCounts,
                                Map<String, Long> bronzeKeys, Results results) {
        if (sourceCounts == null) {
            return 0;
        }
        long sourceUpTo = sourceCounts[0];
        long sourceAll = sourceCounts[1];
        long loaded = loadedKeys(run, earlier, table, bronzeKeys);
        String counts = "source up to watermark " + sourceUpTo + ", source " + sourceAll + ", bronze+quarantine " + loaded;
        record("reconcile_source_bronze", table.name(), "error", sourceUpTo <= loaded, counts, results);
        // More keys loaded than the source holds: rows deleted at the source since they were extracted. The cursor
        // cannot see deletes, so this is worth a look but must not stop every later run.
        record("source_deletes", table.name(), "warn", loaded <= sourceAll, counts, results);
        return 2;
    }

    /**
     * Starts counting the source for the quality step's reconciliation, once the extract moved the watermarks: each
     * table with a watermark, its source rows up to the watermark and in all (one scan of each table, all in one
     * statement), by table. On a thread of its own, so PostgreSQL scans while ClickHouse builds the models and the
     * quality step does not wait for the scans (SF=100: about 0.6 s, the longest of its statements); a failure
     * fails the quality step, when it takes the counts. None with change capture.
     */
    public void countSource(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run) {
        if (properties.capture() != BatchProperties.Capture.CDC) {
            run.sourceCounts(CompletableFuture.supplyAsync(() -> sourceCounts(run), SOURCE_COUNTS));
        }
    }

    private Map<String, long[]> sourceCounts(BatchRun run) {
        Map<String, Watermark> marks = runLog.watermarks(run);
        List<String> counts = new ArrayList<>();
        MapSqlParameterSource upTo = new MapSqlParameterSource();
        for (SourceTable table : tables.tables()) {
            Watermark mark = marks.get(table.name());
            if (mark == null) {
                continue;
            }
            String cursor = table.keyCursor() != null ? table.keyCursor() : table.sourceExpression(table.cursor());
            String parameter = "upTo" + counts.size();
            upTo.addValue(parameter, table.keyCursor() != null ? mark.key() : Timestamp.valueOf(mark.cursor()));
            counts.add("SELECT '" + table.name() + "', count(*) FILTER (WHERE " + cursor + " <= :" + parameter
                    + "), count(*) FROM public." + table.name());
        }
        Map<String, long[]> byTable = new HashMap<>();
        if (!counts.isEmpty()) {
            source.query(String.join(" UNION ALL ", counts), upTo, rs -> {
                byTable.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            });
        }
        return byTable;
    }

    /** Its result, or its failure as thrown. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * The keys bronze and quarantine hold of the table: counted again only when its bronze (with what its extract
     * quarantined) or its foreign-key quarantine changed since the last count, or in a full run.
     */
    private long loadedKeys(BatchRun run, Earlier earlier, SourceTable table, Map<String, Long> bronzeKeys) {
        String node = "loaded:" + table.name();
        List<String> inputs = withOrphans(table, table.bronzeTable());
        Optional<Long> counted = Optional.ofNullable(earlier.nodes().get(node))
                .filter(last -> !RunLog.changedAfter(earlier.nodes(), inputs, last.checkedAt()))
                .map(RunLog.NodeState::rowCount);
        if (counted.isPresent()) {
            return counted.get();
        }
        // Bronze's keys counted as they are, and the quarantined keys bronze lacks: a union of both as strings hashed
        // every key as a string (SF=100, 1.6 M rentals, on a busy machine: 1.1-1.7 s, 0.2-0.4 s this way).
        String key = table.keyExpression();
        long loaded = bronzeKeys(table, bronzeKeys) + warehouse.count("SELECT uniqExact(row_key) FROM ("
                + quarantined(table) + ") WHERE row_key NOT IN (SELECT " + key + " FROM " + table.bronzeTable()
                + " WHERE " + key + " IN (" + quarantined(table) + "))");
        runLog.nodeChecked(run, node, true, loaded, null, null);
        return loaded;
    }

    /**
     * Silver holds one row per bronze key whose latest change is no delete and that was not quarantined for an
     * unknown foreign key (both modes).
     */
    private int reconcileSilver(Earlier earlier, SourceTable table, Set<String> models, Map<String, Long> bronzeKeys,
                                Results results) {
        String silverModel = "silver.dvd_" + table.name();
        if (!models.contains(silverModel)) {
            return 0;
        }
        // Its counts read bronze, silver and the foreign-key quarantine only: taken over when they did not change.
        if (carriedOver(earlier, "reconcile_bronze_silver", table.name(),
                withOrphans(table, table.bronzeTable(), silverModel), results)) {
            return 1;
        }
        // Every key but those whose latest change (in the order the current-state models take it) is a delete or
        // that were quarantined. Only a key with a delete or quarantined can be either: the latest changes of those
        // few are sorted, not every key's (SF=100, 1.6 M rentals: sorting them all took 0.24 s on a quiet machine).
        String key = String.join(", ", table.key());
        String bronze = table.bronzeTable();
        String quarantined = table.keyExpression() + " IN (" + orphansOf(table) + ")";
        List<Long> counts = warehouse.counts("SELECT " + bronzeKeys(table, bronzeKeys) + " - (SELECT count() FROM "
                + "(SELECT " + table.latestPerKeyColumns() + " FROM " + bronze + " WHERE ("
                + key + ") IN (SELECT " + key + " FROM " + bronze + " WHERE " + SourceTable.OP + " = 'd') OR "
                + quarantined + " " + table.latestPerKey() + ") WHERE " + SourceTable.OP + " = 'd' OR " + quarantined
                + "), (SELECT count() FROM " + silverModel + ")");
        long expected = counts.get(0);
        long silver = counts.get(1);
        record("reconcile_bronze_silver", table.name(), "error", silver == expected,
                "bronze keys not deleted, without unknown foreign keys " + expected + ", silver " + silver, results);
        return 1;
    }

    /**
     * The keys the table's bronze holds, counted once per quality step (both reconciliations need them; SF=100, 1.6 M
     * rentals: a scan of 20-40 ms), by table.
     */
    private long bronzeKeys(SourceTable table, Map<String, Long> counted) {
        return counted.computeIfAbsent(table.name(), name -> warehouse.count("SELECT uniqExact("
                + String.join(", ", table.key()) + ") FROM " + table.bronzeTable()));
    }

    private static String quarantined(SourceTable table) {
        return "SELECT row_key FROM silver.quarantine WHERE table_name = '" + table.name() + "'";
    }

    /** The keys of the table's rows quarantined for an unknown foreign key, as a subquery. */
    private static String orphansOf(SourceTable table) {
        return quarantined(table) + " AND startsWith(reason, 'unknown ')";
    }

    /**
     * How long since the bronze table last received rows (dbt's loaded_at freshness on the extraction time). With
     * change capture, a table is as fresh as the capture: bronze holds the source as of the run's catch-up
     * ({@code held}), also for a table nobody changed for days; a run that did not catch up falls back to the last
     * load ({@code lastLoadSeconds} ago; null: never loaded).
     */
    private int freshness(SourceTable table, Optional<Instant> held, Long lastLoadSeconds, Results results) {
        Long ageSeconds;
        String observed;
        if (held.isPresent()) {
            ageSeconds = Duration.between(held.get(), Instant.now()).toSeconds();
            observed = "bronze holds the source as of " + Duration.ofSeconds(ageSeconds) + " ago (capture caught up)";
        } else {
            ageSeconds = lastLoadSeconds;
            observed = ageSeconds == null ? "never loaded" : "last load " + Duration.ofSeconds(ageSeconds) + " ago";
        }
        if (ageSeconds == null || ageSeconds > properties.freshness().errorAfter().toSeconds()) {
            record("freshness", table.name(), "error", false, observed, results);
        } else {
            record("freshness", table.name(), "warn",
                    ageSeconds <= properties.freshness().warnAfter().toSeconds(), observed, results);
        }
        return 1;
    }

    /** Seconds since each bronze table last received rows (none for a table never loaded), in one statement. */
    private Map<String, Long> lastLoadAges() {
        Map<String, Long> ages = new HashMap<>();
        warehouse.rows(tables.tables().stream().map(t -> "SELECT '" + t.bronzeTable() + "' AS bronze_table, "
                        + "max(_extracted_at) AS last_load, count() AS loaded FROM " + t.bronzeTable())
                .collect(Collectors.joining(" UNION ALL ", "SELECT bronze_table, "
                        + "toInt64(dateDiff('second', last_load, now64(3))) AS age FROM (", ") WHERE loaded > 0")))
                .forEach(row -> ages.put((String) row.get("bronze_table"), ((Number) row.get("age")).longValue()));
        return ages;
    }

    /**
     * A quality step's results, recorded in one batch at its end (a run has about a hundred), and its failed
     * error-level checks.
     */
    private record Results(List<RunLog.NewResult> recorded, List<String> failures) {
    }

    /**
     * What the checks of one step compare with, read once when it starts: the node states, and the results of the
     * latest earlier run that recorded some. Empty in a full run: everything is evaluated.
     */
    private record Earlier(Map<String, RunLog.NodeState> nodes, Map<String, RunLog.QualityResult> results) {
    }

    /**
     * Takes over the check's latest result when nothing it reads changed since (and no full run): records it for this
     * run, a failure too. Checks that read the clock (freshness) or the source are never taken over.
     */
    private static boolean carriedOver(Earlier earlier, String check, String target, List<String> inputs,
                                Results results) {
        Optional<RunLog.QualityResult> last = Optional.ofNullable(earlier.results()
                        .get(RunLog.resultKey(check, target)))
                .filter(result -> !RunLog.changedAfter(earlier.nodes(), inputs, result.checkedAt()));
        last.ifPresent(result -> {
            results.recorded().add(new RunLog.NewResult(check, target, result.severity(), result.status(),
                    result.observed(), "carried over from run " + result.runId() + ": what it reads did not change since"));
            if ("FAIL".equals(result.status())) {
                results.failures().add(check + " " + target + " (" + result.observed() + ")");
            }
        });
        return last.isPresent();
    }

    /**
     * The keys whose rows a data test of an incremental model needs to look at: those this run changed, when the
     * test passed on the table as it was before and {@link DataTest#holdsOnUnchangedRowsOf holds on the rows that
     * did not change}. Empty: every row.
     */
    private static Optional<BatchRun.ChangedKeys> onlyChangedRows(BatchRun run, Earlier earlier, Model model,
                                                                  DataTest test) {
        if (!test.holdsOnUnchangedRowsOf(model.uniqueKey())) {
            return Optional.empty();
        }
        Optional<RunLog.QualityResult> last = Optional.ofNullable(earlier.results()
                .get(RunLog.resultKey(test.name(), model.name())));
        return run.changedKeys(model.name()).filter(keys -> last.filter(result -> "PASS".equals(result.status())
                && !result.checkedAt().isBefore(keys.changedBefore())).isPresent());
    }

    private static void record(String check, String target, String severity, boolean pass, String observed,
                        Results results) {
        record(check, target, severity, pass, observed, null, results);
    }

    private static void record(String check, String target, String severity, boolean pass, String observed,
                        String detail, Results results) {
        boolean error = "error".equals(severity);
        results.recorded().add(new RunLog.NewResult(check, target, severity, pass ? "PASS" : error ? "FAIL" : "WARN",
                observed, detail));
        if (!pass && error) {
            results.failures().add(check + " " + target + " (" + observed + ")");
        }
    }
}
