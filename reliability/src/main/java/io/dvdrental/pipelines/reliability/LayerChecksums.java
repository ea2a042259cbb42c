package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A content checksum per table of a warehouse database (gold): row count and the sum of a hash of every row over
 * its columns, so equal checksums mean equal contents whatever the physical order or parts. Columns starting with
 * an underscore (load metadata such as {@code _extracted_at}) are left out; so are the tables named in
 * {@code ignored} (freshness and quarantine records differ per run by design).
 */
public final class LayerChecksums {

    private final Warehouse warehouse;

    public LayerChecksums(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    public Map<String, String> of(String database, List<String> ignored) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        String tables = warehouse.query("SELECT name, engine FROM system.tables WHERE database = '" + database
                + "' AND engine NOT LIKE '%View' AND name NOT LIKE '.%' ORDER BY name");
        for (String line : tables.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            String table = parts[0];
            if (ignored.contains(table)) {
                continue;
            }
            // Engines that merge rows in the background are read as merged.
            boolean merging = parts[1].matches("(Replacing|Collapsing|VersionedCollapsing|Summing|Aggregating).*");
            List<String> columns = new ArrayList<>();
            for (String column : warehouse.query("SELECT name FROM system.columns WHERE database = '" + database
                    + "' AND table = '" + table + "' ORDER BY position").split("\n")) {
                if (!column.isBlank() && !column.startsWith("_")) {
                    columns.add("`" + column + "`");
                }
            }
            String sql = "SELECT count(), sum(cityHash64(" + String.join(", ", columns) + ")) FROM " + database
                    + ".`" + table + "`" + (merging ? " FINAL" : "");
            sums.put(table, warehouse.query(sql).replace('\t', '/'));
        }
        return sums;
    }

    /** Tables whose checksums differ between {@code a} and {@code b} (missing on one side counts). */
    public static List<String> differences(Map<String, String> a, Map<String, String> b) {
        List<String> diff = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(a);
        b.forEach(all::putIfAbsent);
        for (String table : all.keySet()) {
            if (!String.valueOf(a.get(table)).equals(String.valueOf(b.get(table)))) {
                diff.add(table + " (" + a.get(table) + " vs " + b.get(table) + ")");
            }
        }
        return diff;
    }
}
