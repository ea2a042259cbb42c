package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.batch.BatchRun.Mode;
import io.dvdrental.pipelines.batch.BatchRun.StepState;
import io.dvdrental.pipelines.batch.LineChunks.Chunk;
import io.dvdrental.pipelines.transforms.batch.BronzeRows;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import io.dvdrental.pipelines.transforms.batch.Watermark;
import io.dvdrental.pipelines.warehouse.WarehouseClientConfig;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steps of one table's extract (route template {@code extract-table}): plan the cursor range from the
 * watermark, stream the source's rows as COPY text, count each chunk of lines and note its highest cursor, write each
 * chunk to bronze in ClickHouse, which checks the rows (bad ones go to quarantine with the reason, see
 * {@link SourceTable#problemSql}), wait until every chunk of the table is stored, and only then let the watermark
 * move.
 */
@Component
public class Extractor {

    /** Header: the source table an exchange of the extract belongs to. */
    public static final String TABLE = "dvdBatchTable";
    /** Header: the key of the table's {@link Progress} in this run. */
    public static final String PROGRESS = "dvdBatchProgress";
    /** Header: the table's COPY statement in this run (its cursor range rendered in). */
    public static final String COPY = "dvdBatchCopy";
    private static final Logger LOG = LoggerFactory.getLogger(Extractor.class);
    private static final List<String> QUARANTINE_COLUMNS = List.of("table_name", "row_key", "reason", "raw_row",
            "run_id", "detected_at");
    private static final LocalDateTime BEGINNING = LocalDateTime.of(1900, 1, 1, 0, 0);
    private static final LocalDateTime END = LocalDateTime.of(9999, 12, 31, 0, 0);

    /**
     * Rows of one table in one run: read, stored (bronze or quarantine) and whether a chunk failed; the watermark it
     * started from, the source's clock when it started and its snapshot xmin.
     */
    static final class Progress {
        final AtomicLong read = new AtomicLong();
        final AtomicLong written = new AtomicLong();
        final AtomicLong quarantined = new AtomicLong();
        final Watermark startedFrom;
        final LocalDateTime sourceNow;
        volatile Exception failure;
        volatile Long snapshotXmin;
        LocalDateTime maxCursor;
        Long maxKey;

        Progress(Watermark startedFrom, LocalDateTime sourceNow) {
            this.startedFrom = startedFrom;
            this.sourceNow = sourceNow;
        }

        synchronized Watermark watermark() {
            return startedFrom.advance(maxCursor, maxKey, sourceNow, snapshotXmin);
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

        /** Stops the read when a chunk of the table failed: its watermark stays, so the rest would be read again. */
        void checkNotFailed() throws Exception {
            Exception e = failure;
            if (e != null) {
                throw e;
            }
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
    private final DataSource extractSource;
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();

    public Extractor(SourceTables tables, RunLog runLog, StepRecorder steps, Warehouse warehouse,
                     BatchProperties properties,
                     @Qualifier("sourceJdbcTemplate") NamedParameterJdbcTemplate source,
                     @Qualifier("extractDataSource") DataSource extractSource) {
        this.tables = tables;
        this.source = source.getJdbcTemplate();
        this.extractSource = extractSource;
        this.runLog = runLog;
        this.steps = steps;
        this.warehouse = warehouse;
        this.properties = properties;
    }

    /**
     * Renders the table's COPY (header {@link #COPY}) with the cursor range from the mode and the watermark, and notes
     * the source's clock: the watermark this read leaves never passes it. An incremental read takes the rows past the
     * watermark, and the rows of its lookback only when their transaction may have committed after the last read
     * (see {@link SourceTable.Lookback}); without the last read's snapshot xmin, every row of the lookback.
     */
    public void plan(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String tableName,
                     Message message) {
        SourceTable table = tables.get(tableName);
        steps.start(run, BatchRun.extractStep(table.name()), "extract");
        Map<String, Object> clock = source.queryForMap("SELECT localtimestamp AS now, "
                + "pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next_xid");
        LocalDateTime sourceNow = ((Timestamp) clock.get("now")).toLocalDateTime();
        LocalDateTime from = BEGINNING;
        LocalDateTime to = END;
        long afterKey = Long.MIN_VALUE;
        SourceTable.Lookback lookback = null;
        Watermark mark = run.mode() == Mode.INCREMENTAL ? run.watermarks(() -> runLog.watermarks(run))
                .getOrDefault(table.name(), Watermark.NONE)
                : Watermark.NONE;
        Optional<Long> lateSince = mark.lateSince(((Number) clock.get("next_xid")).longValue());
        if (run.mode() == Mode.BACKFILL) {
            from = run.request().from();
            to = run.request().to();
        } else if (table.keyCursor() != null && mark.key() != null) {
            long lookbackKey = mark.readAfterKey(properties.keyLookback());
            afterKey = lateSince.isPresent() ? mark.key() : lookbackKey;
            lookback = lateSince.map(xid -> new SourceTable.Lookback(BEGINNING, lookbackKey, xid)).orElse(null);
        } else if (mark.cursor() != null) {
            LocalDateTime lookbackFrom = mark.readAfter(properties.lookback());
            from = lateSince.isPresent() ? mark.cursor() : lookbackFrom;
            lookback = lateSince.map(xid -> new SourceTable.Lookback(lookbackFrom, Long.MIN_VALUE, xid)).orElse(null);
        }
        String key = run.id() + ":" + table.name();
        progress.put(key, new Progress(mark, sourceNow));
        message.setHeader(PROGRESS, key);
        message.setHeader(COPY, table.copyQuery(from, to, afterKey, lookback));
    }

    /**
     * Starts the table's COPY on an extract connection; the body becomes its text in chunks ({@link LineChunks}), not
     * the stream itself: Camel's stream caching would read a stream body whole into memory before the next step.
     * Closing the chunks (the split does, also when it fails) ends the copy and gives the connection back. First, in
     * the COPY's transaction, notes the snapshot xmin that the next read's lookback starts from: taken just before
     * the COPY's snapshot, it is at most that snapshot's (xmin only grows), so the next read takes a few rows too
     * many, never too few.
     */
    public void copyOut(Exchange exchange) throws SQLException {
        Connection connection = extractSource.getConnection();
        try {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")) {
                rs.next();
                progress(exchange).snapshotXmin = rs.getLong(1);
            }
            PGCopyInputStream copy = new PGCopyInputStream(connection.unwrap(PGConnection.class),
                    exchange.getMessage().getHeader(COPY, String.class));
            exchange.getMessage().setBody(new LineChunks(new FilterInputStream(copy) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        release(connection);
                    }
                }
            }, Math.toIntExact(properties.chunkSize().toBytes())));
        } catch (SQLException | RuntimeException e) {
            release(connection);
            throw e;
        }
    }

    /**
     * Ends the COPY's transaction and gives its connection back. The pool does not see a COPY (it runs on the
     * driver's connection), so it would take the connection back inside the transaction: holding its locks on the
     * source's tables, or aborted by a COPY that failed, which then fails every later extract on it.
     */
    private static void release(Connection connection) {
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("Ending an extract's transaction failed: {}", e.getMessage());
        }
    }

    /**
     * Counts a chunk of lines and notes its highest cursor (and key, for tables read by key); the read stops here
     * once a chunk of the table failed to store.
     */
    public void readChunk(Exchange exchange) throws Exception {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        SourceTable table = tables.get(exchange.getMessage().getHeader(TABLE, String.class));
        List<String> columns = List.copyOf(table.columns().keySet());
        Progress p = progress(exchange);
        p.checkNotFailed();
        p.read.addAndGet(chunk.lines());
        p.seen(chunk.maxTimestamp(columns.indexOf(table.cursor())),
                table.keyCursor() == null ? null : chunk.maxLong(columns.indexOf(table.keyCursor())));
    }

    /**
     * Hands a chunk to a thread of {@code storePool}, which has no queue: when every store thread is busy, this (the
     * reading) thread stores the chunk itself before it reads on. So the chunks held are at most one per reader and
     * one per store thread, and a reader never gets ahead of the inserts by more than that.
     */
    public void handOff(Exchange exchange, Executor storePool) {
        Message message = exchange.getMessage();
        Chunk chunk = message.getBody(Chunk.class);
        BatchRun run = exchange.getProperty(BatchRun.PROPERTY, BatchRun.class);
        String table = message.getHeader(TABLE, String.class);
        String key = message.getHeader(PROGRESS, String.class);
        int place = exchange.getProperty(Exchange.SPLIT_INDEX, Integer.class) + 1;
        storePool.execute(() -> store(run, table, key, place, chunk));
    }

    /**
     * Writes one chunk: ClickHouse takes its good rows into bronze in one insert and, when some were left out, the
     * others into quarantine with their reason. Its deduplication tokens name the run, the table and the chunk's
     * place in the read, so an insert sent again stores it once. A failure is recorded for the table (its watermark
     * then stays, and its read stops) instead of being thrown into whichever thread stored the chunk.
     */
    private void store(BatchRun run, String tableName, String key, int place, Chunk chunk) {
        Progress p = progress.get(key);
        if (p == null) {
            // The table's extract already failed: its watermark stays, so these rows are read again next run.
            LOG.warn("Dropping a late chunk of {} rows of {}: its extract failed", chunk.lines(), tableName);
            return;
        }
        try {
            run.hold().checkNotLost();
            SourceTable table = tables.get(tableName);
            LocalDateTime now = LocalDateTime.now();
            String extractedAt = BronzeRows.format(now);
            String token = run.id() + "-" + table.name() + "-" + place;
            long good = warehouse.insertSelect(table.bronzeTable(), table.insertColumns(),
                    table.bronzeSelect(now, extractedAt, run.id()), chunk.stream(), token);
            if (good < chunk.lines()) {
                warehouse.insertSelect("silver.quarantine", QUARANTINE_COLUMNS,
                        table.quarantineSelect(now, extractedAt, run.id()), chunk.stream(), token + "-q");
            }
            p.stored(good, chunk.lines() - good);
        } catch (Exception e) {
            LOG.warn("Chunk of {} rows of {} failed: {}", chunk.lines(), tableName, e.getMessage());
            p.failed(e);
        }
    }

    /** Waits until every row read is stored (in bronze or quarantine). */
    public void awaitStored(@Header(PROGRESS) String key) throws Exception {
        progress.get(key).awaitStored(TimeUnit.SECONDS.toMillis(WarehouseClientConfig.TIMEOUT_SECONDS) * 2 + 120_000);
    }

    /**
     * Moves the table's watermark past what was stored, with this read's snapshot xmin: incremental and full runs
     * that read rows, or that read none past a watermark (its snapshot xmin still moves on); never backfills.
     */
    public void commitWatermark(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String table,
                                @Header(PROGRESS) String key) {
        Progress p = progress.get(key);
        boolean hadWatermark = p.startedFrom.cursor() != null || p.startedFrom.key() != null;
        if (run.mode() != Mode.BACKFILL && (p.read.get() > 0 || hadWatermark)) {
            runLog.commitWatermark(run, table, p.watermark());
        }
    }

    public void finished(@ExchangeProperty(BatchRun.PROPERTY) BatchRun run, @Header(TABLE) String table,
                         @Header(PROGRESS) String key) {
        Progress p = progress.remove(key);
        // Rows quarantined on load change what the table's reconciliation counts.
        if (p.written.get() + p.quarantined.get() > 0) {
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
