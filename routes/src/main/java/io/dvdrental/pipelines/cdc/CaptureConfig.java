package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.batch.Warehouse;
import io.dvdrental.pipelines.capture.CaptureComponent;
import io.dvdrental.pipelines.capture.CaptureSettings;
import io.dvdrental.pipelines.capture.CaptureStore;
import io.dvdrental.pipelines.capture.JdbcCaptureStore;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/**
 * Change data capture's building blocks. The capture's state (offsets, generation) and the slot operations exist in
 * both modes: switching capture off must still drop the slot. The component and what writes bronze exist only when
 * {@code dvd.batch.capture=cdc}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CaptureProperties.class)
public class CaptureConfig {

    @Bean
    public CaptureStore captureStore(DataSource stateDataSource, CaptureProperties properties) {
        return new JdbcCaptureStore(stateDataSource, properties.captureName());
    }

    /** The endpoint {@code dvd-cdc:<capture-name>}. */
    @Bean(CaptureComponent.SCHEME)
    @ConditionalOnProperty(name = "dvd.batch.capture", havingValue = "cdc")
    public CaptureComponent captureComponent(CaptureProperties properties, ConnectionProperties connections,
                                             @Qualifier("sourceDataSource") DataSource source, SourceTables tables,
                                             CaptureStore store) {
        ConnectionProperties.Jdbc jdbc = connections.source();
        return new CaptureComponent(new CaptureSettings(properties.captureName(),
                SourceEndpoint.debeziumSettings(jdbc.url(), jdbc.username(), jdbc.password()), source,
                properties.slot(), properties.publication(),
                tables.tables().stream().map(t -> new CaptureSettings.Table(t.name(), t.key())).toList(),
                properties.excludedColumns(), properties.pollInterval(), properties.maxBatchSize(),
                properties.heartbeatInterval(), properties.backoff(), properties.maxBackoff(), store));
    }

    @Bean
    @ConditionalOnProperty(name = "dvd.batch.capture", havingValue = "cdc")
    public ChangeIngest changeIngest(SourceTables tables, Warehouse warehouse, MeterRegistry meters) {
        return new ChangeIngest(tables, new BronzeChanges(warehouse, tables), meters);
    }
}
