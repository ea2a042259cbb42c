package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Anonymous dashboard readers during a full batch run must not slow the run: 50 readers (bench/readers.py, each
 * refreshing both dashboards and /api/pipelines every 10 s, as the streaming page does) while a full run goes, between
 * two quiet full runs on the same source. The detailed benchmark, round after round, is bench/readers-bench.sh.
 */
public final class ReadersScenario implements Scenario {

    static final Path READERS = Path.of("bench", "readers.py");
    private static final int COUNT = 50;
    private static final int PERIOD_SECONDS = 10;

    @Override
    public String name() {
        return "readers";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double scale = quick ? 1 : 10;
        Duration timeout = Duration.ofMinutes(quick ? 10 : 60);
        String done = String.format(Locale.ROOT, "SF=%s source; full runs: quiet, with %d dashboard readers (%s: "
                + "each asks the 12 dashboard questions and /api/pipelines every %d s, anonymously), quiet again",
                scale == 1 ? "1" : "10", COUNT, READERS, PERIOD_SECONDS);
        String expected = "the run with readers takes at most 10% longer than the quiet runs' mean; every reader "
                + "request answered 200";
        BatchApi batch = target.batch();
        if (!batch.present()) {
            return ScenarioResult.notRun(name(), done, expected, "no /api/batch/runs: the batch pipeline is not in "
                    + "this build");
        }
        if (!Files.isRegularFile(READERS)) {
            return ScenarioResult.notRun(name(), done, expected, READERS.toAbsolutePath() + " is missing (run the "
                    + "harness from the repository root)");
        }
        BatchReference reference = BatchReference.of(target, scale, timeout);
        if (!reference.succeeded()) {
            return new ScenarioResult(name(), done, expected, "the reference run " + reference.runId() + " ended "
                    + reference.state() + ": " + reference.failedSteps(), Verdict.FAIL);
        }
        List<String> wrong = new ArrayList<>();
        Duration quietBefore = fullRun(batch, timeout, wrong);
        Process readers = new ProcessBuilder("python3", READERS.toString(), target.server().base().toString()
                .replaceFirst("/$", ""), "--readers", String.valueOf(COUNT), "--period", String.valueOf(PERIOD_SECONDS))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        JsonNode seen;
        Duration busy;
        try {
            // Every reader has asked once before the run starts.
            Thread.sleep(Duration.ofSeconds(PERIOD_SECONDS).toMillis());
            busy = fullRun(batch, timeout, wrong);
        } finally {
            readers.destroy();
        }
        if (!readers.waitFor(90, TimeUnit.SECONDS)) {
            readers.destroyForcibly();
            throw new IOException("the readers did not stop");
        }
        seen = new ObjectMapper().readTree(new String(readers.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Duration quietAfter = fullRun(batch, timeout, wrong);

        double quiet = (quietBefore.toMillis() + quietAfter.toMillis()) / 2.0;
        double ratio = busy.toMillis() / quiet;
        if (ratio > 1.1) {
            wrong.add(String.format(Locale.ROOT, "the run with readers took %.2fx the quiet mean", ratio));
        }
        if (seen.path("failed").asLong() > 0) {
            wrong.add(seen.path("failed").asLong() + " reader requests not answered 200");
        }
        String measured = String.format(Locale.ROOT, "quiet %.1f s and %.1f s, with readers %.1f s: %.2fx the quiet "
                        + "mean; readers: %d requests (%.1f/s), %d failed, latency p50 %s ms, p99 %s ms",
                quietBefore.toMillis() / 1000.0, quietAfter.toMillis() / 1000.0, busy.toMillis() / 1000.0, ratio,
                seen.path("requests").asLong(), seen.path("per_second").asDouble(), seen.path("failed").asLong(),
                seen.path("p50_ms").asText(), seen.path("p99_ms").asText())
                + (wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    private static Duration fullRun(BatchApi batch, Duration timeout, List<String> wrong) throws Exception {
        long start = System.nanoTime();
        BatchApi.Start run = batch.start("full");
        if (!run.accepted()) {
            throw new IllegalStateException("a full run was refused: HTTP " + run.status() + " " + run.body());
        }
        JsonNode end = batch.awaitFinished(run.runId(), timeout);
        if (!"SUCCEEDED".equals(BatchApi.state(end))) {
            wrong.add("run " + run.runId() + " ended " + BatchApi.state(end) + ": " + BatchApi.failedSteps(end));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
