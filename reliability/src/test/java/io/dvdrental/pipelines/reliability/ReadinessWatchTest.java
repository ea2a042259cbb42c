package io.dvdrental.pipelines.reliability;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The outage scenarios' readiness watch on a stand-in server whose probe answers slowly. */
class ReadinessWatchTest {

    private final CountDownLatch probing = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void aProbeStillWaitingForItsAnswerWhenTheWatchStopsIsNotCountedAsUnreachable() throws Exception {
        ServiceOutageScenario.ReadinessWatch watch = new ServiceOutageScenario.ReadinessWatch(slowServer());
        watch.start();
        assertThat(probing.await(10, TimeUnit.SECONDS)).as("the probe reached the server").isTrue();

        watch.stop();

        assertThat(watch.unreachable()).as(watch.summary()).isZero();
        assertThat(watch.summary()).doesNotContain("UNREACHABLE");
    }

    /** A server that is up and ready but takes a second to say so. */
    private ServerApi slowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            probing.countDown();
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new ServerApi(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }
}
