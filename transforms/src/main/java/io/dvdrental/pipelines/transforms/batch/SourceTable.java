package io.dvdrental.pipelines.transforms.batch;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /** The alias of a row's problem in {@link #quarantineSelect}. */
    private static final String PROBLEM = "_problem";
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    public static final String RUN_ID = "_run_id";
    /** What happened to the row: 'r' (read by the cursor extract or the snapshot), 'c', 'u', 'd' (a delete). */
    public static final String OP = "_op";
    /** The commit LSN that orders the row's transaction (change data capture; 0 for the cursor extract). */
    public static final String LSN = "_lsn";
    /** The LSN of the change within its transaction (0 for snapshot and cursor rows). */
    public static final String CHANGE_LSN = "_change_lsn";
    /** When the source committed the change (change data capture; 1970 for the cursor extract). */
    public static final String COMMITTED_AT = "_committed_at";

    /**
     * The change-capture columns of every bronze row. (_lsn, _change_lsn, _extracted_at) orders the versions of a key
     * totally; the cursor extract leaves the defaults.
     */
    private static final Map<String, String> CHANGE_COLUMNS = orderedMap(OP, "LowCardinality(String) DEFAULT 'r'",
            LSN, "UInt64", CHANGE_LSN, "UInt64", COMMITTED_AT, "DateTime64(3, 'UTC')");

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
     * Rows below an incremental read's cursor range that it reads only when their transaction may have committed
     * after the last read: cursor after {@code from} (key after {@code afterKey}, for tables read by key), and written
     * by a transaction at or after {@code snapshotXmin}, the last read's snapshot xmin (a 64-bit xid). Older
     * transactions had ended when that read took its snapshot, so it saw their rows.
     */
    public record Lookback(LocalDateTime from, long afterKey, long snapshotXmin) {
    }

    /**
     * The extract as PostgreSQL's {@code COPY … TO STDOUT} in its text format: one line per row, tab-separated, NULL
     * as {@code \\N}, newlines and tabs in values escaped, which is ClickHouse's TabSeparated. COPY takes no bind
     * parameters, so the cursor range ({@code from} exclusive, {@code to} inclusive) and, for tables read by key, the
     * key to read after are rendered as literals from typed values. Rows whose cursor is NULL at the source are always
     * read; with a {@code lookback} (may be null), only when their transaction may have committed late, as the
     * lookback's rows.
     */
    public String copyQuery(LocalDateTime from, LocalDateTime to, long afterKey, Lookback lookback) {
        String where = lookback == null ? range(from, to, afterKey, true)
                : "(" + range(from, to, afterKey, false) + ") OR (" + range(lookback.from(), to, lookback.afterKey(),
                true) + " AND " + transactionFrom(lookback.snapshotXmin()) + ")";
        return "COPY (SELECT " + columns.keySet().stream().map(c -> sourceExpression(c) + " AS " + c)
                .collect(Collectors.joining(", ")) + " FROM public." + name + " WHERE " + where + ") TO STDOUT";
    }

    private String range(LocalDateTime from, LocalDateTime to, long afterKey, boolean nullCursors) {
        String cursorExpression = sourceExpression(cursor);
        String range = cursorExpression + " > " + timestamp(from) + " AND " + cursorExpression + " <= " + timestamp(to);
        return (cursorNullable && nullCursors ? "(" + range + " OR " + cursor + " IS NULL)" : range)
                + (keyCursor == null ? "" : " AND " + keyCursor + " > " + afterKey);
    }

    /**
     * A row version written by a transaction at or after {@code xid8}. A row's {@code xmin} is a 32-bit xid, which
     * PostgreSQL 14 cannot widen; {@code age()} counts back from the current xid modulo 2^32, so comparing ages is
     * right while both are within 2^31 transactions of it (see {@link Watermark#lateSince}); a row whose xid is
     * older than that may look young and is read again, which does no harm.
     */
    private static String transactionFrom(long xid8) {
        return "age(xmin) <= age('" + (xid8 & 0xFFFF_FFFFL) + "'::xid)";
    }

    private static String timestamp(LocalDateTime at) {
        return "TIMESTAMP '" + MICROS.format(at) + "'";
    }

    /**
     * The columns of {@link #copyQuery} as ClickHouse's {@code input()} reads them: all Nullable, so that a missing
     * required value can be quarantined instead of failing the insert, and dates as the source's ISO text, so that an
     * impossible one (before ClickHouse's DateTime range) can be named in its reason.
     */
    public String inputStructure() {
        return columns.entrySet().stream().map(c -> c.getKey() + " Nullable(" + (temporal(c.getKey()) ? "String"
                : unwrapNullable(c.getValue())) + ")").collect(Collectors.joining(", "));
    }

    /**
     * Why a row of {@link #inputStructure()} cannot enter bronze, as ClickHouse SQL: the empty string when it can.
     * The first problem found is named, in this order: a NULL in a required column, a date before
     * {@link BronzeRows#EARLIEST} or more than a day after {@code now}, a date out of its {@code notBefore} order.
     * Dates are compared as the source's ISO text (which orders like time) and named as Java prints them.
     */
    public String problemSql(LocalDateTime now) {
        List<String> branches = new ArrayList<>();
        String earliest = "'" + BronzeRows.EARLIEST.toLocalDate() + "'";
        String latest = "'" + MICROS.format(now.plusDays(1)) + "'";
        for (String column : columns.keySet()) {
            if (required(column)) {
                branches.add(column + " IS NULL");
                branches.add("'" + column + " is null'");
            }
            if (temporal(column)) {
                branches.add(column + " < " + earliest + " OR " + column + " > " + latest);
                branches.add("concat('" + column + " ', " + javaDateTime(column) + ", ' is impossible (before "
                        + BronzeRows.EARLIEST.toLocalDate() + " or in the future)')");
            }
        }
        notBefore.forEach((later, earlier) -> {
            branches.add(asDateTime(later) + " < " + asDateTime(earlier));
            branches.add("concat('" + later + " ', " + javaDateTime(later) + ", ' is before " + earlier + " ', "
                    + javaDateTime(earlier) + ")");
        });
        return branches.isEmpty() ? "''" : "multiIf(" + String.join(", ", branches) + ", '')";
    }

    /**
     * The SELECT of a bronze load from TabSeparated rows of {@link #copyQuery} (into {@link #insertColumns()}): the
     * rows without a {@link #problemSql problem}, dates converted to their column's type. {@code runId} and
     * {@code extractedAt} must be plain text (a run id, a timestamp).
     */
    public String bronzeSelect(LocalDateTime now, String extractedAt, String runId) {
        return "SELECT " + columns.keySet().stream().map(c -> temporal(c) ? "CAST(" + c + " AS " + columns.get(c) + ")"
                : c).collect(Collectors.joining(", ")) + ", " + plain(extractedAt) + ", " + plain(runId)
                + " FROM input('" + inputStructure() + "') WHERE " + problemSql(now) + " = ''";
    }

    /**
     * The SELECT of the same rows' quarantine: the rows with a {@link #problemSql problem}, as rows of
     * {@code silver.quarantine} (table_name, row_key, reason, raw_row, run_id, detected_at).
     */
    public String quarantineSelect(LocalDateTime now, String detectedAt, String runId) {
        return "SELECT '" + name + "', " + keyExpression() + ", " + PROBLEM + ", formatRowNoNewline('JSONEachRow', "
                + String.join(", ", columns.keySet()) + "), " + plain(runId) + ", " + plain(detectedAt)
                + " FROM input('" + inputStructure() + "') WHERE (" + problemSql(now) + " AS " + PROBLEM + ") != ''";
    }

    /** A date column's ISO text as Java's LocalDateTime prints it (2005-05-24T22:53:30, 1899-12-31T00:00). */
    private String javaDateTime(String column) {
        String c = column;
        return "if(match(" + c + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2}'), concat(substring(" + c + ", 1, 10), 'T', multiIf("
                + "length(" + c + ") = 10, '00:00', "
                + "length(" + c + ") = 19 AND endsWith(" + c + ", ':00'), substring(" + c + ", 12, 5), "
                + "length(" + c + ") = 19, substring(" + c + ", 12, 8), "
                + "concat(substring(" + c + ", 12, 9), rightPad(substring(" + c + ", 21), if(length(" + c
                + ") <= 23, 3, 6), '0')))), " + c + ")";
    }

    /** A date column's text comparable with a timestamp's: a Date is its midnight. */
    private String asDateTime(String column) {
        return columns.get(column).contains("DateTime") ? column : "concat(" + column + ", ' 00:00:00')";
    }

    private static String unwrapNullable(String type) {
        return type.startsWith("Nullable(") ? type.substring("Nullable(".length(), type.length() - 1) : type;
    }

    private static String plain(String text) {
        if (!text.matches("[A-Za-z0-9_:. -]+")) {
            throw new IllegalArgumentException("Not plain text for SQL: " + text);
        }
        return "'" + text + "'";
    }

    /**
     * The range of run ids in each granule of bronze: an incremental run asks for the rows the runs since a node was
     * last looked at loaded ({@link #keysLoadedBy}), which sit in the newest parts, and skips the others (run ids
     * grow with their start time). SF=100, 1.6 M rentals and a run's 16,044, on a busy machine: 6-8 ms instead of
     * 65-97 ms per read.
     */
    private static final String RUN_ID_INDEX_NAME = "run_id_range";
    private static final String RUN_ID_INDEX = "INDEX " + RUN_ID_INDEX_NAME + " " + RUN_ID
            + " TYPE minmax GRANULARITY 1";

    /** Bronze is append-only: every extracted version of a row, with when and by which run it was extracted. */
    public String bronzeDdl() {
        List<String> definitions = new ArrayList<>();
        columns.forEach((c, type) -> definitions.add(c + " " + type));
        definitions.add(EXTRACTED_AT + " DateTime64(3)");
        definitions.add(RUN_ID + " String");
        CHANGE_COLUMNS.forEach((c, type) -> definitions.add(c + " " + type));
        definitions.add(RUN_ID_INDEX);
        return "CREATE TABLE IF NOT EXISTS " + bronzeTable() + " (" + String.join(", ", definitions) + ") "
                + "ENGINE = MergeTree ORDER BY (" + String.join(", ", key) + ", " + cursor + ") "
                // A retried batch carries the same insert_deduplication_token and is not stored twice.
                + "SETTINGS non_replicated_deduplication_window = 10000";
    }

    /**
     * Brings a bronze table made by an older release to the current definition: the change-capture columns,
     * columns that became optional (payment.rental_id, which the source's ON DELETE SET NULL empties when a rental
     * is deleted), and the run id index (built for the rows already there too, in the background). Bronze tables are
     * made at start-up from this class, after the warehouse migrations, and ClickHouse has no
     * {@code ALTER TABLE IF EXISTS}: so the definition and its upgrade live here, side by side, instead of in a
     * migration file.
     *
     * None for a table that is current.
     *
     * @param existing the table's columns as they are, with their types
     * @param indexes  the table's data-skipping indexes, by name
     */
    public List<String> bronzeUpgrades(Map<String, String> existing, Set<String> indexes) {
        List<String> statements = new ArrayList<>();
        String missing = CHANGE_COLUMNS.entrySet().stream().filter(c -> !existing.containsKey(c.getKey()))
                .map(c -> "ADD COLUMN IF NOT EXISTS " + c.getKey() + " " + c.getValue())
                .collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            statements.add("ALTER TABLE " + bronzeTable() + " " + missing);
        }
        columns.forEach((column, type) -> {
            if (type.equals("Nullable(" + existing.get(column) + ")")) {
                statements.add("ALTER TABLE " + bronzeTable() + " MODIFY COLUMN " + column + " " + type);
            }
        });
        if (!indexes.contains(RUN_ID_INDEX_NAME)) {
            statements.add("ALTER TABLE " + bronzeTable() + " ADD " + RUN_ID_INDEX);
            statements.add("ALTER TABLE " + bronzeTable() + " MATERIALIZE INDEX " + RUN_ID_INDEX_NAME);
        }
        return statements;
    }

    /** Columns of a bronze insert of captured changes: {@link #insertColumns()}, then the change-capture columns. */
    public List<String> changeInsertColumns() {
        List<String> all = insertColumns();
        all.addAll(CHANGE_COLUMNS.keySet());
        return all;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Columns of a bronze insert, in the order of {@link BronzeRows#values}. */
    public List<String> insertColumns() {
        List<String> all = new ArrayList<>(columns.keySet());
        all.add(EXTRACTED_AT);
        all.add(RUN_ID);
        return all;
    }

    /**
     * The order of a key's versions in bronze, latest first: by position in the source's WAL (captured changes), then
     * by the cursor ({@code last_update}; cursor rows have position 0), then by extraction.
     */
    public String latestFirst() {
        return LSN + " DESC, " + CHANGE_LSN + " DESC, " + cursor + " DESC, " + EXTRACTED_AT + " DESC";
    }

    /**
     * The clauses that keep each key's latest version of a bronze query ({@code SELECT ... FROM bronze.<table>}):
     * what every current-state model and {@code reconcile_bronze_silver} use, as {@code {{latest_per_key <table>}}}
     * in the model files.
     */
    public String latestPerKey() {
        String keys = String.join(", ", key);
        return "ORDER BY " + keys + ", " + latestFirst() + " LIMIT 1 BY " + keys;
    }

    /** The columns {@link #latestPerKey()} reads, with the operation: enough to count the keys' latest versions. */
    public String latestPerKeyColumns() {
        return String.join(", ", key) + ", " + OP + ", " + LSN + ", " + CHANGE_LSN + ", " + cursor + ", "
                + EXTRACTED_AT;
    }

    /** The business key as one string in ClickHouse SQL (composite keys joined with '|'). */
    public String keyExpression() {
        return key.size() == 1 ? "toString(" + key.get(0) + ")"
                : "concat(" + key.stream().map(k -> "toString(" + k + ")").collect(Collectors.joining(", '|', ")) + ")";
    }

    /**
     * Bronze rows whose {@code column} names no row of {@code parent}, as rows for {@code silver.quarantine}
     * (table_name, row_key, reason, raw_row, run_id, detected_at). {@code runId} must be a plain token. Delete rows
     * carry only their key (defaults elsewhere), so their foreign keys name nothing and are not checked; nor is a
     * NULL in an optional reference (it names no row on purpose).
     */
    public String orphansSql(String column, SourceTable parent, String runId) {
        return orphansSql(column, parent, runId, null);
    }

    /**
     * {@link #orphansSql(String, SourceTable, String)} over the rows of the keys in {@code lookedAt} (a table holding
     * the key and foreign-key columns of some of the table's bronze rows, copied by {@link #rowsToLookAtSql}; null:
     * every bronze row).
     */
    public String orphansSql(String column, SourceTable parent, String runId, String lookedAt) {
        String keys = String.join(", ", key);
        return "SELECT '" + name + "', " + keyExpression() + ", concat('" + orphanReason(column) + "', toString(" + column
                + ")), formatRowNoNewline('JSONEachRow', " + String.join(", ", columns.keySet()) + "), '"
                + runId(runId) + "', now64(3) FROM " + bronzeTable() + " WHERE " + OP + " != 'd'"
                + (lookedAt == null ? "" : " AND (" + keys + ") IN (SELECT " + keys + " FROM " + lookedAt + ")")
                + " AND " + orphan(column, parent, lookedAt);
    }

    /**
     * In one pass over the rows in {@code lookedAt} (as {@link #orphansSql(String, SourceTable, String, String)}):
     * how many rows it looks at, then for each of these foreign-key columns (with the table each references), in
     * their order, how many of them it returns.
     */
    public String orphanCountsSql(Map<String, SourceTable> parents, String lookedAt) {
        return "SELECT count()" + parents.entrySet().stream().map(ref -> ", countIf(" + orphan(ref.getKey(),
                ref.getValue(), lookedAt) + ")").collect(Collectors.joining()) + " FROM "
                + (lookedAt == null ? bronzeTable() + " WHERE " + OP + " != 'd'" : lookedAt);
    }

    /**
     * The key and these foreign-key columns of the bronze rows that meet {@code rows} (a condition on them, e.g.
     * {@link #rowsOfKeysLoadedBy}), to be copied into a table of their own that the foreign-key checks read: bronze
     * read once however many foreign keys and parents look at them (SF=100, 1.6 M rentals, a run's 16,044 spread over
     * all of them: each read of bronze for them read its whole key column).
     */
    public String rowsToLookAtSql(Collection<String> foreignKeys, String rows) {
        // A foreign key may be part of the key (film_actor's film_id): each column once.
        Set<String> read = new LinkedHashSet<>(key);
        read.addAll(foreignKeys);
        return "SELECT " + String.join(", ", read) + " FROM " + bronzeTable() + " WHERE " + OP + " != 'd' AND ("
                + rows + ")";
    }

    /**
     * The row's {@code column} names no row of {@code parent}. Over some rows, the parent's keys are taken among the
     * ones those rows name only, not the parent's whole bronze.
     */
    private String orphan(String column, SourceTable parent, String lookedAt) {
        String parentKey = parent.key().get(0);
        return column + " IS NOT NULL AND "
                // Past IS NOT NULL: a Nullable column's NOT IN is about ten times slower than a plain one's.
                + (required(column) ? column : "assumeNotNull(" + column + ")") + " NOT IN (SELECT " + parentKey
                + " FROM " + parent.bronzeTable() + (lookedAt == null ? "" : " WHERE " + parentKey + " IN (SELECT "
                + column + " FROM " + lookedAt + ")") + ")";
    }

    /**
     * A condition on the table's bronze rows: those whose key is among these {@link #keyExpression()} strings (a
     * subquery of them in a column {@code row_key}, as silver.quarantine keeps them), compared as the key columns
     * are: no string made per row.
     */
    public String rowsOfKeys(String rowKeys) {
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            typed.add("CAST(splitByChar('|', row_key)[" + (i + 1) + "], '" + columns.get(key.get(i)) + "')");
        }
        return "(" + String.join(", ", key) + ") IN (SELECT " + String.join(", ", typed) + " FROM (" + rowKeys + "))";
    }

    /**
     * A condition on the table's bronze rows: those of the keys these runs loaded. On the key columns as they are,
     * not as strings: no string made per row, and the primary index skips the parts of the table without them.
     */
    public String rowsOfKeysLoadedBy(Collection<String> runIds) {
        return "(" + String.join(", ", key) + ") IN (" + keyColumnsLoadedBy(runIds) + ")";
    }

    /** The keys ({@link #keyExpression()}) of the bronze rows these runs loaded, as a subquery. */
    public String keysLoadedBy(Collection<String> runIds) {
        return "SELECT " + keyExpression() + " FROM " + bronzeTable() + " WHERE " + loadedBy(runIds);
    }

    /** The key columns of the bronze rows these runs loaded, as a subquery. */
    public String keyColumnsLoadedBy(Collection<String> runIds) {
        return "SELECT " + String.join(", ", key) + " FROM " + bronzeTable() + " WHERE " + loadedBy(runIds);
    }

    /**
     * The key columns of the bronze rows these runs loaded whose key no other run had loaded (new to bronze), as a
     * subquery.
     */
    public String keyColumnsNewIn(Collection<String> runIds) {
        String keys = String.join(", ", key);
        return "SELECT " + keys + " FROM " + bronzeTable() + " WHERE (" + keys + ") IN (" + keyColumnsLoadedBy(runIds)
                + ") GROUP BY " + keys + " HAVING countIf(NOT " + loadedBy(runIds) + ") = 0";
    }

    private static String loadedBy(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            throw new IllegalArgumentException("No runs to take the rows of");
        }
        return RUN_ID + " IN (" + runIds.stream().map(id -> "'" + runId(id) + "'").collect(Collectors.joining(", "))
                + ")";
    }

    private static String runId(String runId) {
        if (!runId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("Not a run id: " + runId);
        }
        return runId;
    }

    /** How a quarantined row with an unknown foreign key is described (the reason's prefix). */
    public static String orphanReason(String column) {
        return "unknown " + column + " ";
    }
}
