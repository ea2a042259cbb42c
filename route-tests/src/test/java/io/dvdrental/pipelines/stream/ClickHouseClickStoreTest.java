package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.clicks.ClickEvent;
import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary rows of {@link ClickHouseClickStore}, on the real ClickHouse: every column comes back as the route sent
 * it (text beyond ASCII, quotes and line breaks, the types' largest values), and the structure the insert declares
 * for {@code input()} is the table's.
 */
@RealServicesTest
class ClickHouseClickStoreTest {

    @Autowired
    ClickStore clickStore;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;

    @Test
    void everyColumnComesBackAsSent() {
        ClickPartition partition = new ClickPartition("clicks-rows-" + UUID.randomUUID(), UUID.randomUUID().toString(), 65_535);
        UUID first = UUID.randomUUID();
        UUID second = new UUID(-1L, 1L);
        FilmReference film = new FilmReference(Integer.MAX_VALUE, "Ac\"ad\\emy\n'Dino'", "Sci-Fi", "NC-17", 65_535);
        List<ClickEvent> events = List.of(
                new ClickEvent(first.toString(), Instant.parse("2026-11-30T23:59:59.999Z"),
                        "2026-11-30 23:59:59.999", "u_\uD83C\uDFAC", "s-\u00e9\u4e2d", Integer.MAX_VALUE,
                        "watch_trailer", "film_detail", 20, "tablet", "recommendation"),
                new ClickEvent(second.toString(), Instant.parse("2005-01-01T00:00:00.001Z"),
                        "2005-01-01 00:00:00.001", "u", "s", 1, "view", "browse", 1, "web", "homepage"));
        List<FilmReference> films = List.of(film, FilmReference.unknown(1));
        long[] offsets = {(1L << 40) + 1, (1L << 40) + 2};
        ClickRows clicks = new ClickRows().start(partition,
                new ReferenceSnapshot("v", null, null, Map.of(film.filmId(), film)), 2);
        for (int i = 0; i < 2; i++) {
            clicks.add(new ClickFields().set(events.get(i)), offsets[i]);
        }

        clickStore.insertClicks(partition, new Range((1L << 40) + 1, (1L << 40) + 2), clicks.slice(0, 2));

        List<Map<String, Object>> rows = warehouse.queryForList("SELECT toString(event_id) AS event_id,"
                + " toUnixTimestamp64Milli(event_ts) AS event_ms, user_id, session_id, film_id, event_type, page,"
                + " position, device, referrer, film_title, category, rating, length, kafka_topic, kafka_topic_id,"
                + " kafka_partition, kafka_offset FROM stream.dvd_clicks WHERE kafka_topic_id = :id ORDER BY kafka_offset",
                Map.of("id", partition.topicId()));
        assertThat(rows).hasSize(2);
        for (int i = 0; i < 2; i++) {
            ClickEvent event = events.get(i);
            Map<String, Object> row = rows.get(i);
            assertThat(row.get("event_id")).isEqualTo(event.eventId());
            assertThat(((Number) row.get("event_ms")).longValue()).isEqualTo(event.eventTs().toEpochMilli());
            assertThat(row).containsEntry("user_id", event.userId()).containsEntry("session_id", event.sessionId())
                    .containsEntry("event_type", event.eventType()).containsEntry("page", event.page())
                    .containsEntry("device", event.device()).containsEntry("referrer", event.referrer())
                    .containsEntry("film_title", films.get(i).title())
                    .containsEntry("category", films.get(i).category()).containsEntry("rating", films.get(i).rating()).containsEntry("kafka_topic", partition.topic())
                    .containsEntry("kafka_topic_id", partition.topicId());
            assertThat(((Number) row.get("film_id")).longValue()).isEqualTo(event.filmId());
            assertThat(((Number) row.get("position")).intValue()).isEqualTo(event.position());
            assertThat(((Number) row.get("length")).intValue()).isEqualTo(films.get(i).length());
            assertThat(((Number) row.get("kafka_partition")).intValue()).isEqualTo(65_535);
            assertThat(((Number) row.get("kafka_offset")).longValue()).isEqualTo(offsets[i]);
        }
        assertThat(clickStore.progress(partition, 0).highWater()).isEqualTo((1L << 40) + 2);
    }

    @Test
    void theStructureGivenToInputIsTheTables() {
        List<String> columns = ClickRows.NAMES_AND_TYPES.stream().map(column -> column.substring(0, column.indexOf(' ')))
                .toList();
        List<String> table = warehouse.queryForList("SELECT concat(name, ' ', type) FROM system.columns"
                + " WHERE database = 'stream' AND table = 'dvd_clicks' AND name IN (:columns)"
                + " ORDER BY position", Map.of("columns", columns), String.class);
        assertThat(table).containsExactlyElementsOf(ClickRows.NAMES_AND_TYPES);
    }
}
