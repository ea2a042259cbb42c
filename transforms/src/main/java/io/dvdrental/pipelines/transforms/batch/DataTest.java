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
        String cols = String.join(", ", columns);
        return switch (kind) {
            case "unique" -> "SELECT count() FROM (SELECT " + cols + " FROM " + model + " GROUP BY " + cols
                    + " HAVING count() > 1)";
            case "not_null" -> "SELECT count() FROM " + model + " WHERE isNull(" + cols + ")";
            default -> throw new IllegalStateException(kind);
        };
    }
}
