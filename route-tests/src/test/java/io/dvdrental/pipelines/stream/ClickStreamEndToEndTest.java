package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Producer -> Kafka -> ingest route -> ClickHouse raw table and views, and bad clicks -> dead-letter topic. */
@RealServicesTest
class ClickStreamEndToEndTest {

    private static final int FILMS = 20;
    private static final int UNKNOWN_FILM = 9_999;

    @Autowired
    CamelContext camel;
    @Autowired
    S3Client s3;
    @Autowired
    FilmReferenceCache reference;
    @Autowired
    StreamProperties stream;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Value("${dvd.s3.bucket}")
    String bucket;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private StreamTestSupport support;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void exportReferenceAndStartIngest() throws Exception {
        support = new StreamTestSupport(brokers, warehouse);
        String version = "e2e-" + run;
        StreamTestSupport.writeExport(s3, bucket, version, StreamTestSupport.films(run, FILMS));
        await().atMost(Duration.ofSeconds(30)).until(() -> reference.current().version().equals(version));
        StreamTestSupport.startIngest(camel);
    }

    @AfterEach
    void close() {
        support.close();
    }

    @Test
    void everyProducedClickIsInTheRawTableAndInEveryViewOnce() throws Exception {
        TestClicks clicks = new TestClicks();
        int produced = 3_000;
        Set<Integer> users = new HashSet<>();
        Map<String, Integer> byType = new HashMap<>();
        for (int i = 0; i < produced; i++) {
            int user = 1 + i % 97;
            int film = i % 50 == 0 ? UNKNOWN_FILM : 1 + i % FILMS;
            var event = clicks.click(film, user, "s-" + run + "-" + user);
            users.add(user);
            byType.merge(event.get("event_type").asText(), 1, Integer::sum);
            support.send(stream.topic(), user, clicks.bytes(event));
        }
        support.flush();

        String raw = "SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts");
        support.awaitCount(raw, produced, Duration.ofSeconds(60));

        assertThat(support.count(raw)).isEqualTo(produced);
        assertThat(support.count("SELECT uniqExact(event_id) FROM stream.dvd_clicks WHERE " + clicks.window("event_ts")))
                .isEqualTo(produced);
        String minutes = clicks.window("minute");
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT sum(clicks) FROM stream.device_event_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT uniqMerge(users) FROM stream.active_users_per_minute WHERE " + minutes))
                .isEqualTo(users.size());
        for (var type : byType.entrySet()) {
            assertThat(support.count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE " + minutes
                    + " AND event_type = '" + type.getKey() + "'")).isEqualTo((long) type.getValue());
        }

        // Enriched from the export: title and category on the raw row and on the per-film aggregate.
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts")
                + " AND film_id = 3 AND film_title = 'Film 3 " + run + "' AND category = 'Horror' AND length = 63"))
                .isEqualTo(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts")
                        + " AND film_id = 3")).isPositive();
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes
                + " AND film_id = 3 AND film_title = 'Film 3 " + run + "' AND category = 'Horror'")).isPositive();
        // An unknown film is kept, as 'Unknown'.
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts")
                + " AND film_id = " + UNKNOWN_FILM + " AND film_title = 'Unknown' AND category = 'Unknown'"))
                .isEqualTo(produced / 50);
        assertThat(meters.counter("dvd.stream.clicks.unknown_films").count()).isGreaterThanOrEqualTo(produced / 50.0);
    }

    @Test
    void badClicksAllReachTheDeadLetterTopicWithTheirReasonAndGoodOnesAllReachClickHouse() throws Exception {
        TestClicks clicks = new TestClicks();
        Map<Integer, Long> dlqStart = support.endOffsets(stream.dlqTopic(), stream.partitions());
        int good = 500;
        List<Future<RecordMetadata>> goodSent = new ArrayList<>();
        Map<Future<RecordMetadata>, TestClicks.Bad> badSent = new HashMap<>();
        Map<Future<RecordMetadata>, byte[]> badBytes = new HashMap<>();
        for (int i = 0; i < good; i++) {
            goodSent.add(support.send(stream.topic(), i, clicks.bytes(clicks.click(1 + i % FILMS, i, "s-" + run))));
            if (i % 10 == 0) {
                TestClicks.Bad kind = TestClicks.Bad.values()[(i / 10) % TestClicks.Bad.values().length];
                byte[] value = clicks.bad(kind, 1 + i % FILMS, i);
                Future<RecordMetadata> sent = support.send(stream.topic(), i, value);
                badSent.put(sent, kind);
                badBytes.put(sent, value);
            }
        }
        support.flush();
        Map<String, TestClicks.Bad> expected = new HashMap<>();
        Map<String, byte[]> expectedBytes = new HashMap<>();
        for (var sent : badSent.entrySet()) {
            RecordMetadata meta = sent.getKey().get();
            expected.put(meta.partition() + "@" + meta.offset(), sent.getValue());
            expectedBytes.put(meta.partition() + "@" + meta.offset(), badBytes.get(sent.getKey()));
        }

        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts"), good,
                Duration.ofSeconds(60));

        Map<String, ConsumerRecord<String, byte[]>> dead = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", brokers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < stream.partitions(); p++) {
                partitions.add(new TopicPartition(stream.dlqTopic(), p));
            }
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, dlqStart.get(tp.partition())));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String source = header(record, "dlq.source.partition") + "@" + header(record, "dlq.source.offset");
                    if (stream.topic().equals(header(record, "dlq.source.topic")) && expected.containsKey(source)) {
                        dead.put(source, record);
                    }
                }
                return dead.keySet().containsAll(expected.keySet());
            });
        }
        assertThat(dead).hasSameSizeAs(expected);
        for (var entry : dead.entrySet()) {
            ConsumerRecord<String, byte[]> record = entry.getValue();
            assertThat(record.value()).isEqualTo(expectedBytes.get(entry.getKey()));
            assertThat(header(record, "dlq.reason")).startsWith(expected.get(entry.getKey()).reason + ": ");
            assertThat(header(record, "dlq.detected_at")).isNotBlank();
            assertThat(record.key()).startsWith("\"u_");
        }
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts")))
                .isEqualTo(good);
        for (TestClicks.Bad kind : TestClicks.Bad.values()) {
            assertThat(meters.counter("dvd.stream.clicks.dead_letters", "reason", kind.reason).count()).isPositive();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
