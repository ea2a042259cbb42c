package io.dvdrental.pipelines.reliability;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Change to bronze latency of change data capture (used by {@code bench/cdc-bench.sh}): single-row updates of
 * {@code rental.return_date}, one transaction each, at a paced rate from a few connections; a watcher polls bronze
 * every 100 ms for the new versions and takes, for each, the time it was first seen minus its source commit time
 * ({@code _committed_at}, the PostgreSQL server's clock on this same machine). Prints one line:
 * {@code changes=<n> rate=<achieved/s> p50_ms=<> p99_ms=<> max_ms=<> unseen=<n>}.
 *
 * <p>usage: {@code CaptureLatencyBench <source jdbc url> <clickhouse http url> <generation> <rate/s> <seconds>}
 */
public final class CaptureLatencyBench {

    private static final int WRITERS = 4;
    private static final Duration POLL = Duration.ofMillis(100);

    private CaptureLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String sourceUrl = args[0];
        Warehouse warehouse = new Warehouse(URI.create(args[1]));
        String generation = args[2];
        double rate = Double.parseDouble(args[3]);
        Duration length = Duration.ofSeconds(Long.parseLong(args[4]));
        SourceData source = new SourceData(sourceUrl, "postgres", "");
        long rentals = source.count("SELECT max(rental_id) FROM rental");
        String since = warehouse.query("SELECT toString(now64(3))").strip();

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong changes = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        long began = System.nanoTime();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.execute(() -> write(source, writer, rate / WRITERS, rentals, length, changes));
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Thread watcher = new Thread(() -> watch(warehouse, generation, since, latencies, done), "bronze-watcher");
        watcher.start();
        writers.shutdown();
        writers.awaitTermination(length.toSeconds() + 120, java.util.concurrent.TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - began) / 1e9;
        // Let the last changes arrive (at most 30 s).
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (latencies.size() < changes.get() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        done.set(true);
        watcher.join();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "changes=%d rate=%.0f p50_ms=%d p99_ms=%d max_ms=%d unseen=%d%n",
                changes.get(), changes.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), changes.get() - sorted.size());
    }

    /** One writer: its share of the rate, one row per transaction (commits not waiting for the disk). */
    private static void write(SourceData source, int writer, double rate, long rentals, Duration length,
                              AtomicLong changes) {
        try (Connection c = source.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                // The load generator's own commits need not wait for fsync; what is measured starts at the commit.
                s.execute("SET synchronous_commit = off");
            }
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE rental SET return_date = clock_timestamp() WHERE rental_id = ?")) {
                long start = System.nanoTime();
                long end = start + length.toNanos();
                long n = 0;
                while (System.nanoTime() < end) {
                    update.setLong(1, 1 + Math.floorMod(n * WRITERS + writer, rentals));
                    update.executeUpdate();
                    changes.incrementAndGet();
                    n++;
                    long wait = start + (long) (n * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("writer " + writer + ": " + e.getMessage(), e);
        }
    }

    /** Polls bronze for versions newer than the last seen position; a version's latency is seen - committed. */
    private static void watch(Warehouse warehouse, String generation, String since, List<Long> latencies,
                              AtomicBoolean done) {
        long lastLsn = 0;
        long lastChange = 0;
        while (!done.get()) {
            try {
                long polledAt = Instant.now().toEpochMilli();
                String rows = warehouse.query("SELECT _lsn, _change_lsn, toUnixTimestamp64Milli(_committed_at) "
                        + "FROM bronze.rental WHERE _run_id = 'cdc-" + generation + "' AND _op = 'u' AND _committed_at "
                        + ">= toDateTime64('" + since + "', 3) AND (_lsn, _change_lsn) > (" + lastLsn + ", "
                        + lastChange + ") ORDER BY _lsn, _change_lsn FORMAT TabSeparated");
                for (String line : rows.split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split("\t");
                    lastLsn = Long.parseLong(f[0]);
                    lastChange = Long.parseLong(f[1]);
                    latencies.add(polledAt - Long.parseLong(f[2]));
                }
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.err.println("watcher: " + e.getMessage());
            }
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
