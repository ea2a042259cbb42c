package io.dvdrental.pipelines.health;

import io.dvdrental.pipelines.warehouse.DeduplicationHealth;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.jdbc.DataSourceHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readiness checks that talk to a service, each bounded by {@code dvd.health.timeout} ({@link BoundedHealth}):
 * every data source's (named {@code db/<bean>} as Spring Boot names them, which it then leaves to this) and the
 * warehouse's deduplication settings.
 */
@Configuration
public class ReadinessChecks {

    private final Duration bound;

    public ReadinessChecks(@Value("${dvd.health.timeout}") Duration bound) {
        this.bound = bound;
    }

    @Bean
    public HealthContributor dbHealthContributor(Map<String, DataSource> dataSources) {
        Map<String, HealthIndicator> checks = new LinkedHashMap<>();
        dataSources.forEach((name, dataSource) ->
                checks.put(name, new BoundedHealth(name, new DataSourceHealthIndicator(dataSource), bound)));
        return CompositeHealthContributor.fromMap(checks);
    }

    @Bean
    public HealthIndicator warehouseDeduplication(@Qualifier("warehouseDataSource") DataSource warehouse) {
        return new BoundedHealth("warehouseDeduplication", new DeduplicationHealth(warehouse), bound);
    }
}
