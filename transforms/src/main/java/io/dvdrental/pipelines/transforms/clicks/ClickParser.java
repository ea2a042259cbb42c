package io.dvdrental.pipelines.transforms.clicks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a {@code dvd_clicks} record into a {@link ClickEvent} or a {@link Rejection} ({@link #parse}),
 * or, for the ingest, into a reusable {@link ClickFields} ({@link #read}: plain JSON straight from its bytes, the rest
 * as {@code parse} has it). JSON, then the published contract ({@value #SCHEMA}), then values no real click can have.
 * A click is read in one streaming pass with the contract's limits checked on the way ({@link #readClick}); only what
 * that pass cannot accept is parsed into a tree and judged by the schema itself, which words the reason. Thread-safe.
 */
public final class ClickParser {

    public static final String SCHEMA = "/contracts/dvd_clicks.schema.json";
    /** Clicks predate nothing in this business: anything before is a broken clock or a test value. */
    public static final Instant EARLIEST = Instant.parse("2005-01-01T00:00:00Z");

    private static final List<String> TEXT_FIELDS = List.of("event_id", "event_ts", "user_id",
            "session_id", "event_type", "page", "device", "referrer");

    private static final DateTimeFormatter EVENT_TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonSchema schema;
    private final Clock clock;
    private final Duration maxClockSkew;
    // The contract's limits, read from the schema, for the streaming pass.
    private final List<String> eventTypes;
    private final List<String> devices;
    private final List<String> referrers;
    private final int maxTextLength;
    private final int maxPosition;
    private final PlainClickReader plain;

    /** {@code maxClockSkew}: how far in the future (by {@code clock}) an event time may be before it is absurd. */
    public ClickParser(Clock clock, Duration maxClockSkew) {
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        JsonNode contract = readContract();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(contract);
        JsonNode properties = contract.get("properties");
        this.eventTypes = allowed(properties, "event_type");
        this.devices = allowed(properties, "device");
        this.referrers = allowed(properties, "referrer");
        this.maxTextLength = List.of("user_id", "session_id", "page").stream()
                .mapToInt(field -> properties.get(field).get("maxLength").intValue()).min().orElseThrow();
        this.maxPosition = properties.get("position").get("maximum").intValue();
        this.plain = new PlainClickReader(eventTypes, devices, referrers, maxTextLength, maxPosition, clock,
                maxClockSkew);
    }

    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(ClickEvent event) implements Result {
    }

    public record Invalid(Rejection rejection) implements Result {
    }

    /**
     * Reads a record into {@code into}, the holder of one thread: null when it is a valid click (now in the holder),
     * else why not, in the same words as {@link #parse}. A click in plain JSON is read straight from its bytes
     * ({@link PlainClickReader}), creating no objects; anything else is parsed as {@link #parse} does.
     */
    public Rejection read(byte[] value, ClickFields into) {
        if (value != null && plain.read(value, into)) {
            return null;
        }
        Result result = parse(value);
        if (result instanceof Valid valid) {
            into.set(valid.event());
            return null;
        }
        return ((Invalid) result).rejection();
    }

    public Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return invalid(Rejection.Reason.NOT_JSON, "empty value");
        }
        // Strict: Jackson would decode overlong forms and encoded surrogates that ClickHouse then refuses. ASCII is
        // UTF-8; otherwise the JDK's decoder replaces those (and any malformed byte) with U+FFFD, and only text
        // holding one is decoded again, strictly.
        if (!ascii(value) && new String(value, StandardCharsets.UTF_8).indexOf('\uFFFD') >= 0) {
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(value));
            } catch (java.nio.charset.CharacterCodingException e) {
                return invalid(Rejection.Reason.NOT_JSON, "not UTF-8 text");
            }
        }
        ClickEvent event = readClick(value);
        return event != null ? plausible(event) : judge(new String(value, StandardCharsets.UTF_8));
    }

    private static boolean ascii(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** ASCII without NUL: Jackson reads it as the UTF-8 it is (NUL bytes or a byte-order mark make it guess UTF-16/32). */
    private static boolean plainAscii(byte[] value) {
        for (byte b : value) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A click that keeps the contract, read in one streaming pass straight into the event: no tree, no schema walk.
     * Null for anything else, which {@link #judge} then decides and words. It accepts less than the schema does
     * (strings are measured in UTF-16 units, a whole-valued decimal is no integer here), never more.
     */
    ClickEvent readClick(byte[] utf8) {
        JsonFactory factory = json.getFactory();
        String eventId = null;
        String tsText = null;
        Instant ts = null;
        String userId = null;
        String sessionId = null;
        int filmId = 0;
        String eventType = null;
        String page = null;
        int position = 0;
        String device = null;
        String referrer = null;
        try (JsonParser in = plainAscii(utf8) ? factory.createParser(utf8)
                : factory.createParser(new String(utf8, StandardCharsets.UTF_8))) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                switch (field) {
                    case "event_id" -> eventId = uuid(text(in, value));
                    case "event_ts" -> {
                        tsText = text(in, value);
                        ts = eventTime(tsText);
                    }
                    case "user_id" -> userId = boundedText(in, value);
                    case "session_id" -> sessionId = boundedText(in, value);
                    case "film_id" -> filmId = integer(in, value, Integer.MAX_VALUE);
                    case "event_type" -> eventType = oneOf(text(in, value), eventTypes);
                    case "page" -> page = boundedText(in, value);
                    case "position" -> position = integer(in, value, maxPosition);
                    case "device" -> device = oneOf(text(in, value), devices);
                    case "referrer" -> referrer = oneOf(text(in, value), referrers);
                    default -> in.skipChildren(); // extra fields are allowed
                }
            }
            if (in.currentToken() != JsonToken.END_OBJECT || in.nextToken() != null) {
                return null;
            }
        } catch (IOException | NotPlain e) {
            return null;
        }
        if (eventId == null || ts == null || userId == null || sessionId == null || filmId == 0 || eventType == null
                || page == null || position == 0 || device == null || referrer == null) {
            return null; // a required field is missing
        }
        return new ClickEvent(eventId, ts, tsText, userId, sessionId, filmId, eventType, page, position, device,
                referrer);
    }

    /** A value the streaming pass leaves to {@link #judge}; thrown without a stack trace, as it is no error. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private static String text(JsonParser in, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            throw NotPlain.INSTANCE;
        }
        return in.getText();
    }

    /** Well-formed Unicode of 1 to the contract's most UTF-16 units (so at most as many code points). */
    private String boundedText(JsonParser in, JsonToken value) throws IOException {
        String text = text(in, value);
        if (text.isEmpty() || text.length() > maxTextLength || !wellFormedUnicode(text)) {
            throw NotPlain.INSTANCE;
        }
        return text;
    }

    /** An integer from 1 (the minimum of every integer of the contract) to {@code max}. */
    private static int integer(JsonParser in, JsonToken value, int max) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT || in.getNumberType() != JsonParser.NumberType.INT) {
            throw NotPlain.INSTANCE;
        }
        int number = in.getIntValue();
        if (number < 1 || number > max) {
            throw NotPlain.INSTANCE;
        }
        return number;
    }

    /** The allowed value itself: the rows of a batch share a handful of strings. */
    private static String oneOf(String text, List<String> allowed) {
        int at = allowed.indexOf(text);
        if (at < 0) {
            throw NotPlain.INSTANCE;
        }
        return allowed.get(at);
    }

    /** 8-4-4-4-12 hexadecimal digits, exactly. */
    private static String uuid(String text) {
        if (text.length() != 36) {
            throw NotPlain.INSTANCE;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                throw NotPlain.INSTANCE;
            }
        }
        return text;
    }

    /** yyyy-MM-dd HH:mm:ss.SSS, a date and time that exist, read digit by digit (the formatter costs more). */
    private static Instant eventTime(String text) {
        if (text.length() != 23 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != ' '
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.') {
            throw NotPlain.INSTANCE;
        }
        try {
            return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10), digits(text, 11, 13),
                    digits(text, 14, 16), digits(text, 17, 19), digits(text, 20, 23) * 1_000_000)
                    .toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw NotPlain.INSTANCE;
        }
    }

    private static int digits(String text, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw NotPlain.INSTANCE;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }

    /** The whole contract with its messages: the tree and the published schema, then the checks it cannot make. */
    Result judge(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid(Rejection.Reason.NOT_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            return invalid(Rejection.Reason.NOT_JSON, "no JSON document");
        }
        // The yes/no check is the cheap path; the messages are worked out only for a click that breaks the contract.
        if (!schema.validate(node, OutputFormat.BOOLEAN)) {
            Set<ValidationMessage> violations = schema.validate(node);
            return invalid(Rejection.Reason.CONTRACT, violations.stream().map(ValidationMessage::getMessage)
                    .sorted(Comparator.naturalOrder()).collect(Collectors.joining("; ")));
        }
        for (String field : TEXT_FIELDS) {
            if (!wellFormedUnicode(node.get(field).textValue())) {
                // JSON lets "\ud800" through; ClickHouse refuses it and would fail the whole insert batch.
                return invalid(Rejection.Reason.CONTRACT, field + " is not valid Unicode text (an unpaired surrogate)");
            }
        }
        if (node.get("event_id").textValue().length() != 36) {
            // Java's "$" in the schema's pattern also matches before a final line break; ClickHouse refuses such an
            // id, and would fail the whole insert batch.
            return invalid(Rejection.Reason.CONTRACT, "event_id is not a UUID (a line break after it)");
        }
        String tsText = node.get("event_ts").textValue();
        Instant ts;
        try {
            ts = LocalDateTime.parse(tsText, EVENT_TS).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + tsText + " is not a date");
        }
        return plausible(new ClickEvent(node.get("event_id").textValue(), ts, tsText,
                node.get("user_id").textValue(), node.get("session_id").textValue(), node.get("film_id").intValue(),
                node.get("event_type").textValue(), node.get("page").textValue(), node.get("position").intValue(),
                node.get("device").textValue(), node.get("referrer").textValue()));
    }

    /** A click of the contract, unless its time is one no real click can have. */
    Result plausible(ClickEvent event) {
        if (event.eventTs().isBefore(EARLIEST)) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + event.eventTsText() + " is before " + EARLIEST);
        }
        if (event.eventTs().isAfter(clock.instant().plus(maxClockSkew))) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + event.eventTsText() + " is in the future");
        }
        return new Valid(event);
    }

    static boolean wellFormedUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static Invalid invalid(Rejection.Reason reason, String detail) {
        return new Invalid(new Rejection(reason, detail));
    }

    private JsonNode readContract() {
        try (InputStream in = ClickParser.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("The click contract " + SCHEMA + " is not on the classpath");
            }
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> allowed(JsonNode properties, String field) {
        List<String> values = new java.util.ArrayList<>();
        properties.get(field).get("enum").forEach(value -> values.add(value.textValue()));
        return List.copyOf(values);
    }
}
