package io.dvdrental.pipelines.cdc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a slot's lag in bytes into time. The source's WAL position is sampled with the time it was seen; when the
 * slot has confirmed a position, bronze held everything the source had written at the newest sample at or below it,
 * and the lag is the time since that sample (at most one sample interval more than the truth). When no sample is
 * covered, the lag is at least the age of the oldest one. Not thread-safe.
 */
final class LagClock {

    private record Sample(Instant at, long lsn) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** The source's WAL position at {@code at}. */
    void observe(Instant at, long currentLsn) {
        samples.addLast(new Sample(at, currentLsn));
    }

    /** How far behind the source a slot that confirmed {@code confirmedLsn} is at {@code now}. */
    Duration behind(long confirmedLsn, Instant now) {
        if (!samples.isEmpty() && samples.peekLast().lsn() <= confirmedLsn) {
            Sample newest = samples.peekLast();
            samples.clear();
            samples.add(newest);
            return Duration.ZERO;
        }
        Sample covered = null;
        while (!samples.isEmpty() && samples.peekFirst().lsn() <= confirmedLsn) {
            covered = samples.pollFirst();
        }
        if (covered != null) {
            samples.addFirst(covered);
        }
        return samples.isEmpty() ? Duration.ZERO : Duration.between(samples.peekFirst().at(), now);
    }
}
