package io.dvdrental.pipelines.batch;

import io.dvdrental.pipelines.warehouse.WarehouseMigrations;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What the batch pipeline does in ClickHouse: bronze inserts, model rebuilds, checksums and checks. */
@Component
public class Warehouse {

    /** Names the batch builds into SQL come from the model files and table specs; refuse anything else. */
    private static final Pattern NAME = Pattern.compile("[a-z_]+\\.[a-z0-9_]+");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_:.-]+");

    public record Checksum(long rows, String hash) {
    }

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;

    /** Depends on the migrations: the bronze, silver and gold databases exist before anything runs here. */
    public Warehouse(@Qualifier("warehouseDataSource") DataSource dataSource, WarehouseMigrations migrations,
                     SourceTables tables) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        tables.tables().forEach(t -> jdbc.execute(t.bronzeDdl()));
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /**
     * One batch into a bronze table in one INSERT. The token makes a retried batch a no-op (the table keeps a
     * deduplication window); async inserts are off so that the token applies and the rows are stored on return.
     */
    public void insert(String table, List<String> columns, List<List<Object>> rows, String token) throws SQLException {
        String sql = "INSERT INTO " + name(table) + " (" + String.join(", ", columns) + ") SETTINGS async_insert = 0, "
                + "insert_deduplication_token = '" + token(token) + "' VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (List<Object> row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    ps.setObject(i + 1, row.get(i));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public boolean exists(String table) {
        String[] parts = name(table).split("\\.");
        return jdbc.queryForObject("SELECT count() FROM system.tables WHERE database = ? AND name = ?", Long.class,
                parts[0], parts[1]) > 0;
    }

    public Checksum checksum(String table) {
        return jdbc.queryForObject("SELECT count(), toString(sum(cityHash64(tuple(*)))) FROM " + name(table),
                (rs, i) -> new Checksum(rs.getLong(1), rs.getString(2)));
    }

    public void execute(String sql) {
        jdbc.execute(sql);
    }

    public long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
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
