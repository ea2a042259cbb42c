package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvdrental.pipelines.services.LocalStack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PostgreSQL (the source and the server's state) is stopped in the middle of a full batch run, then started again.
 * The run must end cleanly (failed with a clear reason, or succeeded after retrying), gold must never be left
 * half-written, and the next run must catch up.
 */
public final class PostgresOutageScenario implements Scenario {

    @Override
    public String name() {
        return "postgres-outage";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double scale = quick ? 1 : 10;
        Duration outage = Duration.ofSeconds(quick ? 10 : 60);
        Duration timeout = Duration.ofMinutes(quick ? 10 : 60);
        long seed = System.nanoTime();
        String done = String.format(Locale.ROOT, "SF=%s source; reference full run; a full run with PostgreSQL "
                + "stopped for %d s from a random moment between 20%% and 50%% of the reference duration (seed %d); "
                + "wait for the run to end; the next full run", scale == 1 ? "1" : "10", outage.toSeconds(), seed);
        String expected = "the run ends (FAILED with a reason naming the database, or SUCCEEDED after retries), never "
                + "stuck RUNNING; gold equal to the reference right after it (nothing half-written); the next run "
                + "is accepted, succeeds, and gold equals the reference";
        if (target.services().isEmpty()) {
            return ScenarioResult.notRun(name(), done, expected, "the services are not local processes");
        }
        BatchApi batch = target.batch();
        if (!batch.present()) {
            return ScenarioResult.notRun(name(), done, expected, "no /api/batch/runs: the batch pipeline is not in "
                    + "this build");
        }
        BatchReference ref = BatchReference.of(target, scale, timeout);
        if (!ref.succeeded()) {
            return new ScenarioResult(name(), done, expected, "the reference run " + ref.runId() + " ended "
                    + ref.state() + ": " + ref.failedSteps(), Verdict.FAIL);
        }
        LocalStack services = target.services().get();
        BatchApi.Start run = batch.start("full");
        if (!run.accepted()) {
            return new ScenarioResult(name(), done, expected, "the run was refused: HTTP " + run.status() + " "
                    + run.body(), Verdict.FAIL);
        }
        long stopAfter = (long) (ref.took().toMillis() * (0.2 + 0.3 * new SplittableRandom(seed).nextDouble()));
        Thread.sleep(stopAfter);
        services.down(List.of("postgres"));
        ServiceOutageScenario.ReadinessWatch watch = new ServiceOutageScenario.ReadinessWatch(target.server());
        watch.start();
        Thread.sleep(outage.toMillis());
        services.up(List.of("postgres"));
        watch.markRecovered(System.nanoTime());
        JsonNode end = batch.awaitFinished(run.runId(), timeout);
        watch.stop();
        String state = BatchApi.state(end);
        String error = end == null ? "" : end.path("error").asText("");
        List<String> wrong = new ArrayList<>();
        if ("RUNNING".equals(state) || "UNKNOWN".equals(state)) {
            wrong.add("the run is still " + state + " " + timeout.toMinutes() + " min later");
        } else if (!"SUCCEEDED".equals(state) && error.isBlank() && BatchApi.failedSteps(end).isEmpty()) {
            wrong.add("the run ended " + state + " without a reason");
        }
        Map<String, String> afterFailure = BatchReference.checksums(target);
        List<String> halfWritten = LayerChecksums.differences(ref.gold(), afterFailure);
        if (!halfWritten.isEmpty()) {
            wrong.add("gold changed by the interrupted run: " + halfWritten);
        }
        BatchApi.Start next = batch.start("full");
        String nextState = "refused: HTTP " + next.status() + " " + next.body();
        List<String> nextDiff = List.of();
        if (next.accepted()) {
            nextState = BatchApi.state(batch.awaitFinished(next.runId(), timeout));
            nextDiff = LayerChecksums.differences(ref.gold(), BatchReference.checksums(target));
            if (!nextDiff.isEmpty()) {
                wrong.add("gold after the next run differs from the reference: " + nextDiff);
            }
        }
        if (!"SUCCEEDED".equals(nextState)) {
            wrong.add("the next run: " + nextState);
        }
        String shortError = error.length() > 200 ? error.substring(0, 200) + "…" : error;
        String measured = String.format(Locale.ROOT, "PostgreSQL stopped %s after the start; the run ended %s "
                        + "(error: %s; failed steps: %s); gold right after: %s; readiness: %s; next run %s: %s, gold "
                        + "%s%s", StreamCheck.seconds(Duration.ofMillis(stopAfter)), state,
                shortError.isBlank() ? "none" : shortError, BatchApi.failedSteps(end),
                halfWritten.isEmpty() ? "equal to the reference" : "DIFFERENT", watch.summary(), next.runId(),
                nextState, nextDiff.isEmpty() ? "equal to the reference" : "DIFFERENT",
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }
}
