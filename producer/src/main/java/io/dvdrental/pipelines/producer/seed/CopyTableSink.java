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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Streams each table into PostgreSQL with COPY ... FROM STDIN on one connection (and its transaction). */
final class CopyTableSink implements TableSink {

    private static final int BUFFER = 1 << 16;

    private final PGConnection connection;
    private final Map<String, Long> rowsByTable = new LinkedHashMap<>();

    CopyTableSink(Connection connection) throws SQLException {
        this.connection = connection.unwrap(PGConnection.class);
    }

    @Override
    public void load(String table, List<String> columns, Consumer<RowWriter> rows) {
        String sql = "COPY public." + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        long[] count = {0};
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
                count[0]++;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into " + table + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("COPY into " + table + " failed", e);
        }
        rowsByTable.put(table, count[0]);
    }

    Map<String, Long> rowsByTable() {
        return rowsByTable;
    }
}
