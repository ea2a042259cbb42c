package io.dvdrental.pipelines.transforms.clicks;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a {@code dvd_clicks} record into a {@link ClickEvent} or a {@link Rejection}: JSON, then the
 * published contract ({@value #SCHEMA}), then values no real click can have. Thread-safe.
 */
public final class ClickParser {

    public static final String SCHEMA = "/contracts/dvd_clicks.schema.json";
    /** Clicks predate nothing in this business: anything before is a broken clock or a test value. */
    public static final Instant EARLIEST = Instant.parse("2005-01-01T00:00:00Z");

    private static final java.util.List<String> TEXT_FIELDS = java.util.List.of("event_id", "event_ts", "user_id",
            "session_id", "event_type", "page", "device", "referrer");

    private static final DateTimeFormatter EVENT_TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonSchema schema;
    private final Clock clock;
    private final Duration maxClockSkew;

    /** {@code maxClockSkew}: how far in the future (by {@code clock}) an event time may be before it is absurd. */
    public ClickParser(Clock clock, Duration maxClockSkew) {
        this.clock = clock;
        this.maxClockSkew = maxClockSkew;
        this.schema = loadSchema();
    }

    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(ClickEvent event) implements Result {
    }

    public record Invalid(Rejection rejection) implements Result {
    }

    public Result parse(byte[] value) {
        if (value == null || value.length == 0) {
            return invalid(Rejection.Reason.NOT_JSON, "empty value");
        }
        String text;
        try {
            // Strict: Jackson would decode overlong forms and encoded surrogates that ClickHouse then refuses.
            text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(value)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return invalid(Rejection.Reason.NOT_JSON, "not UTF-8 text");
        }
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
        String tsText = node.get("event_ts").textValue();
        Instant ts;
        try {
            ts = LocalDateTime.parse(tsText, EVENT_TS).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + tsText + " is not a date");
        }
        if (ts.isBefore(EARLIEST)) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + tsText + " is before " + EARLIEST);
        }
        if (ts.isAfter(clock.instant().plus(maxClockSkew))) {
            return invalid(Rejection.Reason.ABSURD_VALUE, "event_ts " + tsText + " is in the future");
        }
        return new Valid(new ClickEvent(node.get("event_id").textValue(), ts, tsText,
                node.get("user_id").textValue(), node.get("session_id").textValue(), node.get("film_id").intValue(),
                node.get("event_type").textValue(), node.get("page").textValue(), node.get("position").intValue(),
                node.get("device").textValue(), node.get("referrer").textValue()));
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

    private static JsonSchema loadSchema() {
        try (InputStream in = ClickParser.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("The click contract " + SCHEMA + " is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
