package io.dvdrental.pipelines.producer.live;

import java.util.EnumMap;
import java.util.Map;

/** Counts of changes made, and of operations skipped because nothing fitted (no open rental, nothing unpaid). */
public final class LiveStats {

    private final Map<LiveOperation, Long> done = new EnumMap<>(LiveOperation.class);
    private long skipped;

    void recordDone(LiveOperation operation) {
        done.merge(operation, 1L, Long::sum);
    }

    void recordSkipped() {
        skipped++;
    }

    public long done(LiveOperation operation) {
        return done.getOrDefault(operation, 0L);
    }

    public long total() {
        return done.values().stream().mapToLong(Long::longValue).sum();
    }

    public long skipped() {
        return skipped;
    }

    public void add(LiveStats other) {
        other.done.forEach((k, v) -> done.merge(k, v, Long::sum));
        skipped += other.skipped;
    }

    @Override
    public String toString() {
        return "rentals=" + done(LiveOperation.RENTAL) + " returns=" + done(LiveOperation.RETURN)
                + " payments=" + done(LiveOperation.PAYMENT) + " address_changes=" + done(LiveOperation.ADDRESS_CHANGE)
                + " skipped=" + skipped;
    }
}
