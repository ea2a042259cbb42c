package io.dvdrental.pipelines.warehouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The warehouse's DDL as the ClickHouse deployment at hand needs it. The migrations and the bronze tables are written
 * for one server (plain MergeTree engines, {@code non_replicated_deduplication_window}); this renders them for:
 * <ul>
 *   <li>{@link Kind#MERGE_TREE}: one server; as written;</li>
 *   <li>{@link Kind#SHARED}: ClickHouse Cloud, which turns every MergeTree into a SharedMergeTree itself and, like
 *       every replicated engine, deduplicates inserts by {@code replicated_deduplication_window} only;</li>
 *   <li>{@link Kind#REPLICATED}: a self-hosted cluster ({@code dvd.warehouse.cluster}): every statement that
 *       creates, alters or drops {@code ON CLUSTER} (an insert runs on one node; replication copies its parts),
 *       every MergeTree a ReplicatedMergeTree with the {@code {shard}} and {@code {replica}}
 *       macros each node defines, and {@code replicated_deduplication_window}.</li>
 * </ul>
 */
public record WarehouseDdl(Kind kind, String cluster) {

    public enum Kind { MERGE_TREE, SHARED, REPLICATED }

    /** Where each replicated table keeps its parts' metadata in ClickHouse Keeper (macros filled in by the node). */
    static final String REPLICA_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

    private static final Pattern ENGINE = Pattern.compile(
            "ENGINE\\s*=\\s*(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing)?MergeTree(\\s*\\(([^)]*)\\))?");
    private static final Pattern SCHEMA_CHANGE = Pattern.compile(
            "^(CREATE\\s+(?:DATABASE|TABLE|MATERIALIZED\\s+VIEW|(?:OR\\s+REPLACE\\s+)?VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
                    + "|ALTER\\s+TABLE\\s+|DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?)([\\w.`]+)",
            Pattern.CASE_INSENSITIVE);

    public WarehouseDdl {
        if (kind == Kind.REPLICATED && (cluster == null || cluster.isBlank())) {
            throw new IllegalArgumentException("A replicated warehouse needs the cluster's name (dvd.warehouse.cluster)");
        }
    }

    /**
     * The kind for the engine ClickHouse gave a table created as plain {@code MergeTree} (the migration history),
     * unless a cluster is configured.
     */
    public static WarehouseDdl forEngine(String engineFound, String cluster) {
        if (cluster != null && !cluster.isBlank()) {
            return new WarehouseDdl(Kind.REPLICATED, cluster);
        }
        return new WarehouseDdl(replicated(engineFound) ? Kind.SHARED : Kind.MERGE_TREE, null);
    }

    /** Whether an engine deduplicates by {@code replicated_deduplication_window} (Replicated* and Shared*). */
    public static boolean replicated(String engine) {
        return engine.startsWith("Replicated") || engine.startsWith("Shared");
    }

    /** The merge-tree setting that bounds insert deduplication for tables of an engine. */
    public static String deduplicationSetting(String engine) {
        return replicated(engine) ? "replicated_deduplication_window" : "non_replicated_deduplication_window";
    }

    public String render(String statement) {
        if (kind == Kind.MERGE_TREE) {
            return statement;
        }
        String rendered = statement.replace("non_replicated_deduplication_window", "replicated_deduplication_window");
        if (kind == Kind.SHARED) {
            return rendered;
        }
        Matcher head = SCHEMA_CHANGE.matcher(rendered);
        if (head.find()) {
            rendered = rendered.substring(0, head.end()) + " ON CLUSTER '" + cluster + "'" + rendered.substring(head.end());
        }
        Matcher engine = ENGINE.matcher(rendered);
        StringBuilder out = new StringBuilder();
        while (engine.find()) {
            String family = engine.group(1) == null ? "" : engine.group(1);
            String arguments = engine.group(3) == null || engine.group(3).isBlank() ? "" : ", " + engine.group(3).strip();
            engine.appendReplacement(out, Matcher.quoteReplacement(
                    "ENGINE = Replicated" + family + "MergeTree(" + REPLICA_PATH + arguments + ")"));
        }
        engine.appendTail(out);
        return out.toString();
    }
}
