package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.micrometer.core.instrument.MeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvdrental.pipelines.transforms.generate.Click;
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
    void everyProducedClickIsInTheRawTableAndInEveryViewOnce() {
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(FILMS, UNKNOWN_FILM), 97, 0);
        int produced = 3_000;
        Set<String> users = new HashSet<>();
        Map<String, Long> byType = new HashMap<>();
        Map<Integer, Long> byFilm = new HashMap<>();
        for (int i = 0; i < produced; i++) {
            Click click = clicks.next();
            JsonNode event = TestClicks.fields(click);
            users.add(event.get("user_id").asText());
            byType.merge(event.get("event_type").asText(), 1L, Long::sum);
            byFilm.merge(event.get("film_id").asInt(), 1L, Long::sum);
            support.send(stream.topic(), click);
        }
        support.flush();

        String window = clicks.window("event_ts");
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + window, produced, Duration.ofSeconds(60));
        // An insert's raw rows are visible before its views' rows; the offsets are committed after the whole insert.
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());

        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window)).isEqualTo(produced);
        assertThat(support.count("SELECT uniqExact(event_id) FROM stream.dvd_clicks WHERE " + window)).isEqualTo(produced);
        String minutes = clicks.window("minute");
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT sum(clicks) FROM stream.device_event_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE " + minutes)).isEqualTo(produced);
        assertThat(support.count("SELECT uniqCombinedMerge(users) FROM stream.users_per_minute WHERE " + minutes))
                .isEqualTo(users.size());
        for (var type : byType.entrySet()) {
            assertThat(support.count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE " + minutes
                    + " AND event_type = :type", Map.of("type", type.getKey()))).isEqualTo(type.getValue());
        }
        for (var film : byFilm.entrySet()) {
            assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes
                    + " AND film_id = :film", Map.of("film", film.getKey()))).isEqualTo(film.getValue());
        }

        // Enriched from the export: title and category on the raw row and on the per-film aggregate.
        Map<String, Object> film3 = Map.of("title", "Film 3 " + run);
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window
                + " AND film_id = 3 AND film_title = :title AND category = 'Horror' AND rating = 'R' AND length = 63", film3))
                .isEqualTo(byFilm.getOrDefault(3, 0L));
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes
                + " AND film_id = 3 AND film_title = :title AND category = 'Horror'", film3))
                .isEqualTo(byFilm.getOrDefault(3, 0L));
        // An unknown film is kept, as 'Unknown'.
        long unknown = byFilm.getOrDefault(UNKNOWN_FILM, 0L);
        assertThat(unknown).isPositive();
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window
                + " AND film_id = " + UNKNOWN_FILM + " AND film_title = 'Unknown' AND category = 'Unknown'"))
                .isEqualTo(unknown);
        assertThat(meters.counter("dvd.stream.clicks.unknown_films").count()).isGreaterThanOrEqualTo(unknown);
    }

    @Test
    void badClicksAllReachTheDeadLetterTopicWithTheirReasonAndGoodOnesAllReachClickHouse() throws Exception {
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(FILMS), 50, 0.1);
        Map<Integer, Long> dlqStart = support.endOffsets(stream.dlqTopic(), stream.partitions());
        int produced = 2_000;
        long good = 0;
        Map<Future<RecordMetadata>, String> badReasons = new HashMap<>();
        Map<Future<RecordMetadata>, byte[]> badBytes = new HashMap<>();
        for (int i = 0; i < produced; i++) {
            Click click = clicks.next();
            Future<RecordMetadata> sent = support.send(stream.topic(), click);
            if (click.malformed()) {
                badReasons.put(sent, TestClicks.reason(click.malformation()));
                badBytes.put(sent, click.value());
            } else {
                good++;
            }
        }
        // Not text at all, and no key.
        byte[] binary = {(byte) 0xAC, (byte) 0xED, 0, 5, (byte) 0xFF};
        Future<RecordMetadata> binarySent = support.send(stream.topic(), null, binary);
        badReasons.put(binarySent, "not_json");
        badBytes.put(binarySent, binary);
        support.flush();
        Map<String, String> expected = new HashMap<>();
        Map<String, byte[]> expectedBytes = new HashMap<>();
        for (var sent : badReasons.entrySet()) {
            RecordMetadata meta = sent.getKey().get();
            expected.put(meta.partition() + "@" + meta.offset(), sent.getValue());
            expectedBytes.put(meta.partition() + "@" + meta.offset(), badBytes.get(sent.getKey()));
        }
        assertThat(new HashSet<>(expected.values())).contains("not_json", "contract", "absurd_value");

        String window = clicks.window("event_ts");
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + window, good, Duration.ofSeconds(60));

        Map<String, ConsumerRecord<String, byte[]>> dead = deadLetters(dlqStart, expected.keySet());
        assertThat(dead).hasSameSizeAs(expected);
        for (var entry : dead.entrySet()) {
            ConsumerRecord<String, byte[]> record = entry.getValue();
            assertThat(record.value()).isEqualTo(expectedBytes.get(entry.getKey()));
            assertThat(header(record, "dlq.reason")).startsWith(expected.get(entry.getKey()) + ": ");
            assertThat(header(record, "dlq.detected_at")).isNotBlank();
        }
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window)).isEqualTo(good);
        for (String reason : List.of("not_json", "contract", "absurd_value")) {
            assertThat(meters.counter("dvd.stream.clicks.dead_letters", "reason", reason).count()).isPositive();
        }
    }

    /**
     * A bad record near Kafka's request limit: with the dead-letter headers it is too large to send. It must hold no
     * partition (the valid clicks behind it are stored) and be lost nowhere: its original is kept in S3 and its dead
     * letter says where, with the reason.
     */
    @Test
    void aBadClickTooLargeForTheDeadLetterTopicIsKeptInS3AndHoldsNoPartition() throws Exception {
        byte[] huge = new byte[1_048_576 - 300];
        java.util.Arrays.fill(huge, (byte) 'x');
        Map<Integer, Long> dlqStart = support.endOffsets(stream.dlqTopic(), stream.partitions());
        RecordMetadata bad = support.send(stream.topic(), "huge-" + run, huge).get();
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(FILMS), 40, 0);
        int produced = 400;
        for (int i = 0; i < produced; i++) {
            support.send(stream.topic(), bad.partition(), clicks.next());
        }
        support.flush();

        String window = clicks.window("event_ts");
        support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE " + window, produced, Duration.ofSeconds(90));
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window)).isEqualTo(produced);

        String source = bad.partition() + "@" + bad.offset();
        ConsumerRecord<String, byte[]> letter = deadLetters(dlqStart, Set.of(source)).get(source);
        assertThat(header(letter, "dlq.reason")).startsWith("not_json: ");
        assertThat(letter.value()).isEmpty();
        assertThat(header(letter, "dlq.original.size")).isEqualTo(String.valueOf(huge.length));
        String location = header(letter, "dlq.original.location");
        String prefix = "s3://" + bucket + "/";
        assertThat(location).startsWith(prefix + "dead-letters/" + stream.topic() + "/")
                .endsWith("/" + bad.partition() + "/" + bad.offset());
        byte[] kept = s3.getObjectAsBytes(b -> b.bucket(bucket).key(location.substring(prefix.length()))).asByteArray();
        assertThat(kept).isEqualTo(huge);
    }

    /** The dead letters of the click topic whose source is one of {@code sources} ("partition@offset"), by source. */
    private Map<String, ConsumerRecord<String, byte[]>> deadLetters(Map<Integer, Long> dlqStart, Set<String> sources) {
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
                    if (stream.topic().equals(header(record, "dlq.source.topic")) && sources.contains(source)) {
                        dead.put(source, record);
                    }
                }
                return dead.keySet().containsAll(sources);
            });
        }
        return dead;
    }

    @Test
    void theDemoProducerRouteSendsLiveClicksOverTheReferenceFilms() throws Exception {
        long since = System.currentTimeMillis() - 1_000;
        camel.getRouteController().startRoute(ClickProducerRoute.ROUTE_ID);
        try {
            support.awaitCount("SELECT count() FROM stream.dvd_clicks WHERE event_ts >= fromUnixTimestamp64Milli("
                    + since + ", 'UTC')", 10, Duration.ofSeconds(60));
        } finally {
            camel.getRouteController().stopRoute(ClickProducerRoute.ROUTE_ID);
        }
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE event_ts >= fromUnixTimestamp64Milli("
                + since + ", 'UTC') AND (film_id > " + FILMS + " OR film_title = 'Unknown')")).isZero();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
