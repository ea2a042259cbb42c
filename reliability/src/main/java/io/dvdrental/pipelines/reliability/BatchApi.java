package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The batch pipeline's run API ({@code POST /api/batch/runs}, {@code GET /api/batch/runs/{id}}) for the harness. */
public final class BatchApi {

    /** The answer to a start request: the HTTP status, the run id when accepted, the body. */
    public record Start(int status, String runId, String body) {
        public boolean accepted() {
            return runId != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNS = "/api/batch/runs";

    private final ServerApi server;
    private final Credentials operator;

    public BatchApi(ServerApi server, Credentials operator) {
        this.server = server;
        this.operator = operator;
    }

    /** Whether this build has the batch pipeline at all. */
    public boolean present() throws IOException {
        return server.call("GET", RUNS, operator, null).status() == 200;
    }

    public Start start(String mode) throws IOException {
        ServerApi.Answer answer = server.call("POST", RUNS, operator, "{\"mode\":\"" + mode + "\"}");
        String id = null;
        if (answer.status() == 202) {
            id = JSON.readTree(answer.body()).path("runId").asText(null);
        }
        return new Start(answer.status(), id, answer.body());
    }

    public JsonNode run(String id) throws IOException {
        ServerApi.Answer answer = server.call("GET", RUNS + "/" + id, operator, null);
        if (answer.status() != 200) {
            throw new IOException("GET " + RUNS + "/" + id + " answered " + answer.status() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Recent runs, newest first. */
    public JsonNode runs() throws IOException {
        return JSON.readTree(server.call("GET", RUNS + "?limit=10", operator, null).body());
    }

    /** Polls until the run is no longer RUNNING (or the timeout passes); returns its last view. */
    public JsonNode awaitFinished(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            try {
                run = run(id);
                if (!"RUNNING".equals(run.path("state").asText())) {
                    return run;
                }
            } catch (IOException e) {
                // the server or its state database may be away for a moment
            }
            Thread.sleep(1000);
        }
        return run;
    }

    public static String state(JsonNode run) {
        return run == null ? "UNKNOWN" : run.path("state").asText();
    }

    /** Failed steps with their errors, shortened. */
    public static List<String> failedSteps(JsonNode run) {
        List<String> failed = new ArrayList<>();
        if (run != null) {
            for (JsonNode step : run.path("steps")) {
                if ("FAILED".equals(step.path("state").asText())) {
                    String error = step.path("error").asText("");
                    failed.add(step.path("step").asText() + ": " + (error.length() > 120 ? error.substring(0, 120)
                            + "…" : error));
                }
            }
        }
        return failed;
    }
}
