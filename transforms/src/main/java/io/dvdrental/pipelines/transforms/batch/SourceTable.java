package io.dvdrental.pipelines.transforms.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One source table of the batch pipeline, as data (see {@code batch/source-tables.json}): its key, its incremental
 * cursor, its columns with their ClickHouse types, and the rules a row must pass to enter bronze.
 *
 * @param keyCursor      an increasing key read instead of the cursor on incremental runs (payment has no
 *                       last_update); null when the cursor column serves
 * @param cursorNullable the cursor column can be NULL at the source: such a row has no place in the cursor order, so
 *                       every run reads it again (its {@code select} expression gives bronze a fallback value)
 */
public record SourceTable(String name, List<String> key, String cursor, String keyCursor, boolean cursorNullable,
                          LinkedHashMap<String, String> columns, Map<String, String> select,
                          Map<String, String> references, Map<String, String> notBefore) {

    public static final String EXTRACTED_AT = "_extracted_at";
    /** Parameters of {@link #extractQuery()}: the cursor range (exclusive, inclusive) and the key to read after. */
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String AFTER_KEY = "afterKey";
    public static final String RUN_ID = "_run_id";

    public SourceTable {
        select = select == null ? Map.of() : select;
        references = references == null ? Map.of() : references;
        notBefore = notBefore == null ? Map.of() : notBefore;
        if (!columns.containsKey(cursor) || !columns.keySet().containsAll(key)
                || (keyCursor != null && !columns.containsKey(keyCursor))) {
            throw new IllegalArgumentException("Source table " + name + ": key and cursor must be columns");
        }
    }

    public String bronzeTable() {
        return "bronze." + name;
    }

    public boolean required(String column) {
        return !columns.get(column).startsWith("Nullable(");
    }

    public boolean temporal(String column) {
        String type = columns.get(column);
        return type.contains("Date");
    }

    public String sourceExpression(String column) {
        return select.getOrDefault(column, column);
    }

    /**
     * The extract query with camel-sql parameters {@code :#from} and {@code :#to} (cursor range, exclusive-inclusive)
     * and, for tables read by key, {@code :#afterKey}. Rows whose cursor is NULL at the source are always read.
     */
    public String extractQuery() {
        String cursorExpression = sourceExpression(cursor);
        String range = cursorExpression + " > :#" + FROM + " AND " + cursorExpression + " <= :#" + TO;
        String where = (cursorNullable ? "(" + range + " OR " + cursor + " IS NULL)" : range)
                + (keyCursor == null ? "" : " AND " + keyCursor + " > :#" + AFTER_KEY);
        return "SELECT " + columns.keySet().stream().map(c -> sourceExpression(c) + " AS " + c)
                .collect(Collectors.joining(", ")) + " FROM public." + name + " WHERE " + where;
    }

    /** Bronze is append-only: every extracted version of a row, with when and by which run it was extracted. */
    public String bronzeDdl() {
        List<String> definitions = new ArrayList<>();
        columns.forEach((c, type) -> definitions.add(c + " " + type));
        definitions.add(EXTRACTED_AT + " DateTime64(3)");
        definitions.add(RUN_ID + " String");
        return "CREATE TABLE IF NOT EXISTS " + bronzeTable() + " (" + String.join(", ", definitions) + ") "
                + "ENGINE = MergeTree ORDER BY (" + String.join(", ", key) + ", " + cursor + ") "
                // A retried batch carries the same insert_deduplication_token and is not stored twice.
                + "SETTINGS non_replicated_deduplication_window = 10000";
    }

    /** Columns of a bronze insert, in the order of {@link BronzeRows#values}. */
    public List<String> insertColumns() {
        List<String> all = new ArrayList<>(columns.keySet());
        all.add(EXTRACTED_AT);
        all.add(RUN_ID);
        return all;
    }

    /** The business key as one string in ClickHouse SQL (composite keys joined with '|'). */
    public String keyExpression() {
        return key.size() == 1 ? "toString(" + key.get(0) + ")"
                : "concat(" + key.stream().map(k -> "toString(" + k + ")").collect(Collectors.joining(", '|', ")) + ")";
    }

    /** The business key of a source row, as {@link #keyExpression()} renders it. */
    public String keyOf(Map<String, Object> row) {
        return key.stream().map(k -> String.valueOf(row.get(k))).collect(Collectors.joining("|"));
    }

    /**
     * Bronze rows whose {@code column} names no row of {@code parent}, as rows for {@code silver.quarantine}
     * (table_name, row_key, reason, raw_row, run_id, detected_at). {@code runId} must be a plain token.
     */
    public String orphansSql(String column, SourceTable parent, String runId) {
        if (!runId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("Not a run id: " + runId);
        }
        return "SELECT '" + name + "', " + keyExpression() + ", concat('" + orphanReason(column) + "', toString(" + column
                + ")), formatRowNoNewline('JSONEachRow', " + String.join(", ", columns.keySet()) + "), '" + runId
                + "', now64(3) FROM " + bronzeTable() + " WHERE " + column + " NOT IN (SELECT " + parent.key().get(0)
                + " FROM " + parent.bronzeTable() + ")";
    }

    /** How a quarantined row with an unknown foreign key is described (the reason's prefix). */
    public static String orphanReason(String column) {
        return "unknown " + column + " ";
    }
}
