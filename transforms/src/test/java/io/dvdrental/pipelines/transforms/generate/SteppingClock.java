package io.dvdrental.pipelines.transforms.generate;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves a fixed step each time it is read, so generated event times are reproducible. */
final class SteppingClock implements InstantSource {

    private Instant now;
    private final Duration step;

    SteppingClock(Instant start, Duration step) {
        this.now = start;
        this.step = step;
    }

    void jump(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        Instant current = now;
        now = now.plus(step);
        return current;
    }
}
