package io.dvdrental.pipelines.producer.seed;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Streams each table into PostgreSQL with COPY ... FROM STDIN on one connection (and its transaction), telling
 * {@link LoadProgress} every {@code reportEvery} rows sent, every {@code checkingEvery} while PostgreSQL checks them at
 * the end of the COPY, and when the table is loaded.
 */
final class CopyTableSink implements TableSink {

    private static final int BUFFER = 1 << 16;

    private final PGConnection connection;
    private final LoadProgress progress;
    private final long reportEvery;
    private final Duration checkingEvery;
    private final Map<String, Long> rowsByTable = new LinkedHashMap<>();

    CopyTableSink(Connection connection, LoadProgress progress, long reportEvery, Duration checkingEvery)
            throws SQLException {
        this.connection = connection.unwrap(PGConnection.class);
        this.progress = progress;
        this.reportEvery = reportEvery;
        this.checkingEvery = checkingEvery;
    }

    @Override
    public void load(String table, List<String> columns, Consumer<RowWriter> rows) {
        String sql = "COPY public." + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        long[] count = {0};
        long started = System.nanoTime();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "copy-progress-" + table);
            thread.setDaemon(true);
            return thread;
        });
        try (Writer out = new BufferedWriter(new java.io.OutputStreamWriter(
                new PGCopyOutputStream(connection, sql, BUFFER), StandardCharsets.UTF_8), BUFFER)) {
            rows.accept(values -> {
                if (values.length != columns.size()) {
                    throw new IllegalArgumentException(table + ": " + values.length + " values for " + columns);
                }
                try {
                    CopyText.writeRow(out, values);
                } catch (IOException e) {
                    throw new UncheckedIOException("COPY into " + table + " failed", e);
                }
                if (++count[0] % reportEvery == 0) {
                    progress.rows(table, count[0], Duration.ofNanos(System.nanoTime() - started),
                            LoadProgress.Stage.SENDING);
                }
            });
            out.flush();
            // Every row is sent; closing ends the COPY, and PostgreSQL runs the row triggers it queued (the foreign
            // key checks) before it answers: minutes for a large table, which are reported, not silent.
            ticker.scheduleAtFixedRate(() -> progress.rows(table, count[0],
                    Duration.ofNanos(System.nanoTime() - started), LoadProgress.Stage.CHECKING),
                    checkingEvery.toMillis(), checkingEvery.toMillis(), TimeUnit.MILLISECONDS);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY into " + table + " failed", e);
        } finally {
            ticker.shutdownNow();
            try {
                // A report being written finishes before the table's last one.
                ticker.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        rowsByTable.put(table, count[0]);
        progress.rows(table, count[0], Duration.ofNanos(System.nanoTime() - started), LoadProgress.Stage.LOADED);
    }

    Map<String, Long> rowsByTable() {
        return rowsByTable;
    }
}
