package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.data_formats.NativeFormatReader;
import com.clickhouse.client.api.data_formats.internal.BinaryStreamReader;
import com.clickhouse.client.api.query.QuerySettings;
import io.dvdrental.pipelines.transforms.clicks.ClickEvent;
import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rows {@link ClickRows} writes straight from the records' bytes, read back from their Native block by the
 * ClickHouse client's own Native reader, hold the values of the same clicks once parsed into events (how the route
 * wrote them before): text beyond ASCII, escapes, the types' boundaries, unknown films, a reused buffer, a slice.
 */
class ClickRowsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private final ClickParser parser = new ClickParser(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
    private static final ReferenceSnapshot FILMS = new ReferenceSnapshot("v1", NOW, NOW, Map.of(
            1, new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86),
            42, new FilmReference(42, "Ac\"ad\\emy\n'Dino' \u00e9\u4e2d\uD83C\uDFAC", "Sci-Fi", "NC-17", 65_535),
            Integer.MAX_VALUE, new FilmReference(Integer.MAX_VALUE, "", "Horror", "R", 0)));

    private static String click(String userId, String eventTs, String filmId, String position) {
        return "{\"event_id\":\"3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60\",\"event_ts\":\"" + eventTs + "\",\"user_id\":\""
                + userId + "\",\"session_id\":\"s-1\",\"film_id\":" + filmId + ",\"event_type\":\"view\","
                + "\"page\":\"browse\",\"position\":" + position + ",\"device\":\"web\",\"referrer\":\"search\"}";
    }

    private List<byte[]> corpus() {
        List<String> texts = new ArrayList<>(List.of(
                click("u_1", "2026-11-25 01:59:58.123", "42", "3"),
                click("u_\u00e9\u4e2d\uD83C\uDFAC", "2005-01-01 00:00:00.000", "1", "1"),
                click("\uD83C\uDFAC".repeat(32), "2026-11-25 02:05:00.000", "2147483647", "20"),
                click("u".repeat(64), "2024-02-29 23:59:59.999", "7", "20"),
                click("q\\\"uote\\\\d \\n\\t\\u00e9\\ud83c\\udfac", "2026-11-25 01:59:58.001", "42", "2"),
                click("u_1", "2026-11-25 01:59:58.010", "42", "3").replace("{", "{\"extra\":[1,{\"a\":null}],"),
                click("u_1", "2026-11-25 01:59:58.100", "42", "3").replace(",", " ,\n\t"),
                click("u_1", "2026-11-25 01:59:58.123", "42", "3").replace("\"view\"", "\"vi\\u0065w\""),
                click("\u007f\u0080\u07ff\u0800\uffff\uD800\uDC00\uDBFF\uDFFF", "2026-11-25 01:59:58.123", "99", "5"),
                click("u_2", "2026-11-25 01:59:58.123", "42", "3")
                        .replace("3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60", "FFFFFFFF-FFFF-FFFF-8000-000000000000"),
                click("u_3", "2026-11-25 01:59:58.123", "42", "3")
                        .replace("3f1c2a9e-8b4d-4c1e-9f2a-1b2c3d4e5f60", "00000000-0000-0000-0000-000000000000")));
        ClickGenerator generator = new ClickGenerator(new ClickSettings(7, 500, ClickSettings.defaultFilmIds(), 0),
                InstantSource.fixed(NOW.minusSeconds(30)));
        for (int i = 0; i < 2_000; i++) {
            texts.add(new String(generator.next().value(), StandardCharsets.UTF_8));
        }
        return texts.stream().map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void theNativeBlockHoldsTheParsedClicksValues() throws IOException {
        List<byte[]> records = corpus();
        ClickFields fields = new ClickFields();
        ClickRows rows = new ClickRows();
        // Twice through the same instance: a reused buffer writes a batch as a fresh one does.
        for (int round = 0; round < 2; round++) {
            rows.start(new ClickPartition("dvd_clicks", "Zq3-topic-id", 65_535), FILMS, round == 0 ? 1 : records.size());
            List<ClickEvent> events = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            List<Integer> rowStarts = new ArrayList<>();
            long offset = (1L << 40) + round;
            for (byte[] record : records) {
                assertThat(parser.read(record, fields)).as(new String(record, StandardCharsets.UTF_8)).isNull();
                rowStarts.add(rows.size());
                rows.add(fields, offset);
                events.add(((ClickParser.Valid) parser.parse(record)).event());
                offsets.add(offset++);
            }
            assertThat(rows.count()).isEqualTo(records.size());
            // Blocks of 1,024 rows: the client's reader reads one block here (it misreads the last row of a block
            // that another follows), the in-memory store's reader all of them.
            assertBlock(rows.slice(0, 1_024), events.subList(0, 1_024), offsets.subList(0, 1_024));
            assertBlock(rows.slice(rowStarts.get(1_024), records.size() - 1_024),
                    events.subList(1_024, records.size()), offsets.subList(1_024, records.size()));
            ClickPartition partition = new ClickPartition("dvd_clicks", "Zq3-topic-id", 65_535);
            assertThat(InMemoryClickStore.rows(partition, rows.slice(0, rows.count()))).isEqualTo(
                    IntStream.range(0, records.size()).mapToObj(i -> new InMemoryClickStore.Row(partition,
                            offsets.get(i), UUID.fromString(events.get(i).eventId()).toString())).toList());
            // A slice from a row boundary on, as an insert of the rows after the first seven.
            assertBlock(rows.slice(rowStarts.get(7), 11), events.subList(7, 18), offsets.subList(7, 18));
        }
    }

    @Test
    void aFilmTheReferenceDoesNotKnowIsUnknownAndANewSnapshotIsReadAfresh() {
        ClickFields fields = new ClickFields();
        ClickRows rows = new ClickRows().start(new ClickPartition("t", "id", 0), ReferenceSnapshot.EMPTY, 2);
        parser.read(click("u_1", "2026-11-25 01:59:58.123", "42", "3").getBytes(StandardCharsets.UTF_8), fields);
        assertThat(rows.add(fields, 0)).isTrue();
        rows.start(new ClickPartition("t", "id", 0), FILMS, 2);
        assertThat(rows.add(fields, 1)).isFalse();
    }

    @Test
    void aBacklogsRowsTakeTheBufferTheyNeedNotTwiceAndAQuietPartitionGivesItBack() {
        ClickGenerator generator = new ClickGenerator(new ClickSettings(7, 500, ClickSettings.defaultFilmIds(), 0),
                InstantSource.fixed(NOW.minusSeconds(30)));
        ClickFields fields = new ClickFields();
        int insertRows = 50_000;
        int round = 5_000;
        ClickRows rows = new ClickRows().start(new ClickPartition("t", "id", 0), FILMS, 10_000);
        int startBytes = rows.capacity();
        long offset = 0;
        // A backlog: rounds of 5,000 records, the rows inserted (dropped) once they are insert-rows many.
        for (int insert = 0; insert < 3; insert++) {
            while (rows.count() < insertRows) {
                rows.reserve(round, Math.max(insertRows, rows.count()) + round);
                for (int i = 0; i < round; i++) {
                    parser.read(generator.next().value(), fields);
                    rows.add(fields, offset++);
                }
            }
            // Room for insert-rows and a round of rows of their size, not twice what they take (doubling's 16 MB).
            long rowBytes = (rows.size() + rows.count() - 1L) / rows.count();
            assertThat(rows.capacity()).isLessThanOrEqualTo((int) ((insertRows + round) * rowBytes));
            rows.dropFirst(rows.size(), rows.count());
        }
        // Then a trickle: its insert takes a fraction of the buffer, which goes back to its start size.
        for (int i = 0; i < 1_000; i++) {
            parser.read(generator.next().value(), fields);
            rows.add(fields, offset++);
        }
        rows.dropFirst(rows.size(), rows.count());
        rows.release();
        assertThat(rows.capacity()).isEqualTo(startBytes);
    }

    @Test
    void burstsInsertedAtMaxWaitKeepTheBufferTheyGrewInstead() {
        ClickGenerator generator = new ClickGenerator(new ClickSettings(7, 500, ClickSettings.defaultFilmIds(), 0),
                InstantSource.fixed(NOW.minusSeconds(30)));
        ClickFields fields = new ClickFields();
        ClickRows rows = new ClickRows().start(new ClickPartition("t", "id", 0), FILMS, 10_000);
        int startBytes = rows.capacity();
        long offset = 0;
        int grown = 0;
        // Bursts of 30,000 clicks, each inserted (dropped) before the next: the buffer grows for the first one only.
        for (int burst = 0; burst < 3; burst++) {
            rows.reserve(30_000, 50_000 + 30_000);
            for (int i = 0; i < 30_000; i++) {
                parser.read(generator.next().value(), fields);
                rows.add(fields, offset++);
            }
            if (burst == 0) {
                grown = rows.capacity();
                assertThat(grown).isGreaterThan(startBytes);
            }
            rows.dropFirst(rows.size(), rows.count());
            rows.release();
            assertThat(rows.capacity()).as("after burst %d", burst).isEqualTo(grown);
        }
    }

    @Test
    void aBufferDoublesUpToTheRowsExpectedThenGrowsByAnEighth() {
        assertThat(ClickRows.grown(1_000, 1_500, 10_000)).isEqualTo(2_000);
        assertThat(ClickRows.grown(6_000, 7_000, 10_000)).isEqualTo(10_000);
        assertThat(ClickRows.grown(1_000, 50_000, 10_000)).isEqualTo(50_000);
        assertThat(ClickRows.grown(10_000, 10_001, 10_000)).isEqualTo(11_250);
        assertThat(ClickRows.grown(Integer.MAX_VALUE / 2 + 1, Integer.MAX_VALUE / 2 + 2, Integer.MAX_VALUE))
                .isEqualTo(Integer.MAX_VALUE - 8);
    }

    /** Each row of the blocks, as the ClickHouse client's Native reader reads it, holds the event's values. */
    private static void assertBlock(ClickBlock block, List<ClickEvent> events, List<Long> offsets) throws IOException {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        block.writeTo(written);
        assertThat(block.count()).isEqualTo(events.size());
        NativeFormatReader in = new NativeFormatReader(new ByteArrayInputStream(written.toByteArray()),
                new QuerySettings().setUseTimeZone("UTC"), new BinaryStreamReader.DefaultByteBufferAllocator());
        for (int i = 0; i < events.size(); i++) {
            ClickEvent e = events.get(i);
            FilmReference film = FILMS.film(e.filmId());
            if (film == null) {
                film = FilmReference.unknown(e.filmId());
            }
            Map<String, Object> row = in.next();
            assertThat(row).as("row %d", i).isNotNull()
                    .containsEntry("event_id", UUID.fromString(e.eventId()))
                    .containsEntry("user_id", e.userId()).containsEntry("session_id", e.sessionId())
                    .containsEntry("event_type", e.eventType()).containsEntry("page", e.page())
                    .containsEntry("device", e.device()).containsEntry("referrer", e.referrer())
                    .containsEntry("film_title", film.title()).containsEntry("category", film.category())
                    .containsEntry("rating", film.rating()).containsEntry("kafka_topic", "dvd_clicks")
                    .containsEntry("kafka_topic_id", "Zq3-topic-id");
            assertThat(((ZonedDateTime) row.get("event_ts")).toInstant()).isEqualTo(e.eventTs());
            assertThat(((Number) row.get("film_id")).longValue()).isEqualTo(e.filmId());
            assertThat(((Number) row.get("position")).intValue()).isEqualTo(e.position());
            assertThat(((Number) row.get("length")).intValue()).isEqualTo(film.length());
            assertThat(((Number) row.get("kafka_partition")).intValue()).isEqualTo(65_535);
            assertThat(((Number) row.get("kafka_offset")).longValue()).isEqualTo(offsets.get(i));
        }
        assertThat(in.hasNext()).isFalse();
    }
}
