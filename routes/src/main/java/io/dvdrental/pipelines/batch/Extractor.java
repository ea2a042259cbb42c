package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.SourceTable;

import io.dvdrental.pipelines.transforms.batch.BronzeRows;
import io.dvdrental.pipelines.transforms.batch.Watermark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.batch.BatchRun.Mode;
import io.dvdrental.pipelines.batch.BatchRun.StepState;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steps of one table's extract (route template {@code extract-table}): plan the cursor range from the
 * watermark, check each streamed row, write each batch to bronze (bad rows to quarantine), wait until every batch of
 * the table is stored, and only then let the watermark move.
 */
@Component
public class Extractor {

    /** Header: the source table an exchange of the extract belongs to. */
    public static final String TABLE = "dvdBatchTable";
    /** Header: the key of the table's {@link Progress} in this run. */
    public static final String PROGRESS = "dvdBatchProgress";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Extractor.class);
    private static final Timestamp BEGINNING = Timestamp.valueOf("1900-01-01 00:00:00");
    private static final Timestamp END = Timestamp.valueOf("9999-12-31 00:00:00");

    /** A source row and, when it cannot enter bronze, why. */
    public record CheckedRow(Map<String, Object> row, String problem) {
    }

    /**
     * Rows of one table in one run: read, stored (bronze or quarantine) and whether a batch failed; the watermark it
     * started from and the source's clock when it started.
     */
    static final class Progress {
        final AtomicLong read = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong quarantined = new AtomicLong();
        final AtomicInteger batches = new AtomicInteger();
        final Watermark startedFrom;
        final LocalDateTime sourceNow;
        volatile Exception failure;
        LocalDateTime maxCursor;
        Long maxKey;

        Progress(Watermark startedFrom, LocalDateTime sourceNow) {
            this.startedFrom = startedFrom;
            this.sourceNow = sourceNow;
        }

        synchronized Watermark watermark() {
            return startedFrom.advance(maxCursor, maxKey, sourceNow);
        }

        synchronized void seen(LocalDateTime cursor, Long key) {
            if (cursor != null && (maxCursor == null || cursor.isAfter(maxCursor))) {
                maxCursor = cursor;
            }
            if (key != null && (maxKey == null || key > maxKey)) {
                maxKey = key;
            }
        }

        synchronized void stored(long rows, long bad) {
            written.addAndGet(rows);
            quarantined.addAndGet(bad);
            notifyAll();
        }

        synchronized void failed(Exception e) {
            failure = e;
            notifyAll();
        }

        synchronized void awaitStored(long timeoutMs) throws Exception {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (failure == null && written.get() + quarantined.get() < read.get()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("Only " + (written.get() + quarantined.get()) + " of "
                            + read.get() + " rows were stored within " + timeoutMs + " ms");
                }
                wait(left);
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private final SourceTables tables;
    private final RunLog runLog;
    private final StepRecorder steps;
    private final Warehouse warehouse;
    private final BatchProperties properties;
    private final JdbcTemplate source;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    public Extractor(SourceTables tables, RunLog runLog, StepRecorder steps, Warehouse warehouse,
                     BatchProperties properties,
                     @Qualifier("sourceJdbcTemplate") NamedParameterJdbcTemplate source) {
        this.tables = tables;
        this.source = source.getJdbcTemplate();
        this.runLog = runLog;
        this.steps = steps;
        this.warehouse = warehouse;
        this.properties = properties;
    }

    /**
     * Sets the query parameters {@code from}, {@code to}, {@code afterKey} from the mode and the watermark, and notes
     * the source's clock: the watermark this read leaves never passes it.
     */
    public void plan(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String tableName,
                     Message message) {
        SourceTable table = tables.get(tableName);
        steps.start(run, BatchRun.extractStep(table.name()), "extract");
        LocalDateTime sourceNow = source.queryForObject("SELECT localtimestamp", LocalDateTime.class);
        Timestamp from = BEGINNING;
        Timestamp to = END;
        long afterKey = Long.MIN_VALUE;
        Watermark mark = run.mode() == Mode.INCREMENTAL ? runLog.watermark(run, table.name()).orElse(Watermark.NONE)
                : Watermark.NONE;
        if (run.mode() == Mode.BACKFILL) {
            from = Timestamp.valueOf(run.request().from());
            to = Timestamp.valueOf(run.request().to());
        } else if (table.keyCursor() != null && mark.key() != null) {
            afterKey = mark.readAfterKey(properties.keyLookback());
        } else if (mark.cursor() != null) {
            from = Timestamp.valueOf(mark.readAfter(properties.lookback()));
        }
        String key = run.id() + ":" + table.name();
        progress.put(key, new Progress(mark, sourceNow));
        message.setHeader(PROGRESS, key);
        message.setHeader(SourceTable.FROM, from);
        message.setHeader(SourceTable.TO, to);
        message.setHeader(SourceTable.AFTER_KEY, afterKey);
    }

    /** Counts and checks a chunk of rows; the body becomes the list of {@link CheckedRow}. */
    @SuppressWarnings("unchecked")
    public void checkChunk(Exchange exchange) {
        List<Map<String, Object>> rows = exchange.getMessage().getBody(List.class);
        SourceTable table = tables.get(exchange.getMessage().getHeader(TABLE, String.class));
        Progress p = progress(exchange);
        LocalDateTime now = LocalDateTime.now();
        List<CheckedRow> checked = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            p.read.incrementAndGet();
            Object cursor = row.get(table.cursor());
            p.seen(cursor instanceof Timestamp ts ? ts.toLocalDateTime() : null,
                    table.keyCursor() == null ? null : ((Number) row.get(table.keyCursor())).longValue());
            checked.add(new CheckedRow(row, BronzeRows.problem(table, row, now).orElse(null)));
        }
        exchange.getMessage().setBody(checked);
    }

    /**
     * Writes one aggregated batch: good rows to bronze in one insert, bad rows to quarantine. A failure is recorded
     * for the table (its watermark then stays) instead of being thrown into whichever thread completed the batch.
     */
    @SuppressWarnings("unchecked")
    public void store(Exchange exchange) {
        String tableName = exchange.getMessage().getHeader(TABLE, String.class);
        Progress p = progress(exchange);
        List<CheckedRow> batch = exchange.getMessage().getBody(List.class);
        if (p == null) {
            // The table's extract already failed: its watermark stays, so these rows are read again next run.
            LOG.warn("Dropping a late batch of {} rows of {}: its extract failed", batch.size(), tableName);
            return;
        }
        try {
            BatchRun run = exchange.getProperty(BatchRun.PROPERTY, BatchRun.class);
            run.hold().checkNotLost();
            SourceTable table = tables.get(tableName);
            String extractedAt = BronzeRows.format(LocalDateTime.now());
            List<List<Object>> good = new ArrayList<>(batch.size());
            List<CheckedRow> bad = new ArrayList<>();
            for (CheckedRow r : batch) {
                if (r.problem() == null) {
                    good.add(BronzeRows.values(table, r.row(), extractedAt, run.id()));
                } else {
                    bad.add(r);
                }
            }
            int seq = p.batches.incrementAndGet();
            if (!good.isEmpty()) {
                warehouse.insert(table.bronzeTable(), table.insertColumns(), good, run.id() + "-" + table.name() + "-" + seq);
            }
            if (!bad.isEmpty()) {
                quarantine(run, table, bad, extractedAt, seq);
            }
            p.stored(good.size(), bad.size());
        } catch (Exception e) {
            LOG.warn("Batch of {} for {} failed: {}", batch.size(), tableName, e.getMessage());
            p.failed(e);
        }
    }

    private void quarantine(BatchRun run, SourceTable table, List<CheckedRow> bad, String detectedAt, int seq)
            throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (CheckedRow r : bad) {
            Map<String, Object> raw = new java.util.LinkedHashMap<>();
            r.row().forEach((c, v) -> raw.put(c, v == null ? null : v.toString()));
            rows.add(List.of(table.name(), table.keyOf(r.row()), r.problem(),
                    JSON.writeValueAsString(raw), run.id(), detectedAt));
        }
        warehouse.insert("silver.quarantine", List.of("table_name", "row_key", "reason", "raw_row", "run_id",
                "detected_at"), rows, run.id() + "-" + table.name() + "-q" + seq);
    }

    /** Waits until every row read is stored (in bronze or quarantine). */
    public void awaitStored(@Header(PROGRESS) String key) throws Exception {
        progress.get(key).awaitStored(properties.batchTimeout().toMillis() * 2 + 120_000);
    }

    /** Moves the table's watermark past what was stored: incremental and full runs that read rows; never backfills. */
    public void commitWatermark(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String table,
                                @Header(PROGRESS) String key) {
        Progress p = progress.get(key);
        if (run.mode() != Mode.BACKFILL && p.read.get() > 0) {
            runLog.commitWatermark(run, table, p.watermark());
        }
    }

    public void finished(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String table,
                         @Header(PROGRESS) String key) {
        Progress p = progress.remove(key);
        if (p.written.get() > 0) {
            runLog.nodeChecked(run, "bronze." + table, true, p.written.get(), null, null);
        }
        steps.finish(run, BatchRun.extractStep(table), StepState.SUCCEEDED, p.read.get(), p.written.get(),
                p.quarantined.get() > 0 ? p.quarantined.get() + " rows quarantined" : null);
    }

    public void failed(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String table,
                       @Header(PROGRESS) String key, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception e) {
        Progress p = key == null ? null : progress.remove(key);
        LOG.warn("Extract of {} failed in run {}: {}", table, run.id(), e == null ? "?" : e.getMessage());
        steps.fail(run, BatchRun.extractStep(table), e, p == null ? 0 : p.read.get(), p == null ? 0 : p.written.get());
    }

    private Progress progress(Exchange exchange) {
        return progress.get(exchange.getMessage().getHeader(PROGRESS, String.class));
    }
}
