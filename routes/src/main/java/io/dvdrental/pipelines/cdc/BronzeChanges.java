package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.Warehouse;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What the capture does in ClickHouse: the ranges of its inserts ({@code bronze.cdc_ranges}), the bronze inserts
 * themselves, and the columns added to bronze because they were added at the source.
 */
final class BronzeChanges {

    static final String RANGES = "bronze.cdc_ranges";
    private static final java.util.regex.Pattern COLUMN = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*");

    /** A new range to write down: table, range, rows. */
    record Planned(String table, Range range, int rows) {
    }

    private final Warehouse warehouse;
    private final Map<String, List<String>> added = new ConcurrentHashMap<>();

    BronzeChanges(Warehouse warehouse, SourceTables tables) {
        this.warehouse = warehouse;
        for (SourceTable table : tables.tables()) {
            List<String> known = table.changeInsertColumns();
            String[] parts = table.bronzeTable().split("\\.");
            List<String> extra = warehouse.jdbc().queryForList("SELECT name FROM system.columns WHERE database = ? "
                    + "AND table = ? ORDER BY position", String.class, parts[0], parts[1]).stream()
                    .filter(c -> !known.contains(c)).toList();
            added.put(table.name(), new CopyOnWriteArrayList<>(extra));
        }
    }

    /** Columns of the table added at the source since bronze was made, in bronze's order. */
    List<String> addedColumns(String table) {
        return added.get(table);
    }

    /** Adds a column that appeared at the source; false when its name is not one bronze can take. */
    boolean addColumn(SourceTable table, String column, String type) {
        if (!COLUMN.matcher(column).matches()) {
            return false;
        }
        warehouse.execute("ALTER TABLE " + table.bronzeTable() + " ADD COLUMN IF NOT EXISTS " + column + " " + type);
        List<String> columns = added.get(table.name());
        if (!columns.contains(column)) {
            columns.add(column);
        }
        return true;
    }

    /** Ranges written down for these tables of a generation that end at or after {@code fromCommit}, ordered. */
    Map<String, List<Range>> knownRanges(String generation, Collection<String> tables, long fromCommit) {
        Map<String, List<Range>> known = new HashMap<>();
        String names = tables.stream().map(t -> "'" + tableName(t) + "'").collect(Collectors.joining(","));
        warehouse.jdbc().query("SELECT DISTINCT table_name, first_commit_lsn, first_change_lsn, first_key, "
                        + "last_commit_lsn, last_change_lsn, last_key FROM " + RANGES + " WHERE generation = ? "
                        + "AND table_name IN (" + names + ") AND last_commit_lsn >= ? "
                        + "ORDER BY table_name, first_commit_lsn, first_change_lsn, first_key",
                rs -> {
                    known.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(new Range(
                            new ChangePosition(rs.getLong(2), rs.getLong(3), longs(rs.getArray(4))),
                            new ChangePosition(rs.getLong(5), rs.getLong(6), longs(rs.getArray(7)))));
                }, generation, fromCommit);
        return known;
    }

    /** Writes new ranges down (one insert), before their rows are inserted. */
    void recordRanges(String generation, List<Planned> ranges) throws Exception {
        if (ranges.isEmpty()) {
            return;
        }
        List<List<Object>> rows = new ArrayList<>(ranges.size());
        for (Planned p : ranges) {
            rows.add(List.of(generation, p.table(), p.range().first().commitLsn(), p.range().first().changeLsn(),
                    array(p.range().first().key()), p.range().last().commitLsn(), p.range().last().changeLsn(),
                    array(p.range().last().key()), p.rows()));
        }
        Planned first = ranges.get(0);
        warehouse.insert(RANGES, List.of("generation", "table_name", "first_commit_lsn", "first_change_lsn",
                        "first_key", "last_commit_lsn", "last_change_lsn", "last_key", "rows"), rows,
                first.range().token(first.table(), generation) + "-ranges-" + ranges.size());
    }

    void insert(SourceTable table, List<List<Object>> rows, String token) throws Exception {
        List<String> columns = new ArrayList<>(table.changeInsertColumns());
        columns.addAll(added.get(table.name()));
        warehouse.insert(table.bronzeTable(), columns, rows, token);
    }

    void quarantine(List<List<Object>> rows, String token) throws Exception {
        warehouse.insert("silver.quarantine", List.of("table_name", "row_key", "reason", "raw_row", "run_id",
                "detected_at"), rows, token);
    }

    private static String array(long[] key) {
        return "[" + Arrays.stream(key).mapToObj(Long::toString).collect(Collectors.joining(",")) + "]";
    }

    private static long[] longs(java.sql.Array array) throws java.sql.SQLException {
        Object values = array.getArray();
        if (values instanceof long[] longs) {
            return longs;
        }
        Object[] boxed = (Object[]) values;
        long[] longs = new long[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            longs[i] = ((Number) boxed[i]).longValue();
        }
        return longs;
    }

    /** Table names come from the source-table specs; refuse anything else before it reaches SQL. */
    private static String tableName(String table) {
        if (!COLUMN.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a source table name: " + table);
        }
        return table;
    }
}
