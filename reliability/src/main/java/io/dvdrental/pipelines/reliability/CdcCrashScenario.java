package io.dvdrental.pipelines.reliability;

import io.dvdrental.pipelines.producer.live.LiveActivity;
import io.dvdrental.pipelines.producer.live.LiveStats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Change data capture under {@code kill -9}: the server runs with capture on, takes a new snapshot, then the producer's
 * live activity (rentals, returns, payments, address changes, plus deleted payments) changes the source while the
 * server is killed and started again several times. Afterwards bronze must hold every change once: no (key, LSN)
 * twice, and the latest version of every key equal to the source's row (counts and sums per table).
 */
public final class CdcCrashScenario implements Scenario {

    private static final String SLOT = "dvd_cdc_reliability";
    /** A start takes minutes on a busy 2-core machine. */
    private static final Duration START = Duration.ofMinutes(10);
    private static final Pattern GENERATION = Pattern.compile("\"generation\":\"([0-9a-z]+)\"");

    @Override
    public String name() {
        return "cdc-crash";
    }

    @Override
    public ScenarioResult run(Target target, boolean quick) throws Exception {
        double scale = quick ? 0.1 : 1;
        double rate = quick ? 40 : 150;
        Duration duration = Duration.ofSeconds(quick ? 40 : 180);
        int kills = quick ? 2 : 5;
        long seed = System.nanoTime();
        String done = String.format(Locale.ROOT, "SF=%s source; server with dvd.batch.capture=cdc, a new snapshot; "
                + "live source activity at %.0f operations/s for %d s (rentals, returns, payments, address changes, "
                + "and a payment deleted every second), kill -9 of the server %d times at random moments (seed %d), "
                + "each followed by a restart; then wait until the slot confirms the source's WAL position",
                scale, rate, duration.toSeconds(), kills, seed);
        String expected = "no change twice in bronze (key, _lsn, _change_lsn unique), and the latest version of every "
                + "key equal to the source: rows, open rentals, payment amounts, customers' addresses";
        if (target.process().isEmpty()) {
            return ScenarioResult.notRun(name(), done, expected, "the harness did not start the server, so it "
                    + "cannot kill it (run reliability/run.sh)");
        }
        ServerProcess server = target.process().get();
        SourceData source = target.source();
        String seeding = source.ensureSeeded(scale);
        server.stop();
        server.settings(Map.of("DVD_BATCH_CAPTURE", "cdc", "DVD_CDC_CAPTURENAME", "reliability",
                "DVD_CDC_SLOT", SLOT, "DVD_CDC_PUBLICATION", SLOT));
        try {
            server.start(START);
            ServerApi.Answer resnapshot = target.server().call("POST", "/api/cdc/resnapshot", target.operator(), null);
            Matcher m = GENERATION.matcher(resnapshot.body());
            if (resnapshot.status() != 202 || !m.find()) {
                return new ScenarioResult(name(), done, expected, "resnapshot refused: HTTP " + resnapshot.status()
                        + " " + resnapshot.body(), Verdict.FAIL);
            }
            String generation = m.group(1);
            Duration snapshot = awaitStreaming(target, Duration.ofMinutes(quick ? 10 : 20));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong deletes = new AtomicLong();
            LiveStats[] stats = new LiveStats[1];
            Thread live = new Thread(() -> stats[0] = changeSource(source, seed, rate, stop, deletes), "cdc-live");
            live.start();
            SplittableRandom random = new SplittableRandom(seed);
            List<String> readyAgain = new ArrayList<>();
            long started = System.nanoTime();
            for (int k = 0; k < kills; k++) {
                long at = started + duration.toNanos() * (k + 1) / (kills + 1)
                        + (long) (random.nextDouble(-0.3, 0.3) * duration.toNanos() / (kills + 1));
                Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                server.kill9();
                readyAgain.add(StreamCheck.seconds(server.start(START)));
            }
            Thread.sleep(Math.max(0, (started + duration.toNanos() - System.nanoTime()) / 1_000_000));
            stop.set(true);
            live.join();
            Duration drain = awaitCaughtUp(source, Duration.ofMinutes(10));

            List<String> wrong = new ArrayList<>();
            long doubles = 0;
            for (String[] t : new String[][]{{"rental", "rental_id"}, {"payment", "payment_id"},
                    {"customer", "customer_id"}, {"inventory", "inventory_id"}}) {
                doubles += target.warehouse().number("SELECT count() FROM (SELECT " + t[1] + ", _lsn, _change_lsn, "
                        + "count() AS n FROM bronze." + t[0] + " WHERE _run_id = 'cdc-" + generation
                        + "' GROUP BY ALL HAVING n > 1)");
            }
            if (doubles > 0) {
                wrong.add(doubles + " changes stored more than once");
            }
            compare(wrong, "rentals", source.count("SELECT count(*) FROM rental"),
                    latest(target, generation, "rental", "rental_id", "return_date", "count()"));
            compare(wrong, "open rentals", source.count("SELECT count(*) FROM rental WHERE return_date IS NULL"),
                    latest(target, generation, "rental", "rental_id", "return_date", "countIf(isNull(v))"));
            compare(wrong, "payments", source.count("SELECT count(*) FROM payment"),
                    latest(target, generation, "payment", "payment_id", "amount", "count()"));
            compare(wrong, "payment cents", source.count("SELECT coalesce(sum(amount * 100), 0)::bigint FROM payment"),
                    latest(target, generation, "payment", "payment_id", "amount", "toInt64(sum(v) * 100)"));
            compare(wrong, "customers' address ids", source.count("SELECT sum(address_id) FROM customer"),
                    latest(target, generation, "customer", "customer_id", "address_id", "sum(v)"));
            long bronzeRows = target.warehouse().number("SELECT count() FROM bronze.rental WHERE _run_id = 'cdc-"
                    + generation + "'") + target.warehouse().number("SELECT count() FROM bronze.payment WHERE "
                    + "_run_id = 'cdc-" + generation + "'");
            String measured = String.format(Locale.ROOT, "%s; snapshot caught up in %s; %s, %d payments deleted; "
                            + "%d kills, ready again in %s; caught up %s after the activity stopped; rental+payment "
                            + "versions in bronze %d; changes stored twice: %d; latest versions equal to the source: %s",
                    seeding, StreamCheck.seconds(snapshot), stats[0], deletes.get(), kills,
                    String.join(", ", readyAgain), StreamCheck.seconds(drain), bronzeRows, doubles,
                    wrong.isEmpty() ? "yes" : "NO: " + String.join("; ", wrong));
            return new ScenarioResult(name(), done, expected, measured, wrong.isEmpty() ? Verdict.PASS : Verdict.FAIL);
        } finally {
            // Back to the harness's own settings; no slot left to keep WAL.
            server.stop();
            source.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + SLOT + "' AND NOT active");
            server.settings(Map.of());
            server.start(START);
        }
    }

    /** The live activity, paced at {@code rate} operations per second, and a deleted payment every second. */
    private static LiveStats changeSource(SourceData source, long seed, double rate, AtomicBoolean stop,
                                          AtomicLong deletes) {
        LiveActivity activity = new LiveActivity(source.dataSource(), seed);
        LiveStats total = new LiveStats();
        long began = System.nanoTime();
        long performed = 0;
        long lastDelete = began;
        try {
            while (!stop.get()) {
                int step = (int) Math.max(1, rate / 10);
                total.add(activity.perform(step));
                performed += step;
                if (System.nanoTime() - lastDelete > 1_000_000_000L) {
                    source.execute("DELETE FROM payment WHERE payment_id = (SELECT max(payment_id) FROM payment)");
                    deletes.incrementAndGet();
                    lastDelete = System.nanoTime();
                }
                long wait = began + (long) (performed * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("live activity failed: " + e.getMessage(), e);
        }
        return total;
    }

    /** An aggregate over the latest version of every key of a generation that is not a delete. */
    private static long latest(Target target, String generation, String table, String key, String column,
                               String aggregate) throws Exception {
        return target.warehouse().number("SELECT " + aggregate + " FROM (SELECT " + key + ", argMax(tuple(_op, "
                + column + "), (_lsn, _change_lsn)) AS last FROM bronze." + table + " WHERE _run_id = 'cdc-"
                + generation + "' GROUP BY " + key + ") ARRAY JOIN [last.2] AS v WHERE last.1 != 'd'");
    }

    private static void compare(List<String> wrong, String what, long source, long bronze) {
        if (source != bronze) {
            wrong.add(what + ": source " + source + ", bronze " + bronze);
        }
    }

    /** Waits until the capture streams (its snapshot is in bronze) and has caught up; returns how long that took. */
    private static Duration awaitStreaming(Target target, Duration timeout) throws Exception {
        long began = System.nanoTime();
        while (System.nanoTime() - began < timeout.toNanos()) {
            ServerApi.Answer status = target.server().call("GET", "/api/cdc", target.operator(), null);
            if (status.status() == 200 && status.body().contains("\"state\":\"STREAMING\"")) {
                awaitCaughtUp(target.source(), timeout);
                return Duration.ofNanos(System.nanoTime() - began);
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("the capture was not streaming within " + timeout);
    }

    /** Waits until the slot confirms the source's current WAL position; returns how long that took. */
    static Duration awaitCaughtUp(SourceData source, Duration timeout) throws Exception {
        long target = source.count("SELECT (pg_current_wal_lsn() - '0/0')::bigint");
        long began = System.nanoTime();
        while (System.nanoTime() - began < timeout.toNanos()) {
            long confirmed = source.count("SELECT coalesce(max((confirmed_flush_lsn - '0/0')::bigint), 0) "
                    + "FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
            if (confirmed >= target) {
                return Duration.ofNanos(System.nanoTime() - began);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the slot did not confirm the source's WAL position within " + timeout);
    }
}
