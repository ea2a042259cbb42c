package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.services.LocalStack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clicks flow; one real service (ClickHouse or the Kafka broker) is stopped mid-stream for a while, then started
 * again. Nothing may be lost or doubled; the server stays up; while ClickHouse is gone it reports not-ready.
 */
public final class ServiceOutageScenario implements Scenario {

    private final String name;
    private final String service;
    private final Duration quickOutage;
    private final Duration longOutage;
    private final boolean notReadyExpected;

    private ServiceOutageScenario(String name, String service, Duration quickOutage, Duration longOutage,
                                  boolean notReadyExpected) {
        this.name = name;
        this.service = service;
        this.quickOutage = quickOutage;
        this.longOutage = longOutage;
        this.notReadyExpected = notReadyExpected;
    }

    public static ServiceOutageScenario clickhouse() {
        return new ServiceOutageScenario("clickhouse-outage", "clickhouse", Duration.ofSeconds(10),
                Duration.ofSeconds(60), true);
    }

    public static ServiceOutageScenario kafka() {
        return new ServiceOutageScenario("kafka-restart", "kafka", Duration.ofSeconds(5), Duration.ofSeconds(20),
                false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        Duration outage = quick ? quickOutage : longOutage;
        double rate = quick ? 300 : 1_000;
        Duration before = Duration.ofSeconds(quick ? 4 : 15);
        String done = String.format(Locale.ROOT, "valid clicks at %.0f/s; after %d s stop %s for %d s, start it "
                + "again; stop producing; wait for the stream to drain", rate, before.toSeconds(), service,
                outage.toSeconds());
        String expected = "lost 0, duplicates 0, server up throughout"
                + (notReadyExpected ? ", readiness DOWN while " + service + " is stopped, UP after" : "")
                + "; drain time reported";
        if (target.services().isEmpty()) {
            return ScenarioResult.notRun(name, done, expected, "the services are not local processes");
        }
        Target.StreamNames stream = target.stream();
        if (!target.warehouse().tableExists(stream.database(), stream.clicksTable())) {
            return ScenarioResult.notRun(name, done, expected, stream.clicks() + " does not exist: the streaming "
                    + "pipeline is not in this build");
        }
        LocalStack services = target.services().get();
        TaggedClicks clicks = new TaggedClicks(System.nanoTime(), tag(name));
        StreamCheck check = new StreamCheck(target.warehouse(), stream.clicks());
        ReadinessWatch watch = new ReadinessWatch(target.server());
        long produced;
        Duration downToNotReady;
        long up;
        try (ClickFlow flow = new ClickFlow(target.kafkaBrokers(), stream.topic(), clicks, rate, Long.MAX_VALUE)) {
            flow.start();
            Thread.sleep(before.toMillis());
            watch.start();
            long down = System.nanoTime();
            services.down(List.of(service));
            Duration stopping = Duration.ofNanos(System.nanoTime() - down);
            Thread.sleep(outage.toMillis());
            downToNotReady = watch.firstNotUpAfter(down);
            services.up(List.of(service));
            up = System.nanoTime();
            watch.markRecovered(up);
            produced = flow.finish();
            done += " (stopping took " + StreamCheck.seconds(stopping) + ")";
        }
        // A Kafka consumer group may wait out a session timeout before it rebalances: patience beyond that.
        StreamCheck.Drain drain = check.awaitDrained(clicks, produced, Duration.ofSeconds(quick ? 60 : 360),
                Duration.ofSeconds(quick ? 120 : 900));
        Duration drainFromUp = Duration.ofNanos(System.nanoTime() - up);
        String readyAfter = target.server().readiness();
        if (!"UP".equals(readyAfter)) {
            readyAfter += " (waited: " + StreamCheck.seconds(awaitUp(target.server())) + ")";
        }
        watch.stop();
        StreamCheck.Landed landed = check.landed(clicks);
        long lost = landed.lostOf(produced);
        List<String> wrong = new ArrayList<>();
        if (lost > 0) {
            wrong.add("MISSING " + lost + " (not stored " + StreamCheck.seconds(drainFromUp) + " after " + service
                    + " came back)");
        }
        if (landed.duplicates() > 0) {
            wrong.add("DUPLICATES " + landed.duplicates());
        }
        if (watch.unreachable() > 0) {
            wrong.add("server unreachable in " + watch.unreachable() + " probes");
        }
        if (notReadyExpected && downToNotReady == null) {
            wrong.add("readiness never left UP while " + service + " was stopped");
        }
        if (!readyAfter.startsWith("UP")) {
            wrong.add("readiness after recovery: " + readyAfter);
        }
        String measured = String.format(Locale.ROOT, "produced %d, distinct in ClickHouse %d, rows %d: missing %d, "
                        + "duplicates %d; drain after %s came back: %s%s; readiness while stopped: %s%s; "
                        + "readiness after: %s", produced, landed.distinct(), landed.rows(), lost,
                landed.duplicates(), service, StreamCheck.seconds(drainFromUp), drain.complete() ? "" : " (INCOMPLETE)",
                watch.summary(), downToNotReady == null ? "" : " (not UP " + StreamCheck.seconds(downToNotReady)
                        + " after the stop)", readyAfter);
        return new ScenarioResult(name, done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
    }

    private static Duration awaitUp(ServerApi api) throws InterruptedException {
        try {
            return api.awaitReady(Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            return Duration.ofSeconds(60);
        }
    }

    static String tag(String name) {
        return name.replace('-', '_').substring(0, Math.min(10, name.length())) + "_"
                + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    }

    /** Samples readiness twice a second in the background. */
    static final class ReadinessWatch {
        private final ServerApi api;
        private final AtomicBoolean running = new AtomicBoolean();
        private final List<long[]> notUp = new ArrayList<>();
        private final java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        private volatile long recovered = Long.MAX_VALUE;
        private int unreachable;
        private Thread thread;

        ReadinessWatch(ServerApi api) {
            this.api = api;
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    long at = System.nanoTime();
                    String state = api.readiness();
                    if (!running.get()) {
                        return; // stop() cut this probe short: its answer says nothing about the server
                    }
                    synchronized (this) {
                        String phase = at < recovered ? "while stopped" : "after restart";
                        counts.merge(phase + " " + state, 1, Integer::sum);
                        if (!"UP".equals(state)) {
                            notUp.add(new long[]{at});
                        }
                        if ("UNREACHABLE".equals(state)) {
                            unreachable++;
                        }
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-watch");
            thread.start();
        }

        synchronized Duration firstNotUpAfter(long since) {
            return notUp.stream().mapToLong(a -> a[0]).filter(t -> t >= since).min()
                    .stream().mapToObj(t -> Duration.ofNanos(t - since)).findFirst().orElse(null);
        }

        void markRecovered(long at) {
            recovered = at;
        }

        synchronized int unreachable() {
            return unreachable;
        }

        synchronized String summary() {
            return counts.toString();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join();
        }
    }
}
