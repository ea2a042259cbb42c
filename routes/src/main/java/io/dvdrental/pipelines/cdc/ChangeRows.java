package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.ChangeOp;
import io.dvdrental.pipelines.capture.ChangeRecord;
import io.dvdrental.pipelines.capture.SourceColumn;
import io.dvdrental.pipelines.transforms.batch.BronzeRows;
import io.dvdrental.pipelines.transforms.batch.SourceTable;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Captured changes of one source table as bronze rows: the table's columns as the cursor extract reads them, then the
 * change-capture columns ({@code _op}, {@code _lsn}, {@code _change_lsn}, {@code _committed_at}) and the columns added
 * at the source since bronze was made.
 *
 * <p>The cursor extract reads some columns through a SQL expression ({@code select} in {@code source-tables.json});
 * the change stream carries the stored values, so each expression is done here in Java. Only the forms below are
 * understood; any other stops the server at start-up rather than loading different values in each mode:
 * {@code CAST(c AS t)} (the stream already carries an enum as text and a domain as its base type),
 * {@code trim(c)}, {@code array_to_string(c, 'sep')}, {@code coalesce(c, CAST(d AS timestamp))}.
 */
public final class ChangeRows {

    private static final Pattern CAST = Pattern.compile("CAST\\((\\w+) AS [\\w ]+\\)");
    private static final Pattern TRIM = Pattern.compile("trim\\((\\w+)\\)");
    private static final Pattern JOIN = Pattern.compile("array_to_string\\((\\w+), '([^']*)'\\)");
    private static final Pattern FALLBACK = Pattern.compile("coalesce\\((\\w+), CAST\\((\\w+) AS timestamp\\)\\)");

    private final SourceTable table;
    private final Map<String, Function<Map<String, Object>, Object>> columns = new LinkedHashMap<>();

    public ChangeRows(SourceTable table) {
        this.table = table;
        for (String column : table.columns().keySet()) {
            columns.put(column, reader(table.name(), column, table.sourceExpression(column)));
        }
    }

    public SourceTable table() {
        return table;
    }

    /** The row as the cursor extract would have read it (a delete: its key, nothing else). */
    public Map<String, Object> row(ChangeRecord change) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Map<String, Object>, Object>> column : columns.entrySet()) {
            boolean kept = change.op() != ChangeOp.DELETE || table.key().contains(column.getKey());
            row.put(column.getKey(), kept ? column.getValue().apply(change.values()) : null);
        }
        return row;
    }

    /** Why the change cannot enter bronze (it goes to quarantine with the reason), or empty when it can. */
    public Optional<String> problem(ChangeRecord change, Map<String, Object> row, LocalDateTime now) {
        if (change.op() == ChangeOp.TRUNCATE) {
            return Optional.of("TRUNCATE of " + table.name() + " at the source: bronze keeps its rows; a resnapshot "
                    + "(POST /api/cdc/resnapshot) makes the warehouse match the source again");
        }
        if (change.op() == ChangeOp.DELETE) {
            return table.key().stream().filter(k -> row.get(k) == null).findFirst()
                    .map(k -> "delete without key column " + k);
        }
        List<String> streamed = change.columns().stream().map(SourceColumn::name).toList();
        for (String column : table.columns().keySet()) {
            String source = sourceColumn(table.sourceExpression(column));
            if (!streamed.contains(source)) {
                return Optional.of("column " + source + " no longer exists at the source");
            }
        }
        return BronzeRows.problem(table, row, now);
    }

    /**
     * The values of a bronze insert, in the order of {@link SourceTable#changeInsertColumns()} followed by
     * {@code added} (columns added at the source).
     */
    public List<Object> values(ChangeRecord change, Map<String, Object> row, List<String> added, String extractedAt,
                               String runId) {
        List<Object> values = new ArrayList<>(BronzeRows.values(table, row, extractedAt, runId));
        values.add(change.op().code());
        values.add(change.commitLsn());
        values.add(change.changeLsn());
        values.add(BronzeRows.format(LocalDateTime.ofInstant(change.committedAt(), ZoneOffset.UTC)));
        for (String column : added) {
            values.add(change.op() == ChangeOp.DELETE ? null : clickHouseValue(change.values().get(column)));
        }
        return values;
    }

    /** Source columns of the change that bronze does not know (added at the source), with their stream types. */
    public List<SourceColumn> unknownColumns(ChangeRecord change, List<String> added) {
        return change.columns().stream().filter(c -> !table.columns().containsKey(c.name())
                        && !added.contains(c.name()) && columns.keySet().stream()
                        .noneMatch(k -> sourceColumn(table.sourceExpression(k)).equals(c.name())))
                .toList();
    }

    /** The bronze type of a column added at the source, or empty when the stream's type has none. */
    public static Optional<String> bronzeType(SourceColumn column) {
        String type = switch (column.type()) {
            case "int16" -> "Int16";
            case "int32" -> "Int32";
            case "int64" -> "Int64";
            case "float32" -> "Float32";
            case "float64" -> "Float64";
            case "boolean" -> "Bool";
            case "string", "time", "array", "timestamptz" -> "String";
            case "bytes" -> "String";
            case "decimal" -> column.scale() >= 0 ? "Decimal(38, " + column.scale() + ")" : "String";
            case "date" -> "Date32";
            case "timestamp" -> "DateTime64(6)";
            default -> null;
        };
        return Optional.ofNullable(type).map(t -> "Nullable(" + t + ")");
    }

    static Object clickHouseValue(Object value) {
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value instanceof LocalDateTime at) {
            return at.toString().replace('T', ' ');
        }
        return BronzeRows.clickHouseValue(value);
    }

    private static String sourceColumn(String expression) {
        for (Pattern form : List.of(CAST, TRIM, JOIN, FALLBACK)) {
            Matcher m = form.matcher(expression);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return expression;
    }

    private static Function<Map<String, Object>, Object> reader(String table, String column, String expression) {
        if (expression.equals(column)) {
            return values -> values.get(column);
        }
        Matcher m;
        if ((m = CAST.matcher(expression)).matches()) {
            String source = m.group(1);
            return values -> values.get(source);
        }
        if ((m = TRIM.matcher(expression)).matches()) {
            String source = m.group(1);
            return values -> values.get(source) instanceof String s ? s.strip() : values.get(source);
        }
        if ((m = JOIN.matcher(expression)).matches()) {
            String source = m.group(1);
            String separator = m.group(2);
            return values -> values.get(source) instanceof List<?> list
                    ? list.stream().map(String::valueOf).collect(Collectors.joining(separator)) : null;
        }
        if ((m = FALLBACK.matcher(expression)).matches()) {
            String source = m.group(1);
            String fallback = m.group(2);
            return values -> {
                Object value = values.get(source);
                Object other = values.get(fallback);
                return value != null ? value : other instanceof LocalDate d ? d.atStartOfDay() : other;
            };
        }
        throw new IllegalArgumentException("Change data capture cannot read " + table + "." + column + ": its source "
                + "expression '" + expression + "' is none of CAST(c AS t), trim(c), array_to_string(c, 'sep'), "
                + "coalesce(c, CAST(d AS timestamp))");
    }
}
