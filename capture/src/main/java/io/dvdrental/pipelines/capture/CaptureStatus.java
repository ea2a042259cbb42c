package io.dvdrental.pipelines.capture;

import java.time.Clock;
import java.time.Instant;

/** What a capture is doing now, for operators (JMX, {@code /api/pipelines}) and health. Thread-safe. */
public final class CaptureStatus {

    public enum State {
        /** Not started, or stopped with its route. */
        STOPPED,
        STARTING,
        /** Reading the tables as they are (the initial snapshot). */
        SNAPSHOT,
        /** Reading changes from the replication slot. */
        STREAMING,
        /** The engine failed; it starts again after a back-off from its last stored offsets. */
        BACKING_OFF,
        /**
         * The slot cannot serve the stored position (dropped, or its WAL was removed): only a resnapshot brings the
         * capture back.
         */
        NEEDS_RESNAPSHOT
    }

    /** What the status was at one moment. */
    public record View(State state, Instant since, String error, Instant errorAt, long restarts, long changes,
                       Instant lastChangeCommittedAt, Instant lastBatchAt) {
    }

    private final Clock clock;
    private State state = State.STOPPED;
    private Instant since;
    private String error;
    private Instant errorAt;
    private long restarts;
    private long changes;
    private Instant lastChangeCommittedAt;
    private Instant lastBatchAt;

    public CaptureStatus(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    public synchronized View view() {
        return new View(state, since, error, errorAt, restarts, changes, lastChangeCommittedAt, lastBatchAt);
    }

    public synchronized State state() {
        return state;
    }

    synchronized void moveTo(State next) {
        if (next != state) {
            state = next;
            since = clock.instant();
        }
    }

    synchronized void failed(State next, String why) {
        moveTo(next);
        error = why;
        errorAt = clock.instant();
    }

    synchronized void restarted() {
        restarts++;
    }

    synchronized void delivered(int count, Instant lastCommittedAt) {
        changes += count;
        lastBatchAt = clock.instant();
        if (lastCommittedAt != null) {
            lastChangeCommittedAt = lastCommittedAt;
        }
    }
}
