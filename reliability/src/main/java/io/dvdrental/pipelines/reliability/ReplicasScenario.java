package io.dvdrental.pipelines.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * More than one replica on one consumer group while clicks flow: a second server joins; it is killed with SIGKILL
 * and started again; a third joins mid-stream; then one is frozen (SIGSTOP) for longer than the consumer session
 * timeout, so the group gives its partitions to the others, and thawed (SIGCONT): a zombie whose in-flight insert
 * lands after its partitions moved. Every click must be stored once and every view must agree; the longest pause of
 * any partition (the rebalances) is reported.
 */
public final class ReplicasScenario implements Scenario {

    /** Longer than the consumer session timeout (dvd.stream.session-timeout, 10 s): the group evicts the frozen one. */
    private static final Duration FROZEN = Duration.ofSeconds(25);
    /** A replica's start on a busy 2-core machine can take minutes. */
    private static final Duration START = Duration.ofSeconds(600);

    @Override
    public String name() {
        return "replicas";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double rate = quick ? 300 : 1_500;
        Duration settle = Duration.ofSeconds(quick ? 5 : 20);
        // The quick form (CI) keeps the freeze, which is what can double a batch, and leaves the kill -9 restart and
        // the third server to the full form: each server started costs a minute or more on two cores.
        String done = String.format(Locale.ROOT, "valid clicks at %.0f/s to a server; a second server joins the "
                + "consumer group; %s is frozen (SIGSTOP) for %d s, longer than the session timeout, and thawed; %d s "
                + "of flow between steps; stop producing; wait for the stream to drain", rate, quick ? "the second"
                : "kill -9 the second, start it again; a third joins; the third", FROZEN.toSeconds(),
                settle.toSeconds());
        String expected = "produced = distinct event_ids = rows (no duplicate, none lost, whatever the frozen "
                + "replica inserted late) = sum over every materialized view; longest pause of a partition reported";
        if (target.replicas().isEmpty()) {
            return ScenarioResult.notRun(name(), done, expected, "no way to start more replicas here");
        }
        Target.StreamNames stream = target.stream();
        if (!target.warehouse().tableExists(stream.database(), stream.clicksTable())) {
            return ScenarioResult.notRun(name(), done, expected, stream.clicks() + " does not exist: the streaming "
                    + "pipeline is not in this build");
        }
        long seed = System.nanoTime();
        TaggedClicks clicks = new TaggedClicks(seed, ServiceOutageScenario.tag("replicas"));
        StreamCheck check = new StreamCheck(target.warehouse(), stream.clicks());
        List<String> steps = new ArrayList<>();
        List<ServerProcess> started = new ArrayList<>();
        long produced;
        long began = System.currentTimeMillis();
        StreamCheck.Drain drain;
        StreamCheck.Landed landed;
        long pause;
        try {
            try (ClickFlow flow = new ClickFlow(target.kafkaBrokers(), stream.topic(), clicks, rate, Long.MAX_VALUE)) {
                flow.start();
                Thread.sleep(settle.toMillis());
                ServerProcess second = target.replicas().get().replica("second");
                started.add(second);
                steps.add("second ready in " + StreamCheck.seconds(second.start(START)));
                Thread.sleep(settle.toMillis());
                ServerProcess frozen = second;
                String frozenName = "second";
                if (!quick) {
                    second.kill9();
                    steps.add("second killed at " + flow.sent() + " sent, ready again in "
                            + StreamCheck.seconds(second.start(START)));
                    Thread.sleep(settle.toMillis());
                    frozen = target.replicas().get().replica("third");
                    frozenName = "third";
                    started.add(frozen);
                    steps.add("third ready in " + StreamCheck.seconds(frozen.start(START)));
                    Thread.sleep(settle.toMillis());
                }
                frozen.pause();
                steps.add(frozenName + " frozen at " + flow.sent() + " sent");
                Thread.sleep(FROZEN.toMillis());
                frozen.resume();
                steps.add("thawed at " + flow.sent() + " sent");
                Thread.sleep(settle.toMillis());
                produced = flow.finish();
            }
            drain = check.awaitDrained(clicks, produced, Duration.ofSeconds(60), Duration.ofSeconds(quick ? 180 : 600));
            // A last look a moment later: a late insert of the thawed replica would show as a duplicate here.
            Thread.sleep(5_000);
            landed = check.landed(clicks);
            pause = longestPartitionPauseMillis(target.warehouse(), stream, clicks);
        } finally {
            // Replicas left running would stay in the consumer group and take partitions from whatever runs next.
            for (ServerProcess replica : started) {
                replica.resume();
                replica.stop();
            }
        }
        MaterializedViews.Agreement views = new MaterializedViews(target.warehouse(), stream)
                .agreement(began, System.currentTimeMillis());
        List<String> wrong = StreamCheck.wrong(landed, produced, views);
        String measured = String.format(Locale.ROOT, "produced %d, distinct event_ids %d, rows %d; %s; longest "
                        + "pause of a partition %.1f s; drain %s%s; %s%s", produced, landed.distinct(), landed.rows(),
                views.summary(), pause / 1000.0, StreamCheck.seconds(drain.took()), drain.complete() ? ""
                        : " (INCOMPLETE)", String.join("; ", steps),
                wrong.isEmpty() ? "" : ". WRONG: " + String.join("; ", wrong));
        return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    /** The longest time between two consecutive stored clicks of one partition (ingest time), over the tag's clicks. */
    static long longestPartitionPauseMillis(Warehouse warehouse, Target.StreamNames stream, TaggedClicks clicks)
            throws java.io.IOException {
        return warehouse.number("SELECT max(at - before) FROM (SELECT toUnixTimestamp64Milli(ingested_at) AS at, "
                + "lagInFrame(toUnixTimestamp64Milli(ingested_at), 1, toUnixTimestamp64Milli(ingested_at)) OVER "
                + "(PARTITION BY kafka_partition ORDER BY ingested_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) "
                + "AS before FROM " + stream.clicks() + " WHERE " + clicks.condition() + ")");
    }
}
