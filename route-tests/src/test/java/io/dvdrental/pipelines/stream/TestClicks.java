package io.dvdrental.pipelines.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Click events for one test: event times fall in a window of minutes of its own (a random minute of 2020-2024), so
 * that a test finds its rows in the raw table and in every per-minute aggregate without seeing other tests' rows.
 */
final class TestClicks {

    static final String[] EVENT_TYPES = {"view", "detail_view", "watch_trailer", "add_to_watchlist"};
    static final String[] DEVICES = {"web", "mobile", "tablet"};
    static final String[] REFERRERS = {"homepage", "search", "recommendation"};
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** The kinds of bad records a test sends, with the reason code the route must give them. */
    enum Bad {
        NOT_JSON("not_json"), TRUNCATED_JSON("not_json"), BINARY("not_json"), MISSING_FIELD("contract"),
        WRONG_TYPE("contract"), UNKNOWN_EVENT_TYPE("contract"), POSITION_OUT_OF_RANGE("contract"),
        FAR_FUTURE_TIMESTAMP("absurd_value"), IMPOSSIBLE_DATE("absurd_value");

        final String reason;

        Bad(String reason) {
            this.reason = reason;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    final Instant windowStart;
    final Instant windowEnd;
    private long sequence;

    TestClicks() {
        this.random = new SplittableRandom();
        this.windowStart = Instant.parse("2020-01-01T00:00:00Z").plus(random.nextLong(2_500_000), ChronoUnit.MINUTES);
        this.windowEnd = windowStart.plus(Duration.ofMinutes(5));
    }

    /** A valid click of user {@code u_<user>} on a film, at the next millisecond of the window. */
    ObjectNode click(int filmId, int user, String session) {
        String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
        ObjectNode event = json.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_ts", TS.format(windowStart.plusMillis(37 * sequence++ % 290_000)));
        event.put("user_id", "u_" + user);
        event.put("session_id", session);
        event.put("film_id", filmId);
        event.put("event_type", type);
        event.put("page", type.equals("view") ? "browse" : "film_detail");
        event.put("position", 1 + random.nextInt(20));
        event.put("device", DEVICES[random.nextInt(DEVICES.length)]);
        event.put("referrer", REFERRERS[random.nextInt(REFERRERS.length)]);
        return event;
    }

    byte[] bytes(ObjectNode event) {
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] bad(Bad kind, int filmId, int user) {
        ObjectNode event = click(filmId, user, "bad");
        switch (kind) {
            case NOT_JSON -> {
                return ("click u_" + user + " film=" + filmId).getBytes(StandardCharsets.UTF_8);
            }
            case TRUNCATED_JSON -> {
                return event.toString().substring(0, 30).getBytes(StandardCharsets.UTF_8);
            }
            case BINARY -> {
                return new byte[]{(byte) 0xAC, (byte) 0xED, 0, 5, (byte) 0xFF};
            }
            case MISSING_FIELD -> event.remove("event_type");
            case WRONG_TYPE -> event.put("film_id", "film-" + filmId);
            case UNKNOWN_EVENT_TYPE -> event.put("event_type", "purchase");
            case POSITION_OUT_OF_RANGE -> event.put("position", 21);
            case FAR_FUTURE_TIMESTAMP -> event.put("event_ts", TS.format(Instant.now().plus(Duration.ofDays(3650))));
            case IMPOSSIBLE_DATE -> event.put("event_ts", "2023-02-30 10:00:00.000");
        }
        return bytes(event);
    }

    /** SQL condition selecting this test's rows by event time (column {@code column}). */
    String window(String column) {
        return column + " >= toDateTime64('" + TS.format(windowStart) + "', 3, 'UTC') AND " + column
                + " < toDateTime64('" + TS.format(windowEnd) + "', 3, 'UTC')";
    }
}
