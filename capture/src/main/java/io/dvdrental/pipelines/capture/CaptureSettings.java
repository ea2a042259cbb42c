package io.dvdrental.pipelines.capture;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Everything a capture needs: where the source is, which tables (with their keys, which order the snapshot reads),
 * the names of its slot and publication, how fast the engine hands over changes, and where its state is kept.
 *
 * @param name              the capture's name: the engine's name, the key of its state, its endpoint
 *                          ({@code dvd-cdc:<name>})
 * @param source            the source database, as Debezium's {@code database.*} properties (hostname, port,
 *                          dbname, user, password, sslmode ...)
 * @param sourceAdmin       JDBC connections to the same database (slot checks and drops)
 * @param tables            the captured tables of schema {@code public} and their primary keys
 * @param excludedColumns   {@code table.column} never read from the source (secrets, search vectors)
 * @param pollInterval      longest wait for more changes before a batch is handed over
 * @param maxBatchSize      most changes per batch (one exchange)
 * @param heartbeatInterval how often the engine confirms its position while no captured table changes, so that
 *                          the slot does not hold WAL of other activity
 * @param backoff           first wait before an engine that failed is started again; doubles up to {@code maxBackoff}
 */
public record CaptureSettings(String name, Map<String, String> source, javax.sql.DataSource sourceAdmin,
                              String slot, String publication, List<Table> tables, List<String> excludedColumns,
                              Duration pollInterval, int maxBatchSize, Duration heartbeatInterval, Duration backoff,
                              Duration maxBackoff, CaptureStore store) {

    /** The prefix of the logical messages the heartbeats write in the source database. */
    public static final String HEARTBEAT_MESSAGE = "dvd_cdc_heartbeat";

    /** A captured table and its primary key columns (the snapshot reads it in this order). */
    public record Table(String name, List<String> key) {
    }

    public CaptureSettings {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("A capture name is lower-case letters, digits and '_': " + name);
        }
        tables = List.copyOf(tables);
        excludedColumns = List.copyOf(excludedColumns);
    }

    /** Debezium's embedded engine and PostgreSQL connector configuration. */
    public Properties engineProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.put("offset.storage", StateOffsetBackingStore.class.getName());
        p.put(StateOffsetBackingStore.CAPTURE, name);
        // Offsets are written after every batch: the slot is confirmed only that far, and a restart repeats little.
        p.put("offset.flush.interval.ms", "0");
        source.forEach((k, v) -> p.put("database." + k, v));
        p.put("topic.prefix", name);
        p.put("plugin.name", "pgoutput");
        p.put("slot.name", slot);
        p.put("publication.name", publication);
        p.put("publication.autocreate.mode", "filtered");
        p.put("table.include.list", tables.stream().map(t -> "public." + t.name()).collect(Collectors.joining(",")));
        if (!excludedColumns.isEmpty()) {
            p.put("column.exclude.list", excludedColumns.stream().map(c -> "public\\." + c.replace(".", "\\."))
                    .collect(Collectors.joining(",")));
        }
        p.put("snapshot.mode", "initial");
        // The snapshot reads each table in key order, so that a snapshot repeated after a crash is cut the same way.
        p.put("snapshot.select.statement.overrides",
                tables.stream().map(t -> "public." + t.name()).collect(Collectors.joining(",")));
        for (Table t : tables) {
            p.put("snapshot.select.statement.overrides.public." + t.name(),
                    "SELECT * FROM public." + t.name() + " ORDER BY " + String.join(", ", t.key()));
        }
        p.put("tombstones.on.delete", "false");
        p.put("decimal.handling.mode", "precise");
        // Truncates arrive as changes too, so that none is lost silently.
        p.put("skipped.operations", "none");
        p.put("heartbeat.interval.ms", String.valueOf(heartbeatInterval.toMillis()));
        // A heartbeat confirms only positions the engine received, and the slot sends only its own database's WAL:
        // with the source idle and other databases of the server writing (the state database, often), the slot
        // would stay behind the server's WAL position, and a batch run waiting for it would time out. A logical
        // message written in the source database at each heartbeat moves it; the engine drops the message itself.
        p.put("heartbeat.action.query", "SELECT pg_logical_emit_message(false, '" + HEARTBEAT_MESSAGE + "', '')");
        p.put("message.prefix.exclude.list", HEARTBEAT_MESSAGE);
        p.put("poll.interval.ms", String.valueOf(pollInterval.toMillis()));
        p.put("max.batch.size", String.valueOf(maxBatchSize));
        p.put("max.queue.size", String.valueOf(maxBatchSize * 4));
        // A lost connection fails the engine after a few tries, so that the failure is seen (and retried with back-off)
        // instead of being retried for ever inside the engine.
        p.put("errors.max.retries", "3");
        Properties properties = new Properties();
        properties.putAll(p);
        return properties;
    }
}
