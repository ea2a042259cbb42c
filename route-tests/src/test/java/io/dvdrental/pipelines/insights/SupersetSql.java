package io.dvdrental.pipelines.insights;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL Superset sends to ClickHouse for one query object of a chart's query context on a virtual dataset, as read
 * from Superset's code ({@code SqlaTable.get_sqla_query}, the ClickHouse engine spec's time grain expressions):
 * {@code SELECT <columns AS label>, <saved metric expression AS name> FROM (<dataset SQL>) AS virtual_table
 * WHERE <filters> GROUP BY ... ORDER BY <label> LIMIT <row_limit>}. How the GROUP BY is written depends on the driver:
 * clickhouse-connect 0.13 and later write the label ({@link GroupBy#ALIAS}), older drivers (clickhouse-connect before
 * 0.13, clickhouse-sqlalchemy) repeat the expression ({@link GroupBy#EXPRESSION}), which ClickHouse resolves
 * through a label equal to a column name. Only what the bundle's charts use is rendered; anything else is refused.
 */
final class SupersetSql {

    enum GroupBy { ALIAS, EXPRESSION }

    /** {@code ClickHouseBaseEngineSpec._time_grain_expressions}, the grains a per-minute or daily chart would use. */
    private static final Map<String, String> TIME_GRAINS = Map.of(
            "PT1M", "toStartOfMinute(toDateTime({col}))",
            "PT1H", "toStartOfHour(toDateTime({col}))",
            "P1D", "toStartOfDay(toDateTime({col}))");
    /** The relative range the streaming charts use: {@code DATEADD(DATETIME("now"), -15, minute) : now}. */
    private static final Pattern LAST_MINUTES =
            Pattern.compile("DATEADD\\(DATETIME\\(\"now\"\\), -(\\d+), minute\\) : now");
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SupersetSql() {
    }

    /** The label a query column gets: a physical column's name, an adhoc column's label. */
    @SuppressWarnings("unchecked")
    static String label(Object column) {
        return column instanceof String name ? name : (String) ((Map<String, Object>) column).get("label");
    }

    /** The dataset column a query column reads: a physical column's name, an adhoc column's SQL expression. */
    @SuppressWarnings("unchecked")
    static String source(Object column) {
        return column instanceof String name ? name : (String) ((Map<String, Object>) column).get("sqlExpression");
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> dataset, Map<String, Object> query, GroupBy groupBy, LocalDateTime now) {
        Map<String, String> metricExpressions = new java.util.HashMap<>();
        for (Map<String, Object> metric : (List<Map<String, Object>>) dataset.get("metrics")) {
            metricExpressions.put((String) metric.get("metric_name"), (String) metric.get("expression"));
        }
        List<String> select = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (Object column : (List<Object>) query.getOrDefault("columns", List.of())) {
            String expression = source(column);
            if (column instanceof Map<?, ?> adhoc && adhoc.get("timeGrain") != null) {
                String grain = TIME_GRAINS.get((String) adhoc.get("timeGrain"));
                if (grain == null) {
                    throw new IllegalArgumentException("time grain not rendered here: " + adhoc.get("timeGrain"));
                }
                expression = grain.replace("{col}", expression);
            }
            String label = label(column);
            select.add(expression + " AS " + label);
            groups.add(groupBy == GroupBy.ALIAS ? label : expression);
        }
        List<String> metrics = (List<String>) query.getOrDefault("metrics", List.of());
        for (String metric : metrics) {
            String expression = metricExpressions.get(metric);
            if (expression == null) {
                throw new IllegalArgumentException("not a saved metric of the dataset: " + metric);
            }
            select.add(expression + " AS " + metric);
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select))
                .append("\nFROM (").append(dataset.get("sql")).append(") AS virtual_table");
        List<String> where = new ArrayList<>();
        for (Map<String, Object> filter : (List<Map<String, Object>>) query.getOrDefault("filters", List.of())) {
            where.addAll(condition(filter, now));
        }
        if (!where.isEmpty()) {
            sql.append("\nWHERE ").append(String.join(" AND ", where));
        }
        if (!metrics.isEmpty() && !groups.isEmpty()) {
            sql.append("\nGROUP BY ").append(String.join(", ", groups));
        }
        // A metric or column the query selects is ordered by its label (SQLAlchemy writes the label it selected).
        List<String> order = new ArrayList<>();
        for (List<Object> by : (List<List<Object>>) query.getOrDefault("orderby", List.of())) {
            order.add(by.get(0) + (Boolean.TRUE.equals(by.get(1)) ? " ASC" : " DESC"));
        }
        if (!order.isEmpty()) {
            sql.append("\nORDER BY ").append(String.join(", ", order));
        }
        Object limit = query.get("row_limit");
        if (limit instanceof Number n && n.intValue() > 0) {
            sql.append("\nLIMIT ").append(n.intValue());
        }
        return sql.toString();
    }

    private static List<String> condition(Map<String, Object> filter, LocalDateTime now) {
        String column = (String) filter.get("col");
        Object value = filter.get("val");
        return switch ((String) filter.get("op")) {
            case "==" -> List.of(column + " = " + literal(value));
            case "TEMPORAL_RANGE" -> {
                if ("No filter".equals(value)) {
                    yield List.of();
                }
                Matcher m = LAST_MINUTES.matcher((String) value);
                if (!m.matches()) {
                    throw new IllegalArgumentException("time range not rendered here: " + value);
                }
                LocalDateTime since = now.minusMinutes(Long.parseLong(m.group(1)));
                yield List.of(column + " >= toDateTime('" + DATETIME.format(since) + "')",
                        column + " < toDateTime('" + DATETIME.format(now) + "')");
            }
            default -> throw new IllegalArgumentException("filter not rendered here: " + filter);
        };
    }

    private static String literal(Object value) {
        return value instanceof Number ? value.toString() : "'" + value.toString().replace("'", "''") + "'";
    }
}
