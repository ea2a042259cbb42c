package io.dvdrental.pipelines.transforms.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Endless stream of website click events for films. Film interest is Zipf-skewed so that "trending" has clear
 * winners; a user's session id changes after 10 minutes without a click (by event time). Everything but the event
 * time comes from the seed; with a fixed-step {@link InstantSource} the stream is fully reproducible.
 * Not thread-safe: one generator per producing thread.
 */
public final class ClickGenerator {

    public static final DateTimeFormatter EVENT_TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    public static final Duration SESSION_TIMEOUT = Duration.ofMinutes(10);
    public static final int MAX_POSITION = 20;

    private static final String[] EVENT_TYPES = {"view", "detail_view", "watch_trailer", "add_to_watchlist"};
    private static final double[] EVENT_TYPE_WEIGHTS = {0.35, 0.30, 0.20, 0.15};
    private static final String[] DEVICES = {"web", "mobile", "tablet"};
    private static final String[] REFERRERS = {"homepage", "search", "recommendation"};
    private static final Malformation[] MALFORMATIONS = Malformation.values();

    private final ObjectMapper json = new ObjectMapper();
    private final ClickSettings settings;
    private final InstantSource clock;
    private final SplittableRandom random;
    private final WeightedSampler films;
    private final WeightedSampler eventTypes = new WeightedSampler(EVENT_TYPE_WEIGHTS);
    private final Map<Integer, Session> sessions = new HashMap<>();

    private record Session(String id, Instant lastClick) {
    }

    public ClickGenerator(ClickSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
        this.random = new SplittableRandom(settings.seed());
        this.films = new WeightedSampler(
                WeightedSampler.zipfWeights(settings.filmIds().size(), 1.0, 5.0, random.split()));
    }

    /** The next event: a valid one, or with probability {@code malformedRatio} a deliberately broken one. */
    public Click next() {
        Instant now = clock.instant();
        int user = 1 + random.nextInt(settings.users());
        String userId = "u_" + user;
        ObjectNode event = json.createObjectNode();
        event.put("event_id", uuid().toString());
        event.put("event_ts", EVENT_TS.format(now));
        event.put("user_id", userId);
        event.put("session_id", session(user, now));
        event.put("film_id", settings.filmIds().get(films.sample(random)));
        String type = EVENT_TYPES[eventTypes.sample(random)];
        event.put("event_type", type);
        event.put("page", type.equals("view") ? "browse" : "film_detail");
        event.put("position", 1 + random.nextInt(MAX_POSITION));
        event.put("device", DEVICES[random.nextInt(DEVICES.length)]);
        event.put("referrer", REFERRERS[random.nextInt(REFERRERS.length)]);
        String key = '"' + userId + '"';
        if (random.nextDouble() < settings.malformedRatio()) {
            Malformation malformation = MALFORMATIONS[random.nextInt(MALFORMATIONS.length)];
            return new Click(key, bytes(malform(event, malformation, now)), malformation);
        }
        return new Click(key, bytes(write(event)), null);
    }

    private String session(int user, Instant now) {
        Session session = sessions.get(user);
        if (session == null || Duration.between(session.lastClick(), now).compareTo(SESSION_TIMEOUT) > 0) {
            session = new Session(uuid().toString(), now);
        }
        sessions.put(user, new Session(session.id(), now));
        return session.id();
    }

    private String malform(ObjectNode event, Malformation malformation, Instant now) {
        switch (malformation) {
            case NOT_JSON -> {
                return "click " + event.get("user_id").asText() + " film=" + event.get("film_id").asInt();
            }
            case TRUNCATED_JSON -> {
                String whole = write(event);
                return whole.substring(0, 1 + random.nextInt(whole.length() - 1));
            }
            case MISSING_FIELD -> event.remove(
                    new String[]{"event_id", "event_ts", "user_id", "film_id", "event_type"}[random.nextInt(5)]);
            case WRONG_TYPE -> event.put("film_id", "film-" + event.get("film_id").asInt());
            case UNKNOWN_EVENT_TYPE -> event.put("event_type", "purchase");
            case POSITION_OUT_OF_RANGE -> event.put("position", random.nextBoolean() ? 0 : MAX_POSITION + 1
                    + random.nextInt(100));
            case FAR_FUTURE_TIMESTAMP -> event.put("event_ts", EVENT_TS.format(now.plus(Duration.ofDays(3650))));
        }
        return write(event);
    }

    /** A random (version 4) UUID from the seeded stream, so ids repeat with the seed. */
    private UUID uuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private String write(ObjectNode event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
