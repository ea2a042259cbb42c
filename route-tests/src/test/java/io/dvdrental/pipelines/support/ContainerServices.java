package io.dvdrental.pipelines.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.util.LinkedHashMap;
import java.util.Map;

/** The same real services as containers, where a Docker engine is present. Started once per test JVM. */
final class ContainerServices {

    private ContainerServices() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    static Map<String, String> start() {
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine")
                .withDatabaseName("dvdrental").withUsername("postgres").withPassword("postgres")
                .withInitScript("testcontainers/state-database.sql")
                // Change data capture reads the WAL through a logical replication slot.
                .withCommand("postgres", "-c", "fsync=off", "-c", "wal_level=logical", "-c", "max_replication_slots=10",
                        "-c", "max_wal_senders=10");
        KafkaContainer kafka = new KafkaContainer("apache/kafka:3.9.1");
        ClickHouseContainer clickhouse = new ClickHouseContainer("clickhouse/clickhouse-server:26.3");
        MinIOContainer minio = new MinIOContainer("minio/minio:latest");
        postgres.start();
        kafka.start();
        clickhouse.start();
        minio.start();

        Map<String, String> props = new LinkedHashMap<>();
        props.put("dvd.source.url", postgres.getJdbcUrl());
        props.put("dvd.source.username", postgres.getUsername());
        props.put("dvd.source.password", postgres.getPassword());
        props.put("dvd.state.url", postgres.getJdbcUrl().replace("/dvdrental", "/pipeline"));
        props.put("dvd.state.username", postgres.getUsername());
        props.put("dvd.state.password", postgres.getPassword());
        props.put("dvd.warehouse.url", clickhouse.getJdbcUrl());
        props.put("dvd.warehouse.username", clickhouse.getUsername());
        props.put("dvd.warehouse.password", clickhouse.getPassword());
        props.put("dvd.kafka.brokers", kafka.getBootstrapServers());
        props.put("dvd.s3.endpoint", minio.getS3URL());
        props.put("dvd.s3.access-key", minio.getUserName());
        props.put("dvd.s3.secret-key", minio.getPassword());
        return props;
    }
}
