package io.dvdrental.pipelines.warehouse;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A warehouse that hangs (a stalled node, a network that drops packets, a server still starting) must not hang the
 * readiness probe: the probe answers "not ready" and why within its own time-out (3 s on OpenShift), instead of
 * holding a request thread until the connection pool or the socket gives up. Here ClickHouse is frozen with SIGSTOP:
 * it accepts connections and answers nothing.
 */
@RealServicesTest
class ReadinessWhileTheWarehouseHangsTest {

    @LocalServerPort
    int port;

    @Test
    void theProbeAnswersNotReadyInTimeWhileClickHouseHangsAndReadyOnceItAnswers() throws Exception {
        assumeThat(TestServices.localStack()).as("ClickHouse can be frozen only when it is local").isPresent();
        long clickhouse = Long.parseLong(Files.readString(
                TestServices.localStack().get().config().run().resolve("clickhouse.pid")).strip());
        assertThat(readiness(Duration.ofSeconds(30)).statusCode()).isEqualTo(200);

        signal("STOP", clickhouse);
        try {
            HttpResponse<String> hung = readiness(Duration.ofSeconds(8));
            assertThat(hung.statusCode()).as(hung.body()).isEqualTo(503);
            assertThat(hung.body()).contains("warehouseDataSource").contains("no answer within");
        } finally {
            signal("CONT", clickhouse);
        }
        await("ready once ClickHouse answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> readiness(Duration.ofSeconds(8)).statusCode() == 200);
    }

    private static void signal(String name, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start().waitFor()).isZero();
    }

    private HttpResponse<String> readiness(Duration timeout) throws Exception {
        String operator = Base64.getEncoder().encodeToString(
                (TestServices.ADMIN_USER + ":" + TestServices.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .header("Authorization", "Basic " + operator).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
