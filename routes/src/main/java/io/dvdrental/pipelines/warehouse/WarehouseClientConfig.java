package io.dvdrental.pipelines.warehouse;

import com.clickhouse.client.api.Client;
import com.zaxxer.hikari.HikariDataSource;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.config.DataSourceConfig;
import io.dvdrental.pipelines.insights.InsightsProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;
import java.time.temporal.ChronoUnit;

/**
 * The one place that reads the warehouse's settings ({@code dvd.warehouse.*}) and connects to ClickHouse:
 * <ul>
 *   <li>the client (client-v2 over HTTP) of the batch's bronze inserts and the click stream's inserts, which need
 *       per-insert settings (the deduplication token) that JDBC cannot pass;</li>
 *   <li>the pipelines' JDBC pool: migrations, models, checks;</li>
 *   <li>the readers' JDBC pool: the insights API and dashboards, anonymous callers included. It is small and of its
 *       own, so that readers never wait for (or hold) the pipelines' connections, and every statement on it is
 *       read-only and stopped by ClickHouse after {@code dvd.insights.max-execution-time}.</li>
 * </ul>
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

    @Bean
    public DataSource warehouseDataSource(ConnectionProperties connections) {
        return resendingOnlyWhatNeverReachedTheServer(DataSourceConfig.pool("warehouse", connections.warehouse(), 10));
    }

    /**
     * By default the driver sends a statement again after a server error it deems retryable (a time or memory limit,
     * too many parts, among others). ClickHouse inserts block by block, so an {@code INSERT … SELECT} that failed
     * half-way would write its first blocks twice, and a reader's statement stopped at its time limit would run four
     * times. Only a request that never reached the server is sent again; a failed step is the batch's to retry.
     */
    private static HikariDataSource resendingOnlyWhatNeverReachedTheServer(HikariDataSource pool) {
        pool.addDataSourceProperty("client_retry_on_failures", "NoHttpResponse,ConnectTimeout,ConnectionRequestTimeout");
        return pool;
    }

    @Bean
    public NamedParameterJdbcTemplate warehouseJdbcTemplate(@Qualifier("warehouseDataSource") DataSource dataSource) {
        return new NamedParameterJdbcTemplate(dataSource);
    }

    @Bean
    public DataSource insightsDataSource(ConnectionProperties connections, InsightsProperties insights) {
        ConnectionProperties.Jdbc warehouse = connections.warehouse();
        // The warehouse's own pool size (dvd.warehouse.max-pool-size) is the pipelines'; readers get theirs.
        HikariDataSource readers = DataSourceConfig.pool("insights", new ConnectionProperties.Jdbc(warehouse.url(),
                warehouse.username(), warehouse.password(), null), insights.poolSize());
        // ClickHouse settings sent with every statement of this pool: the time limit, and read-only (level 2 still
        // lets the driver send its settings).
        readers.addDataSourceProperty("clickhouse_setting_max_execution_time",
                String.valueOf(Math.max(1, insights.maxExecutionTime().toSeconds())));
        readers.addDataSourceProperty("clickhouse_setting_readonly", "2");
        return resendingOnlyWhatNeverReachedTheServer(readers);
    }

    @Bean
    public NamedParameterJdbcTemplate insightsJdbcTemplate(@Qualifier("insightsDataSource") DataSource dataSource) {
        return new NamedParameterJdbcTemplate(dataSource);
    }
}
