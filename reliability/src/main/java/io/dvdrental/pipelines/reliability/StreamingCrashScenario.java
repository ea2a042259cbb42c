package io.dvdrental.pipelines.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * While clicks flow, the server is killed with SIGKILL several times at random moments and started again each time.
 * Every click Kafka acknowledged must be stored exactly once, and every materialized view must agree with the
 * stored clicks.
 */
public final class StreamingCrashScenario implements Scenario {

    @Override
    public String name() {
        return "streaming-crash";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        long total = quick ? 30_000 : 1_000_000;
        int kills = quick ? 2 : 5;
        // Slow enough that every kill and restart (about 40 s each here) falls while clicks still flow.
        double rate = quick ? 500 : 2_500;
        long seed = System.nanoTime();
        Duration producing = Duration.ofMillis((long) (total / rate * 1000));
        String done = String.format(Locale.ROOT, "%d valid clicks at %.0f/s (~%d s); kill -9 the server %d times "
                + "at random moments (seed %d), restart it after each kill and wait until ready; wait for the stream "
                + "to drain", total, rate, producing.toSeconds(), kills, seed);
        String expected = "produced = distinct event_ids in ClickHouse = rows (no duplicate) = sum over every "
                + "materialized view for the same minutes";
        if (target.process().isEmpty()) {
            return ScenarioResult.notRun(name(), done, expected, "the harness did not start the server, so it "
                    + "cannot kill it (run reliability/run.sh)");
        }
        Target.StreamNames stream = target.stream();
        if (!target.warehouse().tableExists(stream.database(), stream.clicksTable())) {
            return ScenarioResult.notRun(name(), done, expected, stream.clicks() + " does not exist: the streaming "
                    + "pipeline is not in this build");
        }
        ServerProcess server = target.process().get();
        TaggedClicks clicks = new TaggedClicks(seed, ServiceOutageScenario.tag("crash"));
        StreamCheck check = new StreamCheck(target.warehouse(), stream.clicks());
        SplittableRandom random = new SplittableRandom(seed);
        List<String> restarts = new ArrayList<>();
        long produced;
        long started = System.currentTimeMillis();
        try (ClickFlow flow = new ClickFlow(target.kafkaBrokers(), stream.topic(), clicks, rate, total)) {
            flow.start();
            // Kill moments spread over the production time: one random moment in each of `kills` equal slices.
            long slice = producing.toMillis() / kills;
            long t0 = System.currentTimeMillis();
            for (int k = 0; k < kills; k++) {
                long at = t0 + k * slice + random.nextLong(Math.max(1, slice));
                long wait = at - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long sentAtKill = flow.sent();
                server.kill9();
                Duration ready = server.start(Duration.ofSeconds(300));
                restarts.add(String.format(Locale.ROOT, "kill %d at %d sent, ready again in %s", k + 1,
                        sentAtKill, StreamCheck.seconds(ready)));
            }
            flow.awaitSent();
            produced = flow.finish();
        }
        StreamCheck.Drain drain = check.awaitDrained(clicks, produced, Duration.ofSeconds(quick ? 60 : 180),
                Duration.ofSeconds(quick ? 300 : 1800));
        StreamCheck.Landed landed = check.landed(clicks);
        long ended = System.currentTimeMillis();
        MaterializedViews.Agreement views = new MaterializedViews(target.warehouse(), stream)
                .agreement(started, ended);
        List<String> wrong = StreamCheck.wrong(landed, produced, views);
        String measured = String.format(Locale.ROOT, "produced %d, distinct event_ids %d, rows %d; %s; drain %s%s;"
                        + " %s%s", produced, landed.distinct(), landed.rows(), views.summary(),
                StreamCheck.seconds(drain.took()), drain.complete() ? "" : " (INCOMPLETE)", String.join("; ", restarts),
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }
}
