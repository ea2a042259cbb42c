package io.dvdrental.pipelines.transforms.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One warehouse model: a SELECT in {@code models/<layer>/<name>.sql} whose header comments declare what it needs
 * and how it is checked, like a dbt model with its schema.yml beside it:
 * <pre>
 * -- depends_on: silver.dvd_film, silver.dvd_film_category
 * -- materialized: table            (default; or view, or incremental with a unique_key)
 * -- unique_key: film_id            (incremental: each row's key; a changed upstream row rebuilds the rows of its key)
 * -- order_by: film_id
 * -- tests: unique(film_id), not_null(title)
 * </pre>
 */
public record Model(String name, List<String> dependsOn, Materialized materialized, List<String> uniqueKey,
                    String orderBy, List<DataTest> tests, String select) {

    /**
     * How the model's table is kept: rebuilt whole ({@code table}), a view, or {@code incremental}: when the only
     * upstreams that changed know which of its keys changed (incremental models with the same unique key, bronze
     * tables with that key), only the rows of those keys are rebuilt, in place (else it is rebuilt whole); either
     * way the keys whose rows changed are noted for its dependants. An aggregate over an incremental model keyed
     * otherwise (counts per film and month over rentals) rebuilds the keys its SELECT over that model's changed
     * rows gives differently before and after the change.
     */
    public enum Materialized { TABLE, VIEW, INCREMENTAL }

    /**
     * An incremental model's table carries each row's hash in this column (MATERIALIZED: not in {@code SELECT *}), so
     * comparing a rebuild with the table's rows reads their keys and hashes, not every column.
     */
    public static final String ROW_HASH = "_row";

    private static final Pattern HEADER = Pattern.compile(
            "^--\\s*(depends_on|materialized|unique_key|order_by|tests)\\s*:(.*)$");
    private static final Pattern TEST = Pattern.compile("(\\w+)\\(([^)]*)\\)");
    private static final Pattern PATH = Pattern.compile(".*models/(bronze|silver|gold)/(\\w+)\\.sql$");

    public Model {
        if ((materialized == Materialized.INCREMENTAL) == uniqueKey.isEmpty()) {
            throw new IllegalArgumentException("Model " + name + ": an incremental model, and only one, declares its "
                    + "unique_key");
        }
    }

    public String database() {
        return name.substring(0, name.indexOf('.'));
    }

    public String table() {
        return name.substring(name.indexOf('.') + 1);
    }

    /** The same model with another SELECT (another release's SQL). */
    public Model withSelect(String otherSelect) {
        return new Model(name, dependsOn, materialized, uniqueKey, orderBy, tests, otherSelect);
    }

    /**
     * Identifies what builds the table (its SELECT, order, materialization and key; not its tests or upstreams): a
     * model whose fingerprint differs from the one its table was built with is rebuilt.
     */
    public String fingerprint() {
        try {
            byte[] sql = (materialized + (uniqueKey.isEmpty() ? "" : " " + uniqueKey + " " + ROW_HASH) + "\n" + orderBy
                    + "\n"
                    + select).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /**
     * Whether the SELECT reads this table only as the set of its keys ({@code IN (SELECT <key> FROM <table>)}
     * wherever it names it): its rows then depend on which keys the table holds, not on their rows' values.
     */
    public boolean readsOnlyKeysOf(String table, List<String> key) {
        String named = "(?<![\\w.])" + Pattern.quote(table) + "(?!\\w)";
        String keySet = "\\(\\s*SELECT\\s+" + key.stream().map(Pattern::quote)
                .collect(Collectors.joining("\\s*,\\s*")) + "\\s+FROM\\s+" + named + "\\s*\\)";
        long names = Pattern.compile(named).matcher(select).results().count();
        return names > 0
                && names == Pattern.compile(keySet, Pattern.CASE_INSENSITIVE).matcher(select).results().count();
    }

    /** The model named by its path {@code .../models/<layer>/<name>.sql}, e.g. {@code gold.dim_film}. */
    public static Model parse(String path, String text) {
        Matcher p = PATH.matcher(path.replace('\\', '/'));
        if (!p.matches()) {
            throw new IllegalArgumentException("A model lives in models/<bronze|silver|gold>/<name>.sql, not " + path);
        }
        String name = p.group(1) + "." + p.group(2);
        List<String> dependsOn = new ArrayList<>();
        Materialized materialized = Materialized.TABLE;
        List<String> uniqueKey = new ArrayList<>();
        String orderBy = "tuple()";
        List<DataTest> tests = new ArrayList<>();
        List<String> body = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = HEADER.matcher(line.strip());
            if (!m.matches()) {
                body.add(line);
                continue;
            }
            String value = m.group(2).strip();
            switch (m.group(1)) {
                case "depends_on" -> dependsOn.addAll(list(value));
                case "materialized" -> materialized = Materialized.valueOf(value.toUpperCase(Locale.ROOT));
                case "unique_key" -> uniqueKey.addAll(list(value));
                case "order_by" -> orderBy = value;
                case "tests" -> {
                    Matcher t = TEST.matcher(value);
                    while (t.find()) {
                        tests.add(DataTest.of(name, t.group(1), list(t.group(2))));
                    }
                }
                default -> throw new IllegalStateException(m.group(1));
            }
        }
        String select = String.join("\n", body).strip().replaceAll(";\\s*$", "");
        if (select.isEmpty()) {
            throw new IllegalArgumentException("Model " + name + " has no SELECT");
        }
        return new Model(name, List.copyOf(dependsOn), materialized, List.copyOf(uniqueKey), orderBy,
                List.copyOf(tests), select);
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }
}
