package io.dvdrental.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A batch run as {@code GET /api/batch/runs/{id}} answers it: what the follower and the runs list show. */
public record RunStatus(String id, String mode, String scope, String state, String error, Instant startedAt,
                        Instant finishedAt, List<Step> steps, int stepsTotal) {

    /** One step of the run: an extract, the quarantine, a model, the quality checks or the export. */
    public record Step(String name, String kind, String state, long rowsRead, long rowsWritten, Long durationMs,
                       String error) {

        public boolean finished() {
            return !"RUNNING".equals(state);
        }
    }

    public boolean running() {
        return "RUNNING".equals(state);
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(state);
    }

    public int stepsDone() {
        return (int) steps.stream().filter(Step::finished).count();
    }

    /** Rows read from the source by the run's extracts: how much the run brought in. */
    public long rowsExtracted() {
        return steps.stream().filter(s -> "extract".equals(s.kind())).mapToLong(Step::rowsRead).sum();
    }

    public List<Step> stepsIn(String stepState) {
        return steps.stream().filter(s -> stepState.equals(s.state())).toList();
    }

    /** From the start to the end, or to {@code now} while it runs. */
    public Duration elapsed(Instant now) {
        if (startedAt == null) {
            return Duration.ZERO;
        }
        Duration elapsed = Duration.between(startedAt, finishedAt != null ? finishedAt : now);
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }

    static RunStatus of(JsonNode run) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode step : run.path("steps")) {
            steps.add(new Step(text(step, "step"), text(step, "kind"), text(step, "state"),
                    step.path("rows_read").asLong(), step.path("rows_written").asLong(),
                    step.hasNonNull("duration_ms") ? step.get("duration_ms").asLong() : null, text(step, "error")));
        }
        return new RunStatus(text(run, "run_id"), text(run, "mode"), text(run, "scope"), text(run, "state"),
                text(run, "error"), instant(run.get("started_at")), instant(run.get("finished_at")), List.copyOf(steps),
                run.path("stepsTotal").asInt(steps.size()));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The server writes timestamps as ISO-8601 with an offset; epoch milliseconds are taken too. */
    private static Instant instant(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        return OffsetDateTime.parse(value.asText()).toInstant();
    }
}
