package io.dvdrental.pipelines.producer.hostile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic corpus of hostile click events: the same seed and reference time give the same bytes. Every
 * category of {@link HostileCategory} is present in any corpus of at least {@link #MIN_SIZE_FOR_ALL_CATEGORIES}
 * events; huge events are rare (one in {@value #HUGE_EVERY}) so that a corpus of 10,000 stays around 10 MB.
 * Each event breaks the {@code dvd_clicks} contract (transforms/.../contracts/dvd_clicks.schema.json) or the
 * plausibility rules for event time in exactly one way; free-text fields that the contract allows (user_id,
 * session_id, page) are never the only defect, so a correct consumer must reject every event of the corpus.
 */
public final class HostileCorpus {

    /** Event ids of hostile events start with this, so a query can count any that slipped through. */
    public static final String EVENT_ID_PREFIX = "badc0de5";
    public static final int HUGE_EVERY = 500;
    public static final int MIN_SIZE_FOR_ALL_CATEGORIES = HUGE_EVERY;

    private static final HostileCategory[] SMALL = java.util.Arrays.stream(HostileCategory.values())
            .filter(c -> c != HostileCategory.HUGE).toArray(HostileCategory[]::new);
    private static final String[] REQUIRED = {"event_id", "event_ts", "user_id", "session_id", "film_id",
            "event_type", "page", "position", "device", "referrer"};
    private static final String[] SQL = {
            "'; DROP TABLE stream.dvd_clicks; --",
            "view' OR '1'='1",
            "1; TRUNCATE TABLE gold.fact_rental",
            "\") ; DELETE FROM stream.dvd_clicks WHERE 1=1 --",
            "view UNION SELECT name FROM system.tables",
            "${jndi:ldap://127.0.0.1/x}"};

    private final ObjectMapper json = new ObjectMapper();
    private final SplittableRandom random;
    private final Instant now;
    private final long seed;

    private HostileCorpus(long seed, Instant now) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.now = now;
    }

    /** {@code count} hostile events from {@code seed}; timestamps are relative to {@code now}. */
    public static List<HostileEvent> generate(long seed, int count, Instant now) {
        HostileCorpus corpus = new HostileCorpus(seed, now);
        List<HostileEvent> events = new ArrayList<>(count);
        for (int seq = 0; seq < count; seq++) {
            events.add(corpus.event(seq));
        }
        return events;
    }

    private HostileEvent event(int seq) {
        HostileCategory category = seq % HUGE_EVERY == HUGE_EVERY - 1 ? HostileCategory.HUGE
                : SMALL[seq % SMALL.length];
        String eventId = eventId(seq);
        ObjectNode event = validEvent(eventId);
        String key = "\"hostile_" + Long.toHexString(seed) + "_" + seq + '"';
        Broken broken = switch (category) {
            case NOT_JSON -> notJson(seq, event);
            case TRUNCATED -> truncated(event);
            case HUGE -> huge(event);
            case WRONG_TYPE -> wrongType(event);
            case NULLS -> nulls(event);
            case UNKNOWN_ENUM -> unknownEnum(event);
            case FAR_FUTURE_TIMESTAMP -> timestamp(event, "far future", farFuture());
            case FAR_PAST_TIMESTAMP -> timestamp(event, "far past", farPast());
            case IMPOSSIBLE_TIMESTAMP -> timestamp(event, "impossible date", impossibleDate());
            case NON_UTF8 -> nonUtf8(event);
            case SQL_LOOKING -> sqlLooking(event);
        };
        return new HostileEvent(seq, category, broken.variant(), key, broken.value(), eventId);
    }

    private record Broken(String variant, byte[] value) {
    }

    private ObjectNode validEvent(String eventId) {
        ObjectNode event = json.createObjectNode();
        event.put("event_id", eventId);
        event.put("event_ts", ClickGenerator.EVENT_TS.format(now));
        event.put("user_id", "u_" + (1 + random.nextInt(1000)));
        event.put("session_id", uuid());
        event.put("film_id", 1 + random.nextInt(1000));
        event.put("event_type", "view");
        event.put("page", "browse");
        event.put("position", 1 + random.nextInt(20));
        event.put("device", "web");
        event.put("referrer", "homepage");
        return event;
    }

    private Broken notJson(int seq, ObjectNode event) {
        return switch (random.nextInt(6)) {
            case 0 -> text("plain text", "click " + event.get("user_id").asText() + " film=" + seq);
            case 1 -> text("xml", "<click><id>" + seq + "</id><film>" + event.get("film_id") + "</film></click>");
            case 2 -> text("csv", seq + "," + event.get("event_id").asText() + ",view,web");
            case 3 -> text("empty value", "");
            case 4 -> text("single-quoted keys", write(event).replace('"', '\''));
            default -> text("json followed by garbage", write(event) + "}}trailing " + seq);
        };
    }

    private Broken truncated(ObjectNode event) {
        String whole = write(event);
        // Any strict prefix of a JSON object is incomplete: its closing brace is missing.
        int cut = 1 + random.nextInt(whole.length() - 1);
        return text("cut at " + cut + " of " + whole.length() + " chars", whole.substring(0, cut));
    }

    private Broken huge(ObjectNode event) {
        int size = 100_000 + random.nextInt(400_000);
        String field = new String[]{"user_id", "session_id", "page", "event_type"}[random.nextInt(4)];
        event.put(field, "x".repeat(size));
        return text(field + " of " + size + " chars", write(event));
    }

    private Broken wrongType(ObjectNode event) {
        switch (random.nextInt(9)) {
            case 0 -> event.put("film_id", "film-" + event.get("film_id").asInt());
            case 1 -> event.put("film_id", event.get("film_id").asInt() + 0.5);
            case 2 -> event.put("film_id", true);
            case 3 -> event.putObject("film_id").put("id", 1);
            case 4 -> event.put("position", String.valueOf(event.get("position").asInt()));
            case 5 -> event.put("event_ts", now.toEpochMilli());
            case 6 -> event.put("user_id", 42);
            case 7 -> {
                return text("top-level array", "[" + write(event) + "]");
            }
            default -> {
                return text("top-level string", json(write(event)));
            }
        }
        return text("wrong type", write(event));
    }

    private Broken nulls(ObjectNode event) {
        String field = REQUIRED[random.nextInt(REQUIRED.length)];
        return switch (random.nextInt(4)) {
            case 0 -> {
                event.putNull(field);
                yield text(field + " null", write(event));
            }
            case 1 -> {
                event.remove(field);
                yield text(field + " missing", write(event));
            }
            case 2 -> text("json null", "null");
            default -> new Broken("tombstone (null record value)", null);
        };
    }

    private Broken unknownEnum(ObjectNode event) {
        String field = new String[]{"event_type", "device", "referrer"}[random.nextInt(3)];
        String value = switch (field) {
            case "event_type" -> new String[]{"purchase", "VIEW", "view ", "", "detail-view"}[random.nextInt(5)];
            case "device" -> new String[]{"smart_fridge", "WEB", "desktop", ""}[random.nextInt(4)];
            default -> new String[]{"email", "Search", "ads", ""}[random.nextInt(4)];
        };
        event.put(field, value);
        return text(field + "=" + value, write(event));
    }

    private Broken timestamp(ObjectNode event, String variant, String value) {
        event.put("event_ts", value);
        return text(variant + " " + value, write(event));
    }

    private String farFuture() {
        return switch (random.nextInt(3)) {
            case 0 -> "9999-12-31 23:59:59.999";
            case 1 -> "2299-12-31 23:59:59.999";
            default -> ClickGenerator.EVENT_TS.format(now.plus(Duration.ofDays(365 + random.nextInt(36500))));
        };
    }

    private String farPast() {
        return switch (random.nextInt(4)) {
            case 0 -> "1970-01-01 00:00:00.000";
            case 1 -> "0001-01-01 00:00:00.000";
            case 2 -> "1899-12-31 23:59:59.999";
            // Before the business's first day (the contract's earliest click, 2005-01-01): years-old clicks after
            // it are a replay, which the contract accepts.
            default -> ClickGenerator.EVENT_TS.format(LocalDateTime.of(2004, 12, 31, 23, 59, 59)
                    .minusDays(random.nextInt(36500)));
        };
    }

    private String impossibleDate() {
        return new String[]{"2025-02-30 12:00:00.000", "2025-13-01 00:00:00.000", "2025-06-15 25:61:61.000",
                "2025-00-00 00:00:00.000"}[random.nextInt(4)];
    }

    private Broken nonUtf8(ObjectNode event) {
        String field = new String[]{"user_id", "session_id", "page"}[random.nextInt(3)];
        String[][] sequences = {
                {"invalid continuation", "c328"}, {"0xff byte", "ff"}, {"overlong slash", "c0af"},
                {"encoded surrogate", "eda080"}, {"latin-1 e-acute", "e9"}, {"truncated 3-byte", "e282"}};
        String[] bad = sequences[random.nextInt(sequences.length)];
        String marker = "@@BAD@@";
        event.put(field, "caf" + marker);
        String text = write(event);
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(HexFormat.of().parseHex(bad[1]));
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return new Broken(field + " with " + bad[0], out.toByteArray());
    }

    private Broken sqlLooking(ObjectNode event) {
        // Only fields whose contract rejects the text: an enum, a pattern or a number.
        String field = new String[]{"event_type", "device", "referrer", "event_id", "event_ts", "film_id"}
                [random.nextInt(6)];
        String sql = SQL[random.nextInt(SQL.length)];
        String value = switch (field) {
            case "event_id" -> event.get("event_id").asText() + sql;
            case "event_ts" -> event.get("event_ts").asText() + sql;
            case "film_id" -> event.get("film_id").asInt() + " OR 1=1 " + sql;
            default -> sql;
        };
        event.put(field, value);
        return text(field + " sql", write(event));
    }

    private String eventId(int seq) {
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        String rest = String.format(Locale.ROOT, "%016x", low);
        return EVENT_ID_PREFIX + "-" + String.format(Locale.ROOT, "%04x", seq & 0xFFFF) + "-4"
                + String.format(Locale.ROOT, "%03x", (seq >>> 16) & 0xFFF) + "-" + rest.substring(0, 4) + "-"
                + rest.substring(4);
    }

    private String uuid() {
        return new java.util.UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    private String write(ObjectNode event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String json(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Broken text(String variant, String value) {
        return new Broken(variant, value.getBytes(StandardCharsets.UTF_8));
    }
}
