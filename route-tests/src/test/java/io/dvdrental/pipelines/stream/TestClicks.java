package io.dvdrental.pipelines.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.transforms.generate.Malformation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clicks for one test from the producer's {@link ClickGenerator}, with event times in a window of minutes of their own
 * (a random minute of 2020-2024, 10 ms apart): a test finds its rows in the raw table and in every per-minute
 * aggregate without seeing other tests' rows.
 */
public final class TestClicks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofMillis(10);

    final Instant windowStart;
    final Instant windowEnd;
    private final ClickGenerator generator;

    public TestClicks(List<Integer> films, int users, double malformedRatio) {
        SplittableRandom random = new SplittableRandom();
        this.windowStart = Instant.parse("2020-01-01T00:00:00Z").plus(random.nextLong(2_500_000), ChronoUnit.MINUTES);
        this.windowEnd = windowStart.plus(Duration.ofMinutes(10));
        AtomicLong ticks = new AtomicLong();
        InstantSource clock = () -> windowStart.plus(STEP.multipliedBy(ticks.getAndIncrement() % 60_000));
        this.generator = new ClickGenerator(new ClickSettings(random.nextLong(), users, films, malformedRatio), clock);
    }

    public Click next() {
        return generator.next();
    }

    /** The fields of a valid click. */
    static JsonNode fields(Click click) {
        try {
            return JSON.readTree(click.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The user number of a click's key ({@code "u_12"} -> 12). */
    static int user(Click click) {
        return Integer.parseInt(click.key().replaceAll("[^0-9]", ""));
    }

    /** The reason code the route must give a malformed click. */
    static String reason(Malformation malformation) {
        return switch (malformation) {
            case NOT_JSON, TRUNCATED_JSON -> "not_json";
            case MISSING_FIELD, WRONG_TYPE, UNKNOWN_EVENT_TYPE, POSITION_OUT_OF_RANGE -> "contract";
            case FAR_FUTURE_TIMESTAMP -> "absurd_value";
        };
    }

    /** SQL condition selecting this test's rows by event time (column {@code column}). */
    public String window(String column) {
        return column + " >= fromUnixTimestamp64Milli(" + windowStart.toEpochMilli() + ", 'UTC') AND " + column
                + " < fromUnixTimestamp64Milli(" + windowEnd.toEpochMilli() + ", 'UTC')";
    }
}
