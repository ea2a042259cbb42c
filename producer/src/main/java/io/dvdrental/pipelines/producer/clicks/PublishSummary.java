package io.dvdrental.pipelines.producer.clicks;

import java.time.Duration;

/** What a publish run sent: all events, of which malformed, and how fast. */
public record PublishSummary(long sent, long malformed, Duration elapsed) {

    public double eventsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? sent / seconds : 0;
    }

    @Override
    public String toString() {
        return String.format("sent=%d malformed=%d elapsed=%.1fs rate=%.0f events/s",
                sent, malformed, elapsed.toNanos() / 1e9, eventsPerSecond());
    }
}
