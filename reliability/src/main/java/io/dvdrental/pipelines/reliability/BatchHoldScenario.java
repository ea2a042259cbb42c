package io.dvdrental.pipelines.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One batch run at a time, and only a dead one is replaced. A full run that looks older than any timeout, while
 * anonymous readers flood {@code /api/pipelines} (which reads the state database through the same pool the run
 * records its steps with), must not be abandoned: every other start is refused until it ends. A full run whose
 * state-database session (its hold on the run lock) is cut must stop and write nothing more, and the next run must
 * be accepted and bring gold to the reference.
 */
public final class BatchHoldScenario implements Scenario {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the run that lost its hold is watched before the next run starts. */
    private static final Duration WATCH_AFTER_CUT = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "batch-hold";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double scale = quick ? 1 : 10;
        int readers = quick ? 20 : 50;
        Duration timeout = Duration.ofMinutes(quick ? 10 : 60);
        long seed = System.nanoTime();
        String done = String.format(Locale.ROOT, "SF=%s source; reference full run. (1) a full run whose start is "
                + "moved 7 h back in the state database, while %d readers of the state database poll without pause "
                + "(half /api/pipelines anonymously, half GET /api/batch/runs/<id> as the operator) and an operator "
                + "asks for another run every second; (2) a full run whose state-database session (its hold) is "
                + "terminated once it has ended a random 30%% to 70%% of the reference run's steps (seed %d), "
                + "watched %d s, then the next full run", scale == 1 ? "1" : "10", readers, seed,
                WATCH_AFTER_CUT.toSeconds());
        String expected = "(1) the run is never abandoned and succeeds; every other start is refused (409) while it "
                + "runs; (2) the run that lost its hold starts no step, moves no watermark and records nothing after "
                + "the cut (its end, FAILED for the lost hold, once no other run replaced it); the next run is accepted, succeeds, and gold equals the reference";
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
        List<String> wrong = new ArrayList<>();
        String busy = busyLongRun(target, ref, readers, timeout, wrong);
        String cut = cutRun(target, ref, new SplittableRandom(seed), timeout, wrong);
        String measured = String.format(Locale.ROOT, "%s; reference run %s took %s. (1) %s. (2) %s%s", ref.seeding(),
                ref.runId(), StreamCheck.seconds(ref.took()), busy, cut,
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    private String busyLongRun(Target target, BatchReference ref, int readers, Duration timeout, List<String> wrong)
            throws Exception {
        BatchApi batch = target.batch();
        BatchApi.Start run = batch.start("full");
        if (!run.accepted()) {
            wrong.add("(1) the run was refused: HTTP " + run.status() + " " + run.body());
            return "refused";
        }
        target.state().execute("UPDATE batch_run SET started_at = started_at - interval '7 hours' WHERE run_id = '"
                + run.runId() + "'");
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        AtomicLong notOk = new AtomicLong();
        ExecutorService flood = Executors.newFixedThreadPool(readers);
        long start = System.nanoTime();
        for (int i = 0; i < readers; i++) {
            Credentials reader = i % 2 == 0 ? null : target.operator();
            String path = reader == null ? "/api/pipelines" : "/api/batch/runs/" + ref.runId();
            flood.submit(() -> {
                while (flooding.get()) {
                    try {
                        int status = target.server().call("GET", path, reader, null).status();
                        (status == 200 ? answered : notOk).incrementAndGet();
                    } catch (Exception e) {
                        notOk.incrementAndGet();
                    }
                }
            });
        }
        int refused = 0;
        List<String> accepted = new ArrayList<>();
        double maxPending = 0;
        String state = "RUNNING";
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while ("RUNNING".equals(state) && System.nanoTime() < deadline) {
                BatchApi.Start other = batch.start("incremental");
                if (other.status() == 409) {
                    refused++;
                } else if (other.accepted()) {
                    accepted.add(other.runId());
                }
                maxPending = Math.max(maxPending, statePoolPending(target));
                Thread.sleep(1000);
                state = BatchApi.state(batch.run(run.runId()));
            }
        } finally {
            flooding.set(false);
            flood.shutdown();
            flood.awaitTermination(1, TimeUnit.MINUTES);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!"SUCCEEDED".equals(state)) {
            wrong.add("(1) the run ended " + state + ": " + BatchApi.failedSteps(batch.run(run.runId())));
        }
        // A start that reached the server just after the run ended is accepted, rightly.
        long overlapping = 0;
        for (String id : accepted) {
            batch.awaitFinished(id, timeout);
            overlapping += target.state().count("SELECT count(*) FROM batch_run o, batch_run r WHERE o.run_id = '"
                    + id + "' AND r.run_id = '" + run.runId() + "' AND o.started_at < r.finished_at");
        }
        if (overlapping > 0) {
            wrong.add("(1) " + overlapping + " other runs were accepted while it ran: " + accepted);
        }
        return String.format(Locale.ROOT, "run %s, its start moved 7 h back, ended %s after %s; %d reader requests "
                        + "answered (%.0f/s), %d not 200; other starts while it ran: %d refused with 409, %d "
                        + "accepted (%d after it ended); state pool (hikaricp, pool state): at most %.0f threads waiting for a connection",
                run.runId(), state, StreamCheck.seconds(took), answered.get(),
                answered.get() / Math.max(1.0, took.toMillis() / 1000.0), notOk.get(), refused, overlapping,
                accepted.size() - overlapping, maxPending);
    }

    private String cutRun(Target target, BatchReference ref, SplittableRandom random, Duration timeout,
                          List<String> wrong) throws Exception {
        BatchApi batch = target.batch();
        SourceData state = target.state();
        BatchApi.Start run = batch.start("full");
        if (!run.accepted()) {
            wrong.add("(2) the run was refused: HTTP " + run.status() + " " + run.body());
            return "refused";
        }
        int referenceSteps = batch.run(ref.runId()).path("steps").size();
        int cutAfterSteps = (int) (referenceSteps * (0.3 + 0.4 * random.nextDouble()));
        long started = System.nanoTime();
        while (endedSteps(batch.run(run.runId())) < cutAfterSteps
                && "RUNNING".equals(BatchApi.state(batch.run(run.runId())))) {
            Thread.sleep(100);
        }
        Duration cutAfter = Duration.ofNanos(System.nanoTime() - started);
        String session = "application_name = 'dvd-batch-run " + run.runId() + "'";
        long sessions = state.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE " + session);
        String cutAt = "to_timestamp(" + state.count("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)"
                + "::bigint") + " / 1000000.0)";
        String stateAtCut = BatchApi.state(batch.run(run.runId()));
        Thread.sleep(WATCH_AFTER_CUT.toMillis());
        long stepsStarted = state.count("SELECT count(*) FROM batch_step WHERE run_id = '" + run.runId()
                + "' AND started_at > " + cutAt);
        long stepsEnded = state.count("SELECT count(*) FROM batch_step WHERE run_id = '" + run.runId()
                + "' AND finished_at > " + cutAt);
        long watermarks = state.count("SELECT count(*) FROM batch_watermark WHERE run_id = '" + run.runId()
                + "' AND updated_at > " + cutAt);
        String lostState = BatchApi.state(batch.run(run.runId()));
        long acceptedAfter = System.nanoTime();
        BatchApi.Start next = batch.start("full");
        for (int attempt = 0; attempt < 10 && next.status() == 409; attempt++) {
            Thread.sleep(500);
            next = batch.start("full");
        }
        Duration acceptedIn = Duration.ofNanos(System.nanoTime() - acceptedAfter);
        String nextState = "refused: HTTP " + next.status() + " " + next.body();
        List<String> differences = List.of();
        if (next.accepted()) {
            nextState = BatchApi.state(batch.awaitFinished(next.runId(), timeout));
            differences = LayerChecksums.differences(ref.gold(), BatchReference.checksums(target));
        }
        String lostEnd = BatchApi.state(batch.run(run.runId()));
        if (sessions != 1) {
            wrong.add("(2) " + sessions + " sessions named for the run were cut, not 1");
        }
        if (stepsStarted + stepsEnded + watermarks > 0) {
            wrong.add("(2) after the cut the run started " + stepsStarted + " steps, ended " + stepsEnded
                    + " and moved " + watermarks + " watermarks");
        }
        if (!"SUCCEEDED".equals(nextState)) {
            wrong.add("(2) the next run: " + nextState);
        }
        if (!differences.isEmpty()) {
            wrong.add("(2) gold after the next run differs from the reference: " + differences);
        }
        String lostError = batch.run(run.runId()).path("error").asText("");
        if (!"ABANDONED".equals(lostEnd) && !("FAILED".equals(lostEnd) && lostError.contains("lost its hold"))) {
            wrong.add("(2) the run that lost its hold ended " + lostEnd + " (" + lostError + ")");
        }
        return String.format(Locale.ROOT, "run %s cut %s after its start, at %d of %d steps ended (state then %s, %d "
                        + "session ended); in the "
                        + "%d s after the cut it started %d steps, ended %d, moved %d watermarks (state %s); the next "
                        + "run %s was accepted %s later and ended %s, gold %s; the cut run is %s (%s)",
                run.runId(), StreamCheck.seconds(cutAfter), cutAfterSteps, referenceSteps, stateAtCut, sessions,
                WATCH_AFTER_CUT.toSeconds(), stepsStarted, stepsEnded, watermarks, lostState, next.runId(),
                StreamCheck.seconds(acceptedIn), nextState, differences.isEmpty() ? "equal to the reference"
                        : "DIFFERENT", lostEnd, lostError);
    }

    private static int endedSteps(JsonNode run) {
        int ended = 0;
        for (JsonNode step : run.path("steps")) {
            ended += "RUNNING".equals(step.path("state").asText()) ? 0 : 1;
        }
        return ended;
    }

    /** Threads of the server waiting for a state-database connection right now (Micrometer's Hikari gauge). */
    private static double statePoolPending(Target target) {
        try {
            ServerApi.Answer answer = target.server().call("GET",
                    "/actuator/metrics/hikaricp.connections.pending?tag=pool:state", target.operator(), null);
            if (answer.status() != 200) {
                return 0;
            }
            JsonNode value = JSON.readTree(answer.body()).path("measurements").path(0).path("value");
            return value.asDouble(0);
        } catch (Exception e) {
            return 0;
        }
    }
}
