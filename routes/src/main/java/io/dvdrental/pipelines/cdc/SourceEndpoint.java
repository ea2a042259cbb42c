package io.dvdrental.pipelines.cdc;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The source's JDBC URL ({@code jdbc:postgresql://host:port/db?sslmode=...}) as Debezium's {@code database.*}
 * settings, so that the capture connects where, as whom and as securely as the rest of the server.
 */
final class SourceEndpoint {

    private static final Set<String> PASSED_ON = Set.of("sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword");

    private SourceEndpoint() {
    }

    static Map<String, String> debeziumSettings(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("Change data capture needs a PostgreSQL source, not " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hostname", uri.getHost());
        settings.put("port", String.valueOf(uri.getPort() > 0 ? uri.getPort() : 5432));
        settings.put("dbname", uri.getPath().replaceFirst("^/", ""));
        settings.put("user", user);
        settings.put("password", password == null ? "" : password);
        if (uri.getRawQuery() != null) {
            for (String parameter : uri.getRawQuery().split("&")) {
                int eq = parameter.indexOf('=');
                if (eq > 0 && PASSED_ON.contains(parameter.substring(0, eq))) {
                    settings.put(parameter.substring(0, eq),
                            java.net.URLDecoder.decode(parameter.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return settings;
    }
}
