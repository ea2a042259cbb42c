package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.transforms.batch.SourceTables;

import io.dvdrental.pipelines.transforms.batch.BronzeRows;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.dvdrental.pipelines.warehouse.PipelineTables;
import io.dvdrental.pipelines.warehouse.WarehouseClientConfig;
import io.dvdrental.pipelines.warehouse.WarehouseDdl;
import io.dvdrental.pipelines.warehouse.WarehouseSchema;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the batch pipeline does in ClickHouse: bronze inserts, model rebuilds, checksums and checks. Its bronze
 * tables are made with the warehouse's schema ({@link WarehouseSchema}, after the migrations).
 */
@Component
public class Warehouse implements PipelineTables {

    /** Names the batch builds into SQL come from the model files and table specs; refuse anything else. */
    private static final Pattern NAME = Pattern.compile("[a-z_]+\\.[a-z0-9_]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:.-]+");

    public record Checksum(long rows, String hash) {
    }

    private final JdbcTemplate jdbc;
    private final Client client;
    private final SourceTables tables;

    public Warehouse(@Qualifier("warehouseDataSource") DataSource dataSource, SourceTables tables,
                     Client warehouseClient) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.client = warehouseClient;
        this.tables = tables;
    }

    /**
     * The bronze table of every source table, with its change data capture columns (the database: a migration).
     * Every start applies it: one read of bronze's columns and indexes, and DDL only for a table missing or made by an
     * older release, so that a restart alters nothing (on a cluster each DDL statement waits for every node).
     */
    @Override
    public void apply(WarehouseDdl ddl) {
        Map<String, Map<String, String>> existing = new HashMap<>();
        Map<String, Set<String>> indexes = new HashMap<>();
        jdbc.query("SELECT table, name, type, 0 AS is_index FROM system.columns WHERE database = 'bronze'"
                + " UNION ALL SELECT table, name, '', 1 FROM system.data_skipping_indices WHERE database = 'bronze'",
                rs -> {
                    if (rs.getInt(4) == 0) {
                        existing.computeIfAbsent(rs.getString(1), t -> new HashMap<>())
                                .put(rs.getString(2), rs.getString(3));
                    } else {
                        indexes.computeIfAbsent(rs.getString(1), t -> new HashSet<>()).add(rs.getString(2));
                    }
                });
        tables.tables().forEach(t -> {
            Map<String, String> columns = existing.get(t.name());
            if (columns == null) {
                jdbc.execute(ddl.render(t.bronzeDdl()));
            } else {
                t.bronzeUpgrades(columns, indexes.getOrDefault(t.name(), Set.of()))
                        .forEach(statement -> jdbc.execute(ddl.render(statement)));
            }
        });
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * One batch into a table in one INSERT, as TabSeparated text over ClickHouse's HTTP interface (cheaper to build
     * and to parse than JDBC parameters). The token makes a retried batch a no-op (bronze keeps a deduplication
     * window); async inserts are off so that the token applies and the rows are stored when this returns.
     */
    public void insert(String table, List<String> columns, List<List<Object>> rows, String token) throws Exception {
        StringBuilder tsv = new StringBuilder(rows.size() * 96);
        for (List<Object> row : rows) {
            BronzeRows.appendTsv(tsv, row);
        }
        InsertSettings settings = new InsertSettings().setDeduplicationToken(token(token))
                .serverSetting("async_insert", "0")
                .serverSetting("date_time_input_format", "best_effort");
        try (InsertResponse ignored = client.insert(name(table), columns,
                new ByteArrayInputStream(tsv.toString().getBytes(StandardCharsets.UTF_8)),
                ClickHouseFormat.TabSeparated, settings).get(WarehouseClientConfig.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            // Stored.
        }
    }

    /**
     * One batch of TabSeparated lines into a table through a SELECT over them ({@code … FROM input('<structure>')}:
     * ClickHouse converts and filters the rows), in one INSERT with its deduplication token as {@link #insert}.
     * Answers how many rows the SELECT gave: also when the token made the insert a no-op, so a replayed batch counts
     * as it did the first time.
     */
    public long insertSelect(String table, List<String> columns, String select, InputStream tsv, String token)
            throws Exception {
        InsertSettings settings = new InsertSettings().setDeduplicationToken(token(token))
                .serverSetting("async_insert", "0");
        // The client sends "INSERT INTO <target> FORMAT TabSeparated" with the body: the target may be a SELECT.
        String target = name(table) + " (" + String.join(", ", columns) + ") " + select;
        try (InsertResponse response = client.insert(target, tsv, ClickHouseFormat.TabSeparated, settings)
                .get(WarehouseClientConfig.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            return response.getWrittenRows();
        }
    }

    public boolean exists(String table) {
        String[] parts = name(table).split("\\.");
        return jdbc.queryForObject("SELECT count() FROM system.tables WHERE database = ? AND name = ?", Long.class,
                parts[0], parts[1]) > 0;
    }

    /** The tables and views of these databases, as database.name. */
    public List<String> tables(String... databases) {
        return jdbc.queryForList("SELECT concat(database, '.', name) FROM system.tables WHERE has(?, database)",
                String.class, (Object) databases);
    }

    /** A column as a SELECT gives it: its name (quoted) and type. */
    public record Column(String name, String type) {
    }

    /** The columns of this SELECT's rows, in their order (SQL the batch builds, never user input). */
    public List<Column> columns(String select) {
        return jdbc.query("DESCRIBE TABLE (SELECT * FROM (" + select + "\n))",
                (rs, i) -> new Column("`" + rs.getString(1) + "`", rs.getString(2)));
    }

    public Checksum checksum(String table) {
        return checksum(table, "1");
    }

    /** The checksum of the table's rows that meet the condition (SQL the batch builds, never user input). */
    public Checksum checksum(String table, String condition) {
        return jdbc.queryForObject("SELECT count(), toString(sum(cityHash64(tuple(*)))) FROM " + name(table)
                + " WHERE " + condition, (rs, i) -> new Checksum(rs.getLong(1), rs.getString(2)));
    }

    public void execute(String sql) {
        jdbc.execute(sql);
    }

    /** Runs a statement that writes rows (an INSERT, a CREATE … AS SELECT); answers how many it wrote. */
    public long write(String sql) {
        return jdbc.update(sql);
    }

    public long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** The numbers of a one-row answer, in the order of its columns. */
    public List<Long> counts(String sql) {
        return jdbc.queryForObject(sql, (rs, i) -> {
            List<Long> counts = new ArrayList<>();
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                counts.add(rs.getLong(column));
            }
            return counts;
        });
    }

    public List<Map<String, Object>> rows(String sql) {
        return jdbc.queryForList(sql);
    }

    static String name(String table) {
        if (!NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a warehouse table name: " + table);
        }
        return table;
    }

    private static String token(String token) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("Not a deduplication token: " + token);
        }
        return token;
    }
}
