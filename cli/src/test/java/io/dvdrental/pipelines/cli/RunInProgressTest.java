package io.dvdrental.pipelines.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that cannot start because another is in progress (409), against a stand-in for the server's API: the CLI
 * names the running run and how to follow it, and a person at a terminal who answers yes follows it to its end.
 */
class RunInProgressTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger reads = new AtomicInteger();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/batch/runs", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 409, "{\"error\":\"Batch run r-held is in progress\"}");
            } else if (path.equals("/api/batch/runs")) {
                answer(exchange, 200, "[{\"run_id\":\"r-done\",\"state\":\"SUCCEEDED\"},"
                        + "{\"run_id\":\"r-held\",\"state\":\"RUNNING\"}]");
            } else {
                // RUNNING when the CLI names it, SUCCEEDED from the next read on.
                String state = reads.getAndIncrement() == 0 ? "RUNNING" : "SUCCEEDED";
                answer(exchange, 200, "{\"run_id\":\"r-held\",\"mode\":\"FULL\",\"scope\":\"ALL\",\"state\":\"" + state
                        + "\",\"started_at\":\"2026-11-30T21:55:00.000+00:00\",\"finished_at\":"
                        + (state.equals("RUNNING") ? "null" : "\"2026-11-30T21:56:00.000+00:00\"")
                        + ",\"stepsTotal\":42,\"steps\":[]}");
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(bytes);
        }
    }

    private int run(boolean interactive, String answer) throws IOException {
        Path password = Files.writeString(dir.resolve("operator.password"), "secret");
        Terminal terminal = new Terminal(new PrintWriter(out), new PrintWriter(err),
                new BufferedReader(new StringReader(answer)), interactive, 120);
        return BatchCli.execute(terminal, "run", "full", "--password-file", password.toString(),
                "--server", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void aScriptIsToldWhichRunHoldsItAndHowToFollowIt() throws IOException {
        assertThat(run(false, "")).isEqualTo(BatchCli.NO_RUN);
        assertThat(err.toString()).contains("Batch run r-held is in progress (full, started ")
                .contains("0/42 steps): a new run starts only when it has ended.")
                .contains("Follow it: ./dvd batch follow r-held");
        assertThat(out.toString()).doesNotContain("Follow it now?");
    }

    @Test
    void aPersonWhoAnswersYesFollowsTheRunningRunToItsEnd() throws IOException {
        assertThat(run(true, "y\n")).isEqualTo(BatchCli.SUCCEEDED);
        assertThat(out.toString()).contains("Follow it now? [Y/n] ")
                .contains("Batch run r-held SUCCEEDED in 1:00: 0/42 steps, 0 rows extracted.");
    }

    @Test
    void aPersonWhoAnswersNoIsLeftWithTheCommand() throws IOException {
        assertThat(run(true, "n\n")).isEqualTo(BatchCli.NO_RUN);
        assertThat(out.toString()).contains("Follow it now? [Y/n] ").doesNotContain("SUCCEEDED");
    }
}
