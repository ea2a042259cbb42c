package io.dvdrental.pipelines.warehouse;

import com.clickhouse.client.api.Client;
import io.dvdrental.pipelines.config.ConnectionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.temporal.ChronoUnit;

/**
 * The one ClickHouse client of the server (client-v2 over HTTP), shared by the batch's bronze inserts and the click
 * stream's inserts: both need per-insert settings (the deduplication token) that JDBC cannot pass. Models and
 * reads use the JDBC pools of {@link io.dvdrental.pipelines.config.DataSourceConfig}, pointed at the same server.
 */
@Configuration(proxyBeanMethods = false)
public class WarehouseClientConfig {

    /** Longest wait for any answer of ClickHouse; a stalled insert fails its batch, which is then retried. */
    public static final long TIMEOUT_SECONDS = 60;

    @Bean(destroyMethod = "close")
    public Client warehouseClient(ConnectionProperties connections) {
        ConnectionProperties.Jdbc warehouse = connections.warehouse();
        return new Client.Builder()
                .addEndpoint(WarehouseEndpoint.of(warehouse.url()).httpUrl())
                .setUsername(warehouse.username() == null ? "default" : warehouse.username())
                .setPassword(warehouse.password() == null ? "" : warehouse.password())
                // Stream partitions and batch tables insert in parallel.
                .setMaxConnections(16)
                // Below the server's keep-alive, so that a pooled connection is not reused after the server closed it.
                .setKeepAliveTimeout(3, ChronoUnit.SECONDS)
                // A server that stops answering (half-open connection) must fail the insert, which is then retried:
                // without a read timeout a consumer thread would wait for ever and hold its partitions.
                .setSocketTimeout(TIMEOUT_SECONDS, ChronoUnit.SECONDS)
                .build();
    }
}
