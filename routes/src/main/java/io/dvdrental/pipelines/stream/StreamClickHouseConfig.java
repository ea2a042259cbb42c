package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.Client;
import io.dvdrental.pipelines.config.ConnectionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.net.URI;
import java.time.temporal.ChronoUnit;

/**
 * The ClickHouse client of the click stream. Inserts stream JSONEachRow bodies with per-insert settings (the
 * deduplication token), which the JDBC driver cannot pass; it talks HTTP to the server of {@code dvd.warehouse.url}.
 */
@Configuration(proxyBeanMethods = false)
public class StreamClickHouseConfig {

    @Bean(destroyMethod = "close")
    public Client streamClickHouseClient(ConnectionProperties connections, StreamProperties stream) {
        ConnectionProperties.Jdbc warehouse = connections.warehouse();
        return new Client.Builder()
                .addEndpoint(httpEndpoint(warehouse.url()))
                .setUsername(warehouse.username() == null ? "default" : warehouse.username())
                .setPassword(warehouse.password() == null ? "" : warehouse.password())
                .setMaxConnections(Math.max(4, stream.partitions() * 2))
                // Below the server's keep-alive, so that a pooled connection is not reused after the server closed it.
                .setKeepAliveTimeout(3, ChronoUnit.SECONDS)
                // A server that stops answering (half-open connection) must fail the round, which is then retried:
                // without a read timeout a consumer thread would wait for ever and hold its partitions.
                .setSocketTimeout(ClickHouseClickStore.TIMEOUT_SECONDS, ChronoUnit.SECONDS)
                .build();
    }

    /** {@code jdbc:clickhouse://host:port/db}, {@code jdbc:ch:https://host:port} ... to {@code http(s)://host:port}. */
    static String httpEndpoint(String jdbcUrl) {
        String rest = jdbcUrl.replaceFirst("^jdbc:", "").replaceFirst("^(clickhouse|ch):", "");
        if (rest.startsWith("//")) {
            rest = "http:" + rest;
        }
        URI uri = URI.create(rest);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 8443 : 8123);
        return uri.getScheme() + "://" + uri.getHost() + ":" + port;
    }
}
