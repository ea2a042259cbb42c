package io.dvdrental.pipelines.transforms.batch;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source rows on their way to bronze: the checks a row must pass (else it is quarantined with the reason) and
 * its values as ClickHouse takes them. Timestamps travel as wall-clock text so that no time zone shifts them.
 */
public final class BronzeRows {

    /** Older dates than this are impossible in the rental business (and below ClickHouse's DateTime range). */
    public static final LocalDateTime EARLIEST = LocalDateTime.of(1990, 1, 1, 0, 0);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private BronzeRows() {
    }

    /**
     * Why the row cannot enter bronze, or empty when it can. {@code now} bounds dates from above (plus a day). Change
     * capture checks its rows here; the cursor extract has ClickHouse run the same checks with the same reasons
     * ({@link SourceTable#problemSql}), so the two change together.
     */
    public static Optional<String> problem(SourceTable table, Map<String, Object> row, LocalDateTime now) {
        for (String column : table.columns().keySet()) {
            Object value = row.get(column);
            if (value == null) {
                if (table.required(column)) {
                    return Optional.of(column + " is null");
                }
                continue;
            }
            if (table.temporal(column)) {
                LocalDateTime at = dateTime(value);
                if (at.isBefore(EARLIEST) || at.isAfter(now.plusDays(1))) {
                    return Optional.of(column + " " + at + " is impossible (before " + EARLIEST.toLocalDate()
                            + " or in the future)");
                }
            }
        }
        for (Map.Entry<String, String> order : table.notBefore().entrySet()) {
            Object later = row.get(order.getKey());
            Object earlier = row.get(order.getValue());
            if (later != null && earlier != null && dateTime(later).isBefore(dateTime(earlier))) {
                return Optional.of(order.getKey() + " " + dateTime(later) + " is before " + order.getValue() + " "
                        + dateTime(earlier));
            }
        }
        return Optional.empty();
    }

    /** The values of a bronze insert in the order of {@link SourceTable#insertColumns()}. */
    public static List<Object> values(SourceTable table, Map<String, Object> row, String extractedAt, String runId) {
        List<Object> values = new ArrayList<>(table.columns().size() + 2);
        for (String column : table.columns().keySet()) {
            values.add(clickHouseValue(row.get(column)));
        }
        values.add(extractedAt);
        values.add(runId);
        return values;
    }

    /**
     * Rows as ClickHouse TabSeparated text (one line per row, {@code \N} for null), the cheapest format to build and
     * for the server to parse.
     */
    public static void appendTsv(StringBuilder out, List<Object> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append('\t');
            }
            Object v = values.get(i);
            if (v == null) {
                out.append("\\N");
            } else if (v instanceof String text) {
                for (int c = 0; c < text.length(); c++) {
                    char ch = text.charAt(c);
                    switch (ch) {
                        case '\\' -> out.append("\\\\");
                        case '\t' -> out.append("\\t");
                        case '\n' -> out.append("\\n");
                        case '\r' -> out.append("\\r");
                        default -> out.append(ch);
                    }
                }
            } else {
                out.append(v);
            }
        }
        out.append('\n');
    }

    public static String format(LocalDateTime at) {
        return DATE_TIME.format(at);
    }

    /** A source value as ClickHouse's text input takes it. */
    public static Object clickHouseValue(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof Timestamp || value instanceof LocalDateTime) {
            return format(dateTime(value));
        }
        if (value instanceof java.sql.Date || value instanceof LocalDate) {
            return dateTime(value).toLocalDate().toString();
        }
        // Driver-specific wrappers (enums, domains) carry their text.
        return value.toString();
    }

    static LocalDateTime dateTime(Object value) {
        if (value instanceof Timestamp ts) {
            return ts.toLocalDateTime();
        }
        if (value instanceof LocalDateTime ldt) {
            return ldt;
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        if (value instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (value instanceof String s) {
            return s.length() == 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s.replace(' ', 'T'));
        }
        throw new IllegalArgumentException("Not a date: " + value.getClass().getName());
    }
}
