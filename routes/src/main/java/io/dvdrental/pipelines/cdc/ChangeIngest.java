package io.dvdrental.pipelines.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.capture.CaptureConstants;
import io.dvdrental.pipelines.capture.ChangeRecord;
import io.dvdrental.pipelines.capture.SourceColumn;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Cut;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Plan;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.batch.BronzeRows;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One batch of captured changes into bronze (the step of route {@code cdc-capture}): per table, cut along the ranges
 * written down before ({@link ChangeBatchPlanner}), new ranges written down, then each cut inserted with its range's
 * deduplication token; changes that cannot enter bronze go to {@code silver.quarantine} with the reason, and columns
 * added at the source are added to bronze. What must wait for the rest of a range is left pending
 * ({@link CaptureConstants#PENDING}): the capture hands it over again and its offset does not move past it.
 */
public class ChangeIngest {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeIngest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The changes of one table in one insert. */
    private record TableCut(ChangeRows rows, Cut cut, List<ChangeRecord> changes) {
    }

    private final SourceTables tables;
    private final BronzeChanges bronze;
    private final Map<String, ChangeRows> rows = new LinkedHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Counter stored;
    private final Counter quarantined;
    private final MeterRegistry meters;

    ChangeIngest(SourceTables tables, BronzeChanges bronze, MeterRegistry meters) {
        this.tables = tables;
        this.bronze = bronze;
        this.meters = meters;
        tables.tables().forEach(t -> rows.put(t.name(), new ChangeRows(t)));
        this.stored = Counter.builder("dvd.cdc.changes.stored").description("captured changes inserted into bronze")
                .register(meters);
        this.quarantined = Counter.builder("dvd.cdc.changes.quarantined")
                .description("captured changes that went to silver.quarantine with a reason").register(meters);
    }

    /** The body is the list of {@link ChangeRecord}s of a batch, in stream order. */
    @SuppressWarnings("unchecked")
    public void store(Exchange exchange) throws Exception {
        List<ChangeRecord> changes = exchange.getMessage().getBody(List.class);
        String generation = exchange.getProperty(CaptureConstants.GENERATION, String.class);
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        long fromCommit = Long.MAX_VALUE;
        for (int i = 0; i < changes.size(); i++) {
            ChangeRecord change = changes.get(i);
            byTable.computeIfAbsent(change.table(), t -> new ArrayList<>()).add(i);
            fromCommit = Math.min(fromCommit, change.snapshot() ? 0 : change.commitLsn());
        }
        Map<String, List<Range>> known = bronze.knownRanges(generation, byTable.keySet(), fromCommit);
        ChangeRecord last = changes.get(changes.size() - 1);
        int storedUpTo = changes.size();
        List<TableCut> cuts = new ArrayList<>();
        List<BronzeChanges.Planned> newRanges = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> table : byTable.entrySet()) {
            ChangeRows tableRows = rows.get(table.getKey());
            if (tableRows == null) {
                throw new IllegalStateException("A change of " + table.getKey() + ", which is not a source table");
            }
            List<Integer> indexes = table.getValue();
            List<ChangePosition> positions = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                positions.add(ChangePosition.of(changes.get(i), tableRows.table().key()));
            }
            Plan plan = ChangeBatchPlanner.plan(positions, known.getOrDefault(table.getKey(), List.of()),
                    reached(changes, indexes, positions, last));
            if (plan.waitFrom() < indexes.size()) {
                storedUpTo = Math.min(storedUpTo, indexes.get(plan.waitFrom()));
            }
            for (Cut cut : plan.cuts()) {
                List<ChangeRecord> cutChanges = indexes.subList(cut.from(), cut.to()).stream().map(changes::get).toList();
                cuts.add(new TableCut(tableRows, cut, cutChanges));
                if (!cut.known()) {
                    newRanges.add(new BronzeChanges.Planned(table.getKey(), cut.range(), cutChanges.size()));
                }
            }
        }
        bronze.recordRanges(generation, newRanges);
        for (TableCut cut : cuts) {
            insert(cut, generation);
        }
        if (storedUpTo < changes.size()) {
            LOG.info("{} of {} changes wait for the rest of a range written down before a restart",
                    changes.size() - storedUpTo, changes.size());
        }
        exchange.setProperty(CaptureConstants.PENDING, changes.size() - storedUpTo);
    }

    /**
     * How far the stream is known to have gone for this table: past the whole batch when a later change of any
     * table follows its last one (streamed changes are in position order; the snapshot reads one table after the
     * other), else only to its own last change.
     */
    private static ChangePosition reached(List<ChangeRecord> changes, List<Integer> indexes,
                                          List<ChangePosition> positions, ChangeRecord last) {
        if (indexes.get(indexes.size() - 1) == changes.size() - 1) {
            return positions.get(positions.size() - 1);
        }
        return last.snapshot() ? ChangePosition.END : new ChangePosition(last.commitLsn(), last.changeLsn(),
                new long[0]);
    }

    private void insert(TableCut cut, String generation) throws Exception {
        SourceTable table = cut.rows().table();
        String token = cut.cut().range().token(table.name(), generation);
        LocalDateTime now = LocalDateTime.now(clock);
        String extractedAt = BronzeRows.format(now);
        String runId = "cdc-" + generation;
        List<List<Object>> good = new ArrayList<>(cut.changes().size());
        List<List<Object>> bad = new ArrayList<>();
        for (ChangeRecord change : cut.changes()) {
            Map<String, Object> row = cut.rows().row(change);
            Optional<String> problem = addColumns(cut.rows(), change).or(() -> cut.rows().problem(change, row, now));
            if (problem.isPresent()) {
                bad.add(List.of(table.name(), keyOf(change), problem.get(), JSON.writeValueAsString(raw(change)),
                        runId, extractedAt));
            } else {
                good.add(cut.rows().values(change, row, bronze.addedColumns(table.name()), extractedAt, runId));
            }
        }
        if (!good.isEmpty()) {
            bronze.insert(table, good, token);
            stored.increment(good.size());
        }
        if (!bad.isEmpty()) {
            bronze.quarantine(bad, token + "-q");
            quarantined.increment(bad.size());
            meters.counter("dvd.cdc.changes.quarantined.by_table", "table", table.name()).increment(bad.size());
            LOG.warn("{} changes of {} quarantined, first: {}", bad.size(), table.name(), bad.get(0).get(2));
        }
    }

    /** Adds the columns added at the source to bronze; a column bronze cannot take is the change's problem. */
    private Optional<String> addColumns(ChangeRows tableRows, ChangeRecord change) {
        SourceTable table = tableRows.table();
        for (SourceColumn column : tableRows.unknownColumns(change, bronze.addedColumns(table.name()))) {
            Optional<String> type = ChangeRows.bronzeType(column);
            if (type.isEmpty() || !bronze.addColumn(table, column.name(), type.get())) {
                return Optional.of("column " + column.name() + " (" + column.type() + ") was added at the source "
                        + "and bronze cannot take it; its other values are kept here");
            }
            LOG.warn("Column {}.{} appeared at the source: added to {} as {}", table.name(), column.name(),
                    table.bronzeTable(), type.get());
        }
        return Optional.empty();
    }

    private static String keyOf(ChangeRecord change) {
        return change.key().values().stream().map(String::valueOf).reduce((a, b) -> a + "|" + b).orElse("");
    }

    private static Map<String, Object> raw(ChangeRecord change) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("_op", change.op().code());
        raw.put("_lsn", change.commitLsn());
        raw.put("_change_lsn", change.changeLsn());
        change.values().forEach((c, v) -> raw.put(c, v == null ? null : v.toString()));
        return raw;
    }
}
