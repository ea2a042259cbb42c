package io.dvdrental.pipelines.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.DvdPipelinesApplication;
import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.StackConfig;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import io.dvdrental.pipelines.support.TestServices;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A pod that starts while ClickHouse is away (a cluster restart, the warehouse still booting) must start anyway,
 * say it is not ready and why, and build the warehouse once ClickHouse answers. On real services: the test stack's
 * PostgreSQL, Kafka and S3, and a ClickHouse of this test's own (empty, not started yet), so that the migrations
 * and the bronze tables are made from nothing while the shared warehouse of the other tests stays as it is.
 */
class WarehouseOutageAtStartTest {

    @Test
    void theServerStartsNotReadyAndBuildsTheWarehouseOnceClickHouseAnswers() throws Exception {
        assumeTrue(TestServices.localStack().isPresent(), "ClickHouse can be started late only when it is local");
        StackConfig shared = TestServices.localStack().get().config();
        int port = shared.clickhouseHttpPort() + 20;
        StackConfig own = new StackConfig("warehouse-outage", shared.root(),
                shared.root().resolve(".local").resolve("warehouse-outage"), shared.cache(), shared.postgresPort(),
                shared.kafkaPort(), shared.kafkaControllerPort(), port, port + 1, shared.s3Port());
        LocalStack warehouse = LocalStack.of(own);
        warehouse.down(List.of("clickhouse"));
        FileSystemUtils.deleteRecursively(own.data("clickhouse"));

        Map<String, String> props = new HashMap<>(TestServices.properties());
        props.put("dvd.warehouse.url", own.clickhouseUrl());
        props.put("server.port", "0");
        props.put("camel.main.jmx-enabled", "false");
        props.put("spring.jmx.enabled", "false");
        ConfigurableApplicationContext server = null;
        try {
            server = new SpringApplicationBuilder(DvdPipelinesApplication.class).profiles("test")
                    .properties(new HashMap<>(props)).run();
            int serverPort = ((WebServerApplicationContext) server).getWebServer().getPort();

            HttpResponse<String> probe = readiness(serverPort);
            assertThat(probe.statusCode()).as("what the pod's readiness probe gets").isEqualTo(503);
            JsonNode away = new ObjectMapper().readTree(probe.body());
            assertThat(away.path("status").asText()).isEqualTo("DOWN");
            assertThat(away.path("components").path("warehouseSchema").path("status").asText()).isEqualTo("DOWN");
            assertThat(away.path("components").path("warehouseSchema").path("details").path("reason").asText())
                    .contains("ClickHouse").contains("migrations");

            warehouse.up(List.of("clickhouse"));
            Awaitility.await("ready once ClickHouse answers").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        HttpResponse<String> ready = readiness(serverPort);
                        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                        assertThat(new ObjectMapper().readTree(ready.body()).path("status").asText()).isEqualTo("UP");
                    });

            JdbcTemplate clickhouse = new JdbcTemplate(new DriverManagerDataSource(own.clickhouseUrl(), "default", ""));
            assertThat(clickhouse.queryForList("SELECT version FROM dvd_schema_migrations ORDER BY version",
                    Integer.class)).containsExactlyElementsOf(
                    WarehouseMigrations.load().stream().map(WarehouseMigrations.Migration::version).toList());
            assertThat(clickhouse.queryForList("SELECT concat(database, '.', name) FROM system.tables"
                    + " WHERE database = 'bronze'", String.class)).containsAll(
                    server.getBean(SourceTables.class).tables().stream().map(SourceTable::bronzeTable).toList());
        } finally {
            if (server != null) {
                server.close();
            }
            warehouse.down(List.of("clickhouse"));
            FileSystemUtils.deleteRecursively(own.home());
        }
    }

    /** The readiness probe as the operator sees it: the status code, and each check with its details. */
    private static HttpResponse<String> readiness(int port) throws Exception {
        String operator = Base64.getEncoder().encodeToString(
                (TestServices.ADMIN_USER + ":" + TestServices.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .header("Authorization", "Basic " + operator).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
