package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read-only questions to ClickHouse over its HTTP interface, straight to the engine (not through the server under
 * test), so a figure never depends on the code it checks.
 */
public final class Warehouse {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(?:ch|clickhouse)(?::http)?://([^:/]+):(\\d+).*");

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Warehouse(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** From the server's {@code dvd.warehouse.url}, e.g. {@code jdbc:clickhouse://127.0.0.1:15403/default}. */
    public static Warehouse fromJdbcUrl(String url) {
        Matcher m = JDBC_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a ClickHouse JDBC URL: " + url);
        }
        return new Warehouse(URI.create("http://" + m.group(1) + ":" + m.group(2) + "/"));
    }

    /** The answer as tab-separated text, trimmed. */
    public String query(String sql) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("ClickHouse answered " + response.statusCode() + " to [" + sql + "]: "
                        + response.body().strip());
            }
            return response.body().strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public long number(String sql) throws IOException {
        String answer = query(sql);
        return answer.isEmpty() ? 0 : Long.parseLong(answer.split("\\s+")[0]);
    }

    /** The numbers of the first row. */
    public List<Long> numbers(String sql) throws IOException {
        return java.util.Arrays.stream(query(sql).split("\\t")).map(String::strip).map(Long::parseLong).toList();
    }

    public boolean tableExists(String database, String table) throws IOException {
        return number("SELECT count() FROM system.tables WHERE database = '" + database + "' AND name = '"
                + table + "'") > 0;
    }

    public boolean reachable() {
        try {
            return "1".equals(query("SELECT 1"));
        } catch (IOException e) {
            return false;
        }
    }
}
