package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;

import io.dvdrental.pipelines.transforms.reference.FilmReference;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ClickParserTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private final ClickParser parser = new ClickParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    static String click(String field, String json) {
        String base = "{\"event_id\":\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60\",\"event_ts\":\"2026-11-25 01:59:58.123\","
                + "\"user_id\":\"u_10\",\"session_id\":\"s-1\",\"film_id\":42,\"event_type\":\"view\",\"page\":\"browse\","
                + "\"position\":3,\"device\":\"web\",\"referrer\":\"search\"}";
        if (field == null) {
            return base;
        }
        return base.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+)",
                java.util.regex.Matcher.quoteReplacement(json == null ? "\"_gone\":0" : "\"" + field + "\":" + json));
    }

    private ClickParser.Result parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private Rejection rejection(String text) {
        ClickParser.Result result = parse(text);
        assertThat(result).isInstanceOf(ClickParser.Invalid.class);
        return ((ClickParser.Invalid) result).rejection();
    }

    @Test
    void aValidClickIsParsedWithItsUtcTime() {
        ClickParser.Result result = parse(click(null, null));
        assertThat(result).isInstanceOf(ClickParser.Valid.class);
        ClickEvent event = ((ClickParser.Valid) result).event();
        assertThat(event.eventTs()).isEqualTo(Instant.parse("2026-11-25T01:59:58.123Z"));
        assertThat(event.filmId()).isEqualTo(42);
        assertThat(event.eventTsText()).isEqualTo("2026-11-25 01:59:58.123");
        assertThat(event.userId()).isEqualTo("u_10");
    }

    @Test
    void bytesThatAreNotOneJsonDocumentAreNotJson() {
        assertThat(rejection("click u_1 film=3").reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(rejection(click(null, null).substring(0, 40)).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(rejection(click(null, null) + " {}").reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(parser.parse(new byte[0])).isInstanceOf(ClickParser.Invalid.class);
    }

    @Test
    void contractViolationsNameTheField() {
        assertThat(rejection(click("film_id", null)).describe()).startsWith("contract: ").contains("film_id");
        assertThat(rejection(click("film_id", "\"film-42\"")).describe()).contains("film_id");
        assertThat(rejection(click("event_type", "\"purchase\"")).describe()).contains("event_type");
        assertThat(rejection(click("position", "0")).describe()).contains("position");
        assertThat(rejection(click("position", "21")).describe()).contains("position");
        assertThat(rejection(click("event_id", "\"not-a-uuid\"")).describe()).contains("event_id");
        assertThat(rejection("[1,2]").reason()).isEqualTo(Rejection.Reason.CONTRACT);
    }

    @Test
    void anUnpairedSurrogateBreaksTheContractInsteadOfTheInsert() {
        Rejection lone = rejection(click("session_id", "\"s-\\ud800-1\""));
        assertThat(lone.reason()).isEqualTo(Rejection.Reason.CONTRACT);
        assertThat(lone.detail()).contains("session_id", "unpaired surrogate");
        assertThat(rejection(click("page", "\"\\udc00\"")).reason()).isEqualTo(Rejection.Reason.CONTRACT);
        assertThat(parse(click("session_id", "\"s-\\ud83c\\udfac\""))).isInstanceOf(ClickParser.Valid.class);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedBeforeParsing() {
        byte[] valid = click(null, null).getBytes(StandardCharsets.UTF_8);
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        // "s-1" with an encoded surrogate (ED A0 80) and an overlong '/' (C0 AF) in its place.
        for (String bad : new String[] {"s-\u00ed\u00a0\u0080", "s-\u00c0\u00af"}) {
            byte[] bytes = text.replace("s-1", bad).getBytes(StandardCharsets.ISO_8859_1);
            ClickParser.Result result = parser.parse(bytes);
            assertThat(result).isInstanceOf(ClickParser.Invalid.class);
            assertThat(((ClickParser.Invalid) result).rejection())
                    .isEqualTo(new Rejection(Rejection.Reason.NOT_JSON, "not UTF-8 text"));
        }
    }

    @Test
    void impossibleTimesAreAbsurd() {
        assertThat(rejection(click("event_ts", "\"2026-13-40 00:00:00.000\"")).reason())
                .isEqualTo(Rejection.Reason.ABSURD_VALUE);
        assertThat(rejection(click("event_ts", "\"2036-11-25 00:00:00.000\"")).detail()).contains("future");
        assertThat(rejection(click("event_ts", "\"1999-01-01 00:00:00.000\"")).reason())
                .isEqualTo(Rejection.Reason.ABSURD_VALUE);
        assertThat(parse(click("event_ts", "\"2026-11-25 02:04:00.000\""))).isInstanceOf(ClickParser.Valid.class);
    }

    @Test
    void anUnknownFilmIsKeptAsUnknown() {
        ClickEvent event = ((ClickParser.Valid) parse(click(null, null))).event();
        ReferenceSnapshot reference = new ReferenceSnapshot("v1", NOW, NOW,
                java.util.Map.of(1, new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86)));
        EnrichedClick enriched = EnrichedClick.of(event, reference, 2, 77);
        assertThat(enriched.unknownFilm()).isTrue();
        assertThat(enriched.film()).isEqualTo(FilmReference.unknown(42));
        assertThat(enriched.kafkaOffset()).isEqualTo(77);
    }
}
