package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Counts a tag's clicks in ClickHouse and waits for the stream to catch up. */
public final class StreamCheck {

    /** Rows stored and distinct event ids among them. */
    public record Landed(long rows, long distinct) {

        public long duplicates() {
            return rows - distinct;
        }

        public long lostOf(long produced) {
            return Math.max(0, produced - distinct);
        }
    }

    /** What is wrong after a run: clicks missing or doubled, and every view that disagrees with the raw table. */
    public static List<String> wrong(Landed landed, long produced, MaterializedViews.Agreement views) {
        List<String> wrong = new java.util.ArrayList<>();
        if (landed.lostOf(produced) > 0) {
            wrong.add("MISSING " + landed.lostOf(produced));
        }
        if (landed.duplicates() > 0) {
            wrong.add("DUPLICATES " + landed.duplicates());
        }
        wrong.addAll(views.disagreements());
        return wrong;
    }

    /** How the wait for the stream ended. */
    public record Drain(Landed landed, Duration took, boolean complete) {
    }

    private final Warehouse warehouse;
    private final String table;

    public StreamCheck(Warehouse warehouse, String table) {
        this.warehouse = warehouse;
        this.table = table;
    }

    public Landed landed(TaggedClicks clicks) throws IOException {
        List<Long> n = warehouse.numbers("SELECT count(), uniqExact(event_id) FROM " + table + " WHERE "
                + clicks.condition());
        return new Landed(n.get(0), n.get(1));
    }

    /**
     * Polls until {@code expected} distinct clicks of the tag are stored, or nothing new arrived for {@code stall},
     * or {@code timeout} passed. ClickHouse being unreachable for a moment counts as no progress.
     */
    public Drain awaitDrained(TaggedClicks clicks, long expected, Duration stall, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastProgress = start;
        Landed last = new Landed(-1, -1);
        while (true) {
            long now = System.nanoTime();
            try {
                Landed landed = landed(clicks);
                if (landed.distinct() != last.distinct() || landed.rows() != last.rows()) {
                    lastProgress = now;
                    last = landed;
                }
            } catch (IOException e) {
                // not reachable yet: keep waiting within the bounds
            }
            boolean complete = last.distinct() >= expected;
            if (complete || now - lastProgress > stall.toNanos() || now - start > timeout.toNanos()) {
                // A last look after the target is reached: duplicates could still be on their way.
                return new Drain(last, Duration.ofNanos(System.nanoTime() - start), complete);
            }
            Thread.sleep(250);
        }
    }

    public static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
