package io.dvdrental.pipelines.warehouse;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readiness check ({@code warehouseDeduplication}): exactly-once needs insert deduplication on every table a retried
 * insert writes (the raw clicks, the recorded ranges, every view's target, bronze). For each of them it reads the
 * engine from {@code system.tables} and the window the engine actually uses ({@code non_replicated_...} for
 * MergeTree, {@code replicated_deduplication_window} for Replicated and Shared engines, from the table's settings or
 * the server's default in {@code system.merge_tree_settings}); any table with a window of 0 keeps readiness DOWN and
 * is named in the reason. Registered bounded in time by {@code ReadinessChecks}.
 */
public class DeduplicationHealth extends AbstractHealthIndicator {

    /** The databases whose MergeTree tables take retried inserts under a deduplication token. */
    static final List<String> DATABASES = List.of("stream", "bronze");

    private static final Pattern SETTING = Pattern.compile("\\b(\\w+_deduplication_window)\\s*=\\s*(\\d+)");

    private final JdbcTemplate warehouse;

    public DeduplicationHealth(DataSource warehouse) {
        super("Cannot read the deduplication settings of the warehouse tables");
        this.warehouse = new JdbcTemplate(warehouse);
    }

    @Override
    protected void doHealthCheck(Health.Builder health) {
        Map<String, Long> defaults = new java.util.HashMap<>();
        warehouse.query("SELECT name, toUInt64(value) FROM system.merge_tree_settings WHERE name IN "
                        + "('non_replicated_deduplication_window', 'replicated_deduplication_window')",
                rs -> {
                    defaults.put(rs.getString(1), rs.getLong(2));
                });
        List<String> off = new ArrayList<>();
        int checked = 0;
        for (Map<String, Object> table : warehouse.queryForList("SELECT database, name, engine, engine_full FROM "
                + "system.tables WHERE database IN ('" + String.join("', '", DATABASES) + "') AND engine LIKE '%MergeTree'"
                + " ORDER BY database, name")) {
            checked++;
            String engine = (String) table.get("engine");
            String setting = WarehouseDdl.deduplicationSetting(engine);
            long window = window((String) table.get("engine_full"), setting, defaults.getOrDefault(setting, 0L));
            if (window == 0) {
                off.add(table.get("database") + "." + table.get("name") + " (" + engine + ", " + setting + " = 0)");
            }
        }
        health.withDetail("tables", checked);
        if (off.isEmpty()) {
            health.up();
        } else {
            health.down().withDetail("reason", "insert deduplication is off, so a retried insert would be stored twice: "
                    + String.join(", ", off));
        }
    }

    /** The window a table's own settings give, else the server's default. */
    static long window(String engineFull, String setting, long serverDefault) {
        Matcher m = SETTING.matcher(engineFull);
        while (m.find()) {
            if (m.group(1).equals(setting)) {
                return Long.parseLong(m.group(2));
            }
        }
        return serverDefault;
    }
}
