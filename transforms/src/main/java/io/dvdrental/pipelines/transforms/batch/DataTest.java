package io.dvdrental.pipelines.transforms.batch;

import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * How many rows fail each of these tests of one model, among the rows that meet the condition (SQL the pipeline
     * builds; null: every row): one statement answering one count per test, in their order. The not-null tests
     * share one pass over the rows.
     */
    public static String failuresSql(List<DataTest> tests, String condition) {
        String model = tests.get(0).model();
        if (tests.stream().anyMatch(t -> !t.model().equals(model))) {
            throw new IllegalArgumentException("Tests of one model only: " + tests);
        }
        String where = condition == null ? "" : " WHERE " + condition;
        String counts = tests.stream().map(t -> {
            String cols = String.join(", ", t.columns());
            return switch (t.kind()) {
                case "unique" -> "(SELECT count() FROM (SELECT " + cols + " FROM " + model + where + " GROUP BY "
                        + cols + " HAVING count() > 1))";
                case "not_null" -> "countIf(isNull(" + cols + "))";
                default -> throw new IllegalStateException(t.kind());
            };
        }).collect(Collectors.joining(", "));
        return "SELECT " + counts + (tests.stream().anyMatch(t -> t.kind().equals("not_null"))
                ? " FROM " + model + where : "");
    }

    /**
     * Whether the test still passes on rows that did not change, whatever changed beside them: a not-null test, or
     * a unique test of the key by which rows are rebuilt (a key's rows change only with it).
     */
    public boolean holdsOnUnchangedRowsOf(List<String> uniqueKey) {
        return kind.equals("not_null") || columns.equals(uniqueKey);
    }
}
