package io.dvdrental.pipelines.stream;

import com.clickhouse.client.api.data_formats.RowBinaryFormatSerializer;
import io.dvdrental.pipelines.transforms.clicks.ClickEvent;
import io.dvdrental.pipelines.transforms.clicks.EnrichedClick;
import io.dvdrental.pipelines.transforms.reference.FilmReference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Rows of {@code stream.dvd_clicks} in ClickHouse's RowBinary format, read by {@code input(STRUCTURE)}: binary
 * values in column order, which ClickHouse copies into its columns instead of parsing text ({@code ingested_at} is
 * the server's).
 */
final class ClickRows {

    /** Name and type of each column written, in order; the types are the table's (V200, V202). */
    static final List<String> NAMES_AND_TYPES = List.of("event_id UUID", "event_ts DateTime64(3, 'UTC')",
            "user_id String", "session_id String", "film_id UInt32", "event_type LowCardinality(String)",
            "page LowCardinality(String)", "position UInt8", "device LowCardinality(String)",
            "referrer LowCardinality(String)", "film_title String", "category LowCardinality(String)",
            "rating LowCardinality(String)", "length UInt16", "kafka_topic LowCardinality(String)",
            "kafka_topic_id LowCardinality(String)", "kafka_partition UInt16", "kafka_offset UInt64");

    /** The columns, in the order {@link #rowBinary} writes them. */
    static final String COLUMNS = NAMES_AND_TYPES.stream().map(column -> column.substring(0, column.indexOf(' ')))
            .collect(Collectors.joining(", "));

    /** The argument of {@code input()}: the columns with their types, as an SQL string literal. */
    static final String STRUCTURE = "'" + String.join(", ", NAMES_AND_TYPES).replace("'", "\\'") + "'";

    private ClickRows() {
    }

    static byte[] rowBinary(String topic, String topicId, List<EnrichedClick> clicks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(clicks.size() * 160);
        RowBinaryFormatSerializer row = new RowBinaryFormatSerializer(out);
        // Text the rows of a batch share is encoded once: the topic's, and each film's.
        byte[] topicColumns = encoded(topic, topicId);
        // By value: a film the reference does not know is a new FilmReference on every click.
        Map<FilmReference, byte[]> filmColumns = new HashMap<>();
        try {
            for (EnrichedClick click : clicks) {
                ClickEvent e = click.event();
                FilmReference film = click.film();
                UUID eventId = UUID.fromString(e.eventId());
                // RowBinary puts the high half first; this serializer writes its second argument first.
                row.writeUUID(eventId.getLeastSignificantBits(), eventId.getMostSignificantBits());
                row.writeDateTime64(e.eventTs(), 3);
                row.writeString(e.userId());
                row.writeString(e.sessionId());
                row.writeUInt32(e.filmId());
                row.writeString(e.eventType());
                row.writeString(e.page());
                row.writeUInt8((short) e.position());
                row.writeString(e.device());
                row.writeString(e.referrer());
                out.write(filmColumns.computeIfAbsent(film, f -> encoded(f.title(), f.category(), f.rating())));
                row.writeUInt16(film.length());
                out.write(topicColumns);
                row.writeUInt16(click.kafkaPartition());
                // UInt64 as Int64: the same eight bytes for any offset (Kafka offsets are below 2^63).
                row.writeInt64(click.kafkaOffset());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Consecutive String columns, as RowBinary writes them. */
    private static byte[] encoded(String... texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowBinaryFormatSerializer columns = new RowBinaryFormatSerializer(out);
        try {
            for (String text : texts) {
                columns.writeString(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
