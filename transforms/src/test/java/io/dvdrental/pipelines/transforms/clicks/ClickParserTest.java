package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
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
        // A replacement character sent as such (EF BF BD) is text like any other.
        assertThat(parser.parse(click("session_id", "\"s-\uFFFD\"").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ClickParser.Valid.class);
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
    void anEventIdWithALineBreakAfterItBreaksTheContract() {
        // Java's "$" also matches before a final line break: the schema's pattern alone lets this id through, and
        // ClickHouse cannot store it as a UUID.
        assertThat(rejection(click("event_id", "\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60\\n\"")).describe())
                .startsWith("contract: ").contains("event_id");
    }

    /** Generated clicks, half of them broken one way or another, and each field's edge cases. */
    private static List<String> corpus() {
        List<String> texts = new ArrayList<>();
        ClickGenerator generator = new ClickGenerator(new ClickSettings(7, 500, ClickSettings.defaultFilmIds(), 0.5),
                InstantSource.fixed(NOW.minusSeconds(30)));
        for (int i = 0; i < 5_000; i++) {
            Click generated = generator.next();
            texts.add(new String(generated.value(), StandardCharsets.UTF_8));
        }
        String[][] replacements = {
                {"event_id", "\"3F1C2A9E-8B4D-4C1E-9F2A-1B2C3D4E5F60\"", "\"3f1c2a9e8b4d4c1e9f2a1b2c3d4e5f60\"",
                        "\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f6g\"", "\"\"", "42", "null", "[]"},
                {"event_ts", "\"2026-11-25 01:59:58\"", "\"2026-02-30 00:00:00.000\"", "\"2026-11-25T01:59:58.123\"",
                        "\"2026-11-25 24:00:00.000\"", "\"2026-11-25 01:59:58.123\\n\"", "1764035998123", "{}"},
                {"user_id", "\"\"", "\"" + "u".repeat(64) + "\"", "\"" + "u".repeat(65) + "\"",
                        "\"" + "\\ud83c\\udfac".repeat(33) + "\"", "\"\\udfac\"", "10", "true"},
                {"session_id", "\"s\"", "\"\\u0000\"", "\"" + "s".repeat(65) + "\"", "null"},
                {"film_id", "1", "0", "-1", "2147483647", "2147483648", "42.0", "4.2e1", "\"42\"", "null"},
                {"event_type", "\"add_to_watchlist\"", "\"View\"", "\"view \"", "1"},
                {"page", "\"film_detail\"", "\"\"", "[\"browse\"]"},
                {"position", "1", "20", "21", "0", "3.0", "3.5", "\"3\"", "99999999999"},
                {"device", "\"tablet\"", "\"tv\"", "null"},
                {"referrer", "\"recommendation\"", "\"\"", "{\"a\":1}"},
        };
        for (String[] field : replacements) {
            for (int i = 1; i < field.length; i++) {
                texts.add(click(field[0], field[i]));
            }
            texts.add(click(field[0], null));
        }
        String valid = click(null, null);
        texts.addAll(List.of(valid, valid.replace("}", ",\"extra\":{\"nested\":[1,{\"event_id\":0}]}}"),
                valid.replace("{", "{\"film_id\":\"x\","), valid.replace("}", ",\"film_id\":\"x\"}"),
                valid + " ", valid + " {}", valid + "]", "null", "[1,2]", "\"click\"", "{}", " " + valid,
                "\uFEFF" + valid, valid.replaceAll("(.)", "\u0000$1"), valid.replace("u_10", "u_\u00e9\u4e2d")));
        return texts;
    }

    @Test
    void theStreamingPassAcceptsNothingTheSchemaRefusesAndReadsTheSameClick() {
        List<String> texts = corpus();
        int read = 0;
        for (String text : texts) {
            ClickEvent streamed = parser.readClick(text.getBytes(StandardCharsets.UTF_8));
            if (streamed != null) {
                read++;
                assertThat(parser.judge(text)).as(text).isEqualTo(parser.plausible(streamed));
            }
        }
        assertThat(read).as("clicks the streaming pass read").isGreaterThan(2_500);
        // The generator's valid clicks all take the streaming pass.
        ClickGenerator clean = new ClickGenerator(new ClickSettings(8, 500, ClickSettings.defaultFilmIds(), 0),
                InstantSource.fixed(NOW.minusSeconds(30)));
        for (int i = 0; i < 1_000; i++) {
            assertThat(parser.readClick(clean.next().value())).isNotNull();
        }
    }

    @Test
    void readingStraightFromTheBytesGivesTheParsersVerdictAndValues() {
        List<byte[]> records = new ArrayList<>();
        corpus().forEach(text -> records.add(text.getBytes(StandardCharsets.UTF_8)));
        String valid = click(null, null);
        for (String text : List.of(valid.replace(",", ",\n\t ").replace(":", " : ").replace("{", "\r\n{ "),
                valid.replace("{\"event_id\":\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60\",", "{").replace("}",
                        ",\"event_id\":\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60\"}"),
                valid.replace("\"event_id\"", "\"event\\u005fid\""), valid.replace("\"view\"", "\"vi\\u0065w\""),
                valid.replace("}", ",\"device\":\"web\"}"), valid.replace("}", ",}"), valid.replace(":42", ":042"),
                valid.replace(":42", ":-42"), valid.replace(":42", ": 42 "), valid.replace("u_10", "u\u0001"),
                valid.replace("u_10", "u\u007f"), valid.replace("u_10", "\uD83C\uDFAC".repeat(32)),
                valid.replace("u_10", "\uD83C\uDFAC".repeat(33)), valid.replace("u_10", "\u4e2d".repeat(64)),
                valid.replace("u_10", "\u4e2d".repeat(65)), valid.replace("u_10", "\uFFFD\u0800\u07FF\u0080"),
                click("event_ts", "\"2024-02-29 12:00:00.000\""), click("event_ts", "\"2025-02-29 12:00:00.000\""),
                click("event_ts", "\"2000-02-29 12:00:00.000\""), click("event_ts", "\"2026-04-31 12:00:00.000\""),
                click("event_ts", "\"2005-01-01 00:00:00.000\""), click("event_ts", "\"2004-12-31 23:59:59.999\""),
                click("event_ts", "\"2026-11-25 02:05:00.000\""), click("event_ts", "\"2026-11-25 02:05:00.001\""),
                click("event_ts", "\"2026-12-31 23:59:60.000\""), click("event_ts", "\"2026-11-25 01:6 :00.000\""),
                click("event_id", "\"3F1C2A9E-8B4D-4C1E-9F2A-1B2C3D4E5F60\""),
                click("event_id", "\"ffffffff-ffff-ffff-ffff-ffffffffffff\""), valid.substring(0, valid.length() - 1),
                valid.replace("\"browse\"", "\"brow"))) {
            records.add(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] plain = valid.getBytes(StandardCharsets.UTF_8);
        int at = valid.indexOf("s-1");
        // Not UTF-8: an encoded surrogate, an overlong '/', a lone continuation byte, a cut sequence, beyond U+10FFFF.
        for (byte[] bad : new byte[][] {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0x80}, {(byte) 0xE4, (byte) 0xB8}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}) {
            byte[] record = new byte[plain.length - 3 + bad.length];
            System.arraycopy(plain, 0, record, 0, at);
            System.arraycopy(bad, 0, record, at, bad.length);
            System.arraycopy(plain, at + 3, record, at + bad.length, plain.length - at - 3);
            records.add(record);
        }
        records.add(new byte[0]);

        ClickFields fields = new ClickFields();
        int straight = 0;
        for (byte[] record : records) {
            String text = new String(record, StandardCharsets.UTF_8);
            Rejection rejection = parser.read(record, fields);
            ClickParser.Result verdict = parser.parse(record);
            if (verdict instanceof ClickParser.Invalid invalid) {
                assertThat(rejection).as(text).isEqualTo(invalid.rejection());
                continue;
            }
            assertThat(rejection).as(text).isNull();
            ClickEvent event = ((ClickParser.Valid) verdict).event();
            assertThat(new java.util.UUID(fields.eventIdHigh(), fields.eventIdLow()))
                    .as(text).isEqualTo(java.util.UUID.fromString(event.eventId()));
            assertThat(fields.eventTsMillis()).as(text).isEqualTo(event.eventTs().toEpochMilli());
            assertThat(fields.filmId()).as(text).isEqualTo(event.filmId());
            assertThat(fields.position()).as(text).isEqualTo(event.position());
            assertThat(List.of(text(fields, ClickFields.Text.USER_ID), text(fields, ClickFields.Text.SESSION_ID),
                    text(fields, ClickFields.Text.EVENT_TYPE), text(fields, ClickFields.Text.PAGE),
                    text(fields, ClickFields.Text.DEVICE), text(fields, ClickFields.Text.REFERRER))).as(text)
                    .containsExactly(event.userId(), event.sessionId(), event.eventType(), event.page(),
                            event.device(), event.referrer());
            if (fields.text() == record) {
                straight++;
            }
        }
        // About half the generated clicks are valid; those the full parser has to read are the corpus's odd ones.
        assertThat(straight).as("clicks read straight from their bytes").isGreaterThan(2_400);
        // The generator's valid clicks are all read straight from their bytes.
        ClickGenerator clean = new ClickGenerator(new ClickSettings(8, 500, ClickSettings.defaultFilmIds(), 0),
                InstantSource.fixed(NOW.minusSeconds(30)));
        for (int i = 0; i < 1_000; i++) {
            byte[] record = clean.next().value();
            assertThat(parser.read(record, fields)).isNull();
            assertThat(fields.text()).isSameAs(record);
        }
    }

    private static String text(ClickFields fields, ClickFields.Text field) {
        return new String(fields.text(), fields.at(field), fields.length(field), StandardCharsets.UTF_8);
    }
}
