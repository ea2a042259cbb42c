package io.dvdrental.pipelines.config;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import javax.sql.DataSource;

/**
 * The PostgreSQL stores. The server's own state database is primary: Flyway, Quartz and the run log use it.
 * The source is only ever read (plus the generator's writes in tests). The warehouse's pools (ClickHouse) are in
 * {@link io.dvdrental.pipelines.warehouse.WarehouseClientConfig}.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {

    @Bean
    @Primary
    public DataSource stateDataSource(ConnectionProperties connections) {
        return pool("state", connections.state(), 10);
    }

    @Bean
    public DataSource sourceDataSource(ConnectionProperties connections) {
        return pool("source", connections.source(), 8);
    }

    @Bean
    @Primary
    public JdbcTemplate stateJdbcTemplate(DataSource stateDataSource) {
        return new JdbcTemplate(stateDataSource);
    }

    @Bean
    public NamedParameterJdbcTemplate sourceJdbcTemplate(@Qualifier("sourceDataSource") DataSource dataSource) {
        return new NamedParameterJdbcTemplate(dataSource);
    }

    /** A pool that does not block the start when its service is away: health says DOWN instead. */
    public static HikariDataSource pool(String name, ConnectionProperties.Jdbc jdbc, int defaultSize) {
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName(name);
        ds.setJdbcUrl(jdbc.url());
        ds.setUsername(jdbc.username());
        // Drivers differ on a null password (ClickHouse refuses it for a password-less user): send "".
        ds.setPassword(jdbc.password() == null ? "" : jdbc.password());
        ds.setMaximumPoolSize(jdbc.poolSize(defaultSize));
        ds.setMinimumIdle(1);
        // Fail over to a clear health DOWN instead of blocking start-up when a service is away.
        ds.setInitializationFailTimeout(-1);
        ds.setConnectionTimeout(10_000);
        return ds;
    }
}
