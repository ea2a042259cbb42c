package io.dvdrental.pipelines.transforms.batch;

import java.util.List;

/**
 * A data test declared beside a model ({@code -- tests: unique(a, b), not_null(c)}). Its SQL counts the offending
 * rows: zero passes.
 */
public record DataTest(String model, String kind, List<String> columns) {

    public static DataTest of(String model, String kind, List<String> columns) {
        if (!kind.equals("unique") && !kind.equals("not_null")) {
            throw new IllegalArgumentException("Model " + model + ": unknown test " + kind
                    + "(...); known: unique, not_null");
        }
        if (columns.isEmpty() || (kind.equals("not_null") && columns.size() != 1)) {
            throw new IllegalArgumentException("Model " + model + ": " + kind + " needs "
                    + (kind.equals("unique") ? "columns" : "one column"));
        }
        return new DataTest(model, kind, List.copyOf(columns));
    }

    public String name() {
        return kind + "(" + String.join(", ", columns) + ")";
    }

    public String failuresSql() {
        return failuresSql(null);
    }

    /** {@link #failuresSql()} among the rows that meet the condition (SQL the pipeline builds; null: every row). */
    public String failuresSql(String condition) {
        String cols = String.join(", ", columns);
        String among = condition == null ? "" : condition + " AND ";
        return switch (kind) {
            case "unique" -> "SELECT count() FROM (SELECT " + cols + " FROM " + model
                    + (condition == null ? "" : " WHERE " + condition) + " GROUP BY " + cols + " HAVING count() > 1)";
            case "not_null" -> "SELECT count() FROM " + model + " WHERE " + among + "isNull(" + cols + ")";
            default -> throw new IllegalStateException(kind);
        };
    }

    /**
     * Whether the test still passes on rows that did not change, whatever changed beside them: a not-null test, or
     * a unique test of the key by which rows are rebuilt (a key's rows change only with it).
     */
    public boolean holdsOnUnchangedRowsOf(List<String> uniqueKey) {
        return kind.equals("not_null") || columns.equals(uniqueKey);
    }
}
