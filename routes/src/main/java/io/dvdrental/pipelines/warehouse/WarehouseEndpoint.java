package io.dvdrental.pipelines.warehouse;

import java.net.URI;

/**
 * Where ClickHouse answers over HTTP, read once from the JDBC URL of the configuration ({@code dvd.warehouse.url}):
 * {@code jdbc:clickhouse://host:port/db}, {@code jdbc:ch:https://host/db?ssl=true} ... A URL without a port takes
 * ClickHouse's default for its scheme (8123 for HTTP, 8443 for HTTPS).
 */
public record WarehouseEndpoint(String httpUrl, String database) {

    public static WarehouseEndpoint of(String jdbcUrl) {
        String rest = jdbcUrl.replaceFirst("^jdbc:", "").replaceFirst("^(clickhouse|ch):", "");
        URI uri = URI.create(rest.startsWith("//") ? "http:" + rest : rest);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("Not a ClickHouse JDBC URL with a host: " + jdbcUrl);
        }
        boolean https = "https".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 8443 : 8123;
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new WarehouseEndpoint((https ? "https" : "http") + "://" + uri.getHost() + ":" + port,
                path.isEmpty() ? "default" : path);
    }
}
