package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The integration server's HTTP side as the harness sees it: status codes, readiness, JSON answers. */
public final class ServerApi {

    public record Answer(int status, String body) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public ServerApi(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** The answer to {@code method path}; {@code credentials} may be null (anonymous), {@code json} null (no body). */
    public Answer call(String method, String path, Credentials credentials, String json) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            request.header("Authorization", credentials.basicHeader());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** UP, DOWN (or another status the probe reports), or UNREACHABLE when nothing answers. */
    public String readiness() {
        try {
            Answer answer = call("GET", "/actuator/health/readiness", null, null);
            int at = answer.body().indexOf("\"status\":\"");
            if (at < 0) {
                return "HTTP " + answer.status();
            }
            return answer.body().substring(at + 10, answer.body().indexOf('"', at + 10));
        } catch (IOException e) {
            return "UNREACHABLE";
        }
    }

    /** Ready: UP, or WARNING (ready, with something an operator should look at, e.g. change data capture lagging). */
    public static boolean ready(String readiness) {
        return "UP".equals(readiness) || "WARNING".equals(readiness);
    }

    /** Waits until readiness is UP; returns how long it took. */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if ("UP".equals(readiness())) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("The server at " + base + " was not ready within " + timeout.toSeconds()
                + " s (readiness: " + readiness() + ")");
    }
}
