package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The server is killed with SIGKILL in the middle of a full batch run and started again; the run is resumed (by the
 * server, or by an operator starting the next run). Gold must end equal to an uninterrupted run's.
 */
public final class BatchCrashScenario implements Scenario {

    @Override
    public String name() {
        return "batch-crash";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double scale = quick ? 1 : 10;
        Duration timeout = Duration.ofMinutes(quick ? 10 : 60);
        long seed = System.nanoTime();
        String done = String.format(Locale.ROOT, "SF=%s source; an uninterrupted full run (reference); a second "
                + "full run, kill -9 of the server at a random moment between 30%% and 70%% of the reference "
                + "duration (seed %d), restart; wait 30 s for the server to resume by itself, else start the next "
                + "full run as an operator would; wait for it", scale == 1 ? "1" : "10", seed);
        String expected = "the resumed run succeeds and every gold table's checksum (rows, sum of row hashes) "
                + "equals the reference's";
        if (target.process().isEmpty()) {
            return ScenarioResult.notRun(name(), done, expected, "the harness did not start the server, so it "
                    + "cannot kill it (run reliability/run.sh)");
        }
        BatchApi batch = target.batch();
        if (!batch.present()) {
            return ScenarioResult.notRun(name(), done, expected, "no /api/batch/runs: the batch pipeline is not in "
                    + "this build");
        }
        BatchReference ref = BatchReference.of(target, scale, timeout);
        if (!ref.succeeded()) {
            return new ScenarioResult(name(), done, expected, "the uninterrupted reference run " + ref.runId()
                    + " ended " + ref.state() + ": " + ref.failedSteps(), Verdict.FAIL);
        }
        ServerProcess server = target.process().get();
        BatchApi.Start crashed = batch.start("full");
        if (!crashed.accepted()) {
            return new ScenarioResult(name(), done, expected, "the run to crash was refused: HTTP "
                    + crashed.status() + " " + crashed.body(), Verdict.FAIL);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long killAfter = (long) (ref.took().toMillis() * (0.3 + 0.4 * random.nextDouble()));
        Thread.sleep(killAfter);
        String stateAtKill = BatchApi.state(batch.run(crashed.runId()));
        server.kill9();
        Duration ready = server.start(Duration.ofSeconds(300));
        String stateAfterRestart = BatchApi.state(batch.run(crashed.runId()));

        List<String> wrong = new ArrayList<>();
        String resumedBy;
        String resumedId = awaitAutomaticResume(batch, crashed.runId(), Duration.ofSeconds(30));
        if (resumedId != null) {
            resumedBy = "the server (run " + resumedId + ")";
        } else {
            BatchApi.Start next = batch.start("full");
            resumedBy = "an operator's next full run";
            if (!next.accepted()) {
                wrong.add("the next run was refused: HTTP " + next.status() + " " + next.body()
                        + " (the killed run " + crashed.runId() + " is " + stateAfterRestart + ")");
                // What an operator would do by hand, so that the rest can still be measured.
                int abandoned = abandonRunning(target);
                next = batch.start("full");
                resumedBy += " after the harness marked " + abandoned + " RUNNING run(s) ABANDONED in the state "
                        + "database (operator workaround)";
            }
            resumedId = next.runId();
            resumedBy += next.accepted() ? " (" + resumedId + ")" : " (refused again: HTTP " + next.status() + ")";
        }
        String resumedState = "none";
        List<String> differences = List.of();
        Map<String, String> after = Map.of();
        if (resumedId != null) {
            JsonNode end = batch.awaitFinished(resumedId, timeout);
            resumedState = BatchApi.state(end);
            if (!"SUCCEEDED".equals(resumedState)) {
                wrong.add("the resumed run ended " + resumedState + ": " + BatchApi.failedSteps(end));
            }
            after = BatchReference.checksums(target);
            differences = LayerChecksums.differences(ref.gold(), after);
            if (!differences.isEmpty()) {
                wrong.add("gold differs from the reference in " + differences);
            }
        }
        String measured = String.format(Locale.ROOT, "%s; reference run %s took %s; killed %s after the start (run "
                        + "state then %s), server ready again in %s, killed run then %s; resumed by %s: %s; gold "
                        + "tables equal to the reference: %s of %d%s",
                ref.seeding(), ref.runId(), StreamCheck.seconds(ref.took()),
                StreamCheck.seconds(Duration.ofMillis(killAfter)), stateAtKill, StreamCheck.seconds(ready),
                stateAfterRestart, resumedBy, resumedState, after.isEmpty() ? "not compared"
                        : String.valueOf(ref.gold().size() - differences.size()), ref.gold().size(),
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    /** Marks every RUNNING batch run ABANDONED, straight in the server's state database; returns how many. */
    static int abandonRunning(Target target) throws Exception {
        SourceData state = target.state();
        int running = (int) state.count("SELECT count(*) FROM batch_run WHERE state = 'RUNNING'");
        state.execute("UPDATE batch_run SET state = 'ABANDONED', finished_at = clock_timestamp(), error = "
                + "'marked abandoned by the reliability harness after kill -9' WHERE state = 'RUNNING'");
        return running;
    }

    /** A run other than the killed one that the server started by itself after the restart, if any. */
    private static String awaitAutomaticResume(BatchApi batch, String killed, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode run : batch.runs()) {
                String id = run.path("run_id").asText();
                if (!id.equals(killed) && id.compareTo(killed) > 0) {
                    return id;
                }
            }
            if ("RUNNING".equals(BatchApi.state(batch.run(killed))) && resumedInPlace(batch, killed)) {
                return killed;
            }
            Thread.sleep(2000);
        }
        return null;
    }

    /** The killed run's steps move again after the restart: the server resumed it under the same id. */
    private static boolean resumedInPlace(BatchApi batch, String killed) throws Exception {
        JsonNode first = batch.run(killed);
        Thread.sleep(1000);
        return !first.path("steps").toString().equals(batch.run(killed).path("steps").toString());
    }
}
