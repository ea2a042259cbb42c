package io.dvdrental.pipelines.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The server's batch API ({@code /api/batch/runs}) as the operator: start a run, read one, list recent ones. */
public final class BatchApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI server;
    private final String authorization;
    private final String passwordSource;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code passwordSource} names where the password came from, for the message when the login is refused. */
    public BatchApi(URI server, String user, String password, String passwordSource) {
        this.server = URI.create(server.toString().replaceAll("/+$", "") + "/");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.passwordSource = passwordSource;
    }

    public URI server() {
        return server;
    }

    /** Starts a run; answers its id. A run in progress is a {@link RunInProgressException}. */
    public String start(Map<String, Object> request) {
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(server.resolve("api/batch/runs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (response.statusCode() == 409) {
            throw new RunInProgressException(error(response));
        }
        return json(accepted(response, 202, "start a run")).path("runId").asText();
    }

    public RunStatus run(String id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                server.resolve("api/batch/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8))).GET());
        if (response.statusCode() == 404) {
            throw new ApiException(404, BatchCli.NO_RUN, "There is no batch run " + id + " on " + server);
        }
        return RunStatus.of(json(accepted(response, 200, "read run " + id)));
    }

    /** The latest runs, newest first, each with its steps (one request per run: the list does not carry rows). */
    public List<RunStatus> recentRuns(int limit) {
        List<RunStatus> runs = new ArrayList<>();
        for (JsonNode run : json(accepted(send(HttpRequest.newBuilder(
                server.resolve("api/batch/runs?limit=" + limit)).GET()), 200, "list the runs"))) {
            runs.add(run(run.path("run_id").asText()));
        }
        return runs;
    }

    /** The run in progress, if any. */
    public Optional<RunStatus> runInProgress() {
        for (JsonNode run : json(accepted(send(HttpRequest.newBuilder(server.resolve("api/batch/runs?limit=5")).GET()),
                200, "list the runs"))) {
            if ("RUNNING".equals(run.path("state").asText())) {
                return Optional.of(run(run.path("run_id").asText()));
            }
        }
        return Optional.empty();
    }

    /** A 409: the server names the run in its message; {@link #runInProgress()} finds it. */
    public static final class RunInProgressException extends ApiException {
        RunInProgressException(String message) {
            super(409, BatchCli.NO_RUN, message);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", authorization).header("Accept", "application/json")
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(0, BatchCli.NO_RUN, "Cannot reach the server at " + server + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "). Start it with ./dvd demo or ./dvd server start.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, BatchCli.NO_RUN, "Interrupted while asking " + server);
        }
    }

    private HttpResponse<String> accepted(HttpResponse<String> response, int expected, String what) {
        int status = response.statusCode();
        if (status == expected) {
            return response;
        }
        String message = switch (status) {
            case 401 -> "The server at " + server + " refused the operator login (401): check the password in "
                    + passwordSource + ".";
            case 403 -> "The account may not " + what + " (403): batch runs need the operator role.";
            case 400 -> "The server refused the request: " + error(response);
            default -> "Could not " + what + ": HTTP " + status + " " + error(response);
        };
        throw new ApiException(status, status == 400 ? BatchCli.USAGE : BatchCli.NO_RUN, message);
    }

    private static String error(HttpResponse<String> response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.hasNonNull("error")) {
                return body.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        return response.body();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(response.statusCode(), BatchCli.NO_RUN, "The server's answer is not JSON: "
                    + response.body());
        }
    }
}
