package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.reference.FilmReference;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Rows of {@code stream.dvd_clicks} in ClickHouse's JSONEachRow format; {@code ingested_at} is the server's. */
public final class ClickRows {

    /** The columns {@link #jsonEachRow} writes, in its order. */
    public static final String COLUMNS = "event_id, event_ts, user_id, session_id, film_id, event_type, page, position, "
            + "device, referrer, film_title, category, rating, length, kafka_topic, kafka_topic_id, kafka_partition, "
            + "kafka_offset";

    private static final JsonFactory JSON = new JsonFactory();

    private ClickRows() {
    }

    public static byte[] jsonEachRow(String topic, String topicId, List<EnrichedClick> clicks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(clicks.size() * 400);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            for (EnrichedClick click : clicks) {
                ClickEvent e = click.event();
                FilmReference film = click.film();
                g.writeStartObject();
                g.writeStringField("event_id", e.eventId());
                g.writeStringField("event_ts", e.eventTsText());
                g.writeStringField("user_id", e.userId());
                g.writeStringField("session_id", e.sessionId());
                g.writeNumberField("film_id", e.filmId());
                g.writeStringField("event_type", e.eventType());
                g.writeStringField("page", e.page());
                g.writeNumberField("position", e.position());
                g.writeStringField("device", e.device());
                g.writeStringField("referrer", e.referrer());
                g.writeStringField("film_title", film.title());
                g.writeStringField("category", film.category());
                g.writeStringField("rating", film.rating());
                g.writeNumberField("length", film.length());
                g.writeStringField("kafka_topic", topic);
                g.writeStringField("kafka_topic_id", topicId);
                g.writeNumberField("kafka_partition", click.kafkaPartition());
                g.writeNumberField("kafka_offset", click.kafkaOffset());
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
