package io.dvdrental.pipelines.production;

import io.dvdrental.pipelines.DvdPipelinesApplication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * In production the server talks to PostgreSQL only over TLS that checks who answers: {@code sslmode=require} (or
 * {@code prefer}, {@code allow}, {@code disable}) encrypts without checking the server's certificate or host name, so
 * anyone on the path can answer in the database's place. A pod configured so must not start, and must say which
 * setting to change. Nothing is reached: the start stops while reading the configuration.
 */
class ProdProfilePostgresTlsTest {

    @ParameterizedTest
    @CsvSource({
            "DVD_POSTGRES_SSLMODE, require, dvd.source.url",
            "DVD_POSTGRES_SSLMODE, prefer, dvd.source.url",
            "DVD_POSTGRES_SSLMODE, disable, dvd.source.url",
            "DVD_STATE_URL, jdbc:postgresql://state-db.example.internal:5432/pipeline?sslmode=require, dvd.state.url",
            "DVD_SOURCE_URL, jdbc:postgresql://source-db.example.internal:5432/dvdrental, dvd.source.url"})
    void aStartWithoutACheckedCertificateFailsNamingTheSetting(String variable, String value, String setting) {
        Map<String, Object> pod = new HashMap<>(Map.ofEntries(
                Map.entry("DVD_SOURCE_HOST", "source-db.example.internal"),
                Map.entry("DVD_SOURCE_USERNAME", "source"), Map.entry("DVD_SOURCE_PASSWORD", "unused"),
                Map.entry("DVD_STATE_HOST", "state-db.example.internal"),
                Map.entry("DVD_STATE_USERNAME", "state"), Map.entry("DVD_STATE_PASSWORD", "unused"),
                Map.entry("DVD_WAREHOUSE_HOST", "warehouse.example.internal"),
                Map.entry("DVD_WAREHOUSE_USERNAME", "default"), Map.entry("DVD_WAREHOUSE_PASSWORD", "unused"),
                Map.entry("DVD_KAFKA_BROKERS", "kafka.example.internal:9092"),
                Map.entry("DVD_KAFKA_USERNAME", "unused"), Map.entry("DVD_KAFKA_PASSWORD", "unused"),
                Map.entry("DVD_S3_REGION", "eu-west-1"),
                Map.entry("DVD_SECURITY_ADMINUSER", "operator"), Map.entry("DVD_SECURITY_ADMINPASSWORD", "unused"),
                Map.entry("DVD_SECURITY_METRICS_USER", "prometheus"), Map.entry("DVD_SECURITY_METRICS_PASSWORD", "unused"),
                // No metrics port here: its certificate files exist only in the pod.
                Map.entry("DVD_SECURITY_METRICS_PORT", ""),
                Map.entry("SERVER_PORT", "0")));
        pod.put(variable, value);

        Throwable failure = catchThrowable(() -> {
            try (ConfigurableApplicationContext ignored = new SpringApplicationBuilder(DvdPipelinesApplication.class)
                    .profiles("prod")
                    .initializers(context -> context.getEnvironment().getPropertySources().addFirst(
                            new SystemEnvironmentPropertySource("pod-"
                                    + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, pod)))
                    .run()) {
                // Started: the assertion below says so.
            }
        });

        assertThat(failure).as("the server started with %s=%s", variable, value).isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains(setting, "DVD_POSTGRES_SSLMODE", "verify-full", "verify-ca");
    }
}
