package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.FilmReferenceExport;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/** What the stream tests share: a Kafka producer, the dim_film export fixture, ClickHouse and Kafka read-backs. */
public final class StreamTestSupport implements AutoCloseable {

    /** The raw click table and every view it feeds: what one click insert writes. */
    public static final List<String> CLICK_TABLES = List.of("stream.dvd_clicks", "stream.clicks_per_minute",
            "stream.users_per_minute", "stream.device_event_per_minute", "stream.event_funnel_per_minute");

    private final String brokers;
    private final NamedParameterJdbcTemplate warehouse;
    private KafkaProducer<String, byte[]> producer;

    public StreamTestSupport(String brokers, NamedParameterJdbcTemplate warehouse) {
        this.brokers = brokers;
        this.warehouse = warehouse;
        this.producer = producer(brokers);
    }

    private static KafkaProducer<String, byte[]> producer(String brokers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    public Future<RecordMetadata> send(String topic, Click click) {
        return send(topic, click.key(), click.value());
    }

    Future<RecordMetadata> send(String topic, int partition, Click click) {
        return producer.send(new ProducerRecord<>(topic, partition, click.key(), click.value()));
    }

    Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Writes a dim_film export with the batch pipeline's layout: the versioned JSON lines and CSV, then the pointer.
     */
    public static void writeExport(S3Client s3, String bucket, String version, List<FilmReference> films) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
                 | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
            // already there
        }
        String dir = FilmReferenceExport.PREFIX + version + "/";
        String jsonl = films.stream().map(f -> FilmReferenceExport.toJsonLine(f, 2006, 5)).collect(Collectors.joining("\n")) + "\n";
        String csv = "film_id,title,category,rating,length,release_year,rental_duration\n" + films.stream()
                .map(f -> f.filmId() + ",\"" + f.title() + "\"," + f.category() + "," + f.rating() + "," + f.length()
                        + ",2006,5").collect(Collectors.joining("\n")) + "\n";
        s3.putObject(b -> b.bucket(bucket).key(dir + "dim_film.jsonl"), RequestBody.fromString(jsonl));
        s3.putObject(b -> b.bucket(bucket).key(dir + "dim_film.csv"), RequestBody.fromString(csv));
        var pointer = new FilmReferenceExport.Pointer(version, dir + "dim_film.csv", dir + "dim_film.jsonl", films.size(),
                Instant.now());
        s3.putObject(b -> b.bucket(bucket).key(FilmReferenceExport.POINTER_KEY), RequestBody.fromString(pointer.toJson()));
    }

    long count(String sql) {
        return count(sql, Map.of());
    }

    long count(String sql, Map<String, ?> parameters) {
        Long value = warehouse.queryForObject(sql, parameters, Long.class);
        return value == null ? 0 : value;
    }

    void awaitCount(String sql, long expected, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> count(sql) >= expected);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(count(sql) + " of " + expected + " after " + timeout.toSeconds() + " s: " + sql, e);
        }
    }

    /** Committed offsets of the ingest group, per partition of the topic. */
    Map<Integer, Long> committed(String groupId, String topic) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            Map<Integer, Long> result = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic) && om != null) {
                    result.put(tp.partition(), om.offset());
                }
            });
            return result;
        }
    }

    Map<Integer, Long> endOffsets(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> result = new HashMap<>();
            admin.listOffsets(request).all().get(20, TimeUnit.SECONDS)
                    .forEach((tp, info) -> result.put(tp.partition(), info.offset()));
            return result;
        }
    }

    /** Waits until the ingest group has committed everything in the topic (nothing of earlier runs pending). */
    public void awaitCaughtUp(String groupId, String topic, int partitions) {
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<Integer, Long> end = endOffsets(topic, partitions);
                Map<Integer, Long> committed = committed(groupId, topic);
                Map<Integer, Long> behind = new HashMap<>();
                end.forEach((partition, offset) -> {
                    if (offset > 0 && committed.getOrDefault(partition, -1L) < offset) {
                        behind.put(partition, committed.getOrDefault(partition, 0L));
                    }
                });
                return behind.isEmpty() || onlyMarkersBetween(topic, behind, end);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("group " + groupId + " did not catch up with " + topic + " in 90 s: "
                    + groupState(groupId, topic, partitions) + "\n" + ingestThreads(), e);
        }
    }

    /**
     * Whether the partitions hold no record a read_committed consumer would see from the given offsets to their
     * ends: transaction markers (and aborted records) take offsets but are never delivered, so a group that has read
     * everything commits below the end.
     */
    private boolean onlyMarkersBetween(String topic, Map<Integer, Long> from, Map<Integer, Long> end) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", brokers,
                "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = from.keySet().stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.get(tp.partition())));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                    return false;
                }
                if (partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp.partition()))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Where the ingest threads of this JVM are (a consumer blocked in an insert shows here). */
    private static String ingestThreads() {
        StringBuilder dump = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().contains("dvd_clicks") || thread.getName().contains("clicks-partition")) {
                dump.append(thread.getName()).append(" ").append(thread.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    dump.append("    at ").append(stack[i]).append('\n');
                }
            }
        });
        return dump.toString();
    }

    /** End and committed offsets per partition, and the group's state and members, for a failure message. */
    private String groupState(String groupId, String topic, int partitions) {
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId).get(20, TimeUnit.SECONDS);
            String members = group.members().stream().map(m -> m.clientId() + " " + m.assignment().topicPartitions())
                    .collect(Collectors.joining("; "));
            return "end " + endOffsets(topic, partitions) + ", committed " + committed(groupId, topic) + ", group "
                    + group.state() + " with members [" + members + "]";
        } catch (Exception e) {
            return "(group state unavailable: " + e + ")";
        }
    }

    /**
     * Two rebalances of the group: a consumer of the test's joins it, stays until it is given partitions, and leaves
     * (it commits nothing). Every member's partitions are revoked and assigned again, twice.
     */
    void rebalance(String groupId, String topic) {
        try (KafkaConsumer<String, byte[]> joiner = new KafkaConsumer<>(Map.of("bootstrap.servers", brokers,
                "group.id", groupId, "enable.auto.commit", "false"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            joiner.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                joiner.poll(Duration.ofMillis(200));
                return !joiner.assignment().isEmpty();
            });
        }
    }

    /** Deletes the topic and creates it again, empty, with {@code partitions}: a new topic id, offsets from 0. */
    void recreateTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            Uuid created = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> admin.createTopics(List.of(new NewTopic(topic, partitions,
                            (short) 1))).topicId(topic).get(10, TimeUnit.SECONDS), Objects::nonNull);
            // Sends made before the broker's metadata names the new topic with a leader for every partition got
            // NOT_LEADER_OR_FOLLOWER, then OUT_OF_ORDER_SEQUENCE_NUMBER on every retry until the delivery timeout
            // (a CI run at load 27).
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        TopicDescription now = admin.describeTopics(List.of(topic)).allTopicNames()
                                .get(10, TimeUnit.SECONDS).get(topic);
                        return now.topicId().equals(created) && now.partitions().size() == partitions
                                && now.partitions().stream().allMatch(p -> p.leader() != null);
                    });
        }
        // An idempotent producer keeps sequence numbers per partition: against the new topic's partitions they are
        // out of order, and its sends would fail after the delivery timeout.
        producer.close(Duration.ofSeconds(10));
        producer = producer(brokers);
    }

    /** An operator's rewind: the (stopped) group's offsets of every partition back to the start of the topic. */
    void rewindGroup(String groupId, String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.earliest());
            }
            Map<TopicPartition, OffsetAndMetadata> earliest = new HashMap<>();
            admin.listOffsets(request).all().get(20, TimeUnit.SECONDS)
                    .forEach((tp, info) -> earliest.put(tp, new OffsetAndMetadata(info.offset())));
            // The group must have no member; a stopped route may take a moment to leave it.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> {
                        admin.alterConsumerGroupOffsets(groupId, earliest).all().get(10, TimeUnit.SECONDS);
                        return true;
                    });
        }
    }

    /**
     * Waits until {@code expected} rows of the window are stored (or 90 s passed) and then for the ingest group to
     * catch up, without failing: the assertions that follow say what is wrong.
     */
    void awaitStored(TestClicks clicks, long expected, String groupId, String topic, int partitions) {
        String sql = "SELECT count() FROM stream.dvd_clicks WHERE " + clicks.window("event_ts");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> count(sql) >= expected);
            awaitCaughtUp(groupId, topic, partitions);
        } catch (ConditionTimeoutException | AssertionError e) {
            // reported by the count assertions
        }
    }

    /** Raw rows, distinct events and every view's total of a test's window. */
    Map<String, Long> totals(TestClicks clicks) {
        String window = clicks.window("event_ts");
        String minutes = clicks.window("minute");
        Map<String, Long> totals = new java.util.LinkedHashMap<>();
        totals.put("rows", count("SELECT count() FROM stream.dvd_clicks WHERE " + window));
        totals.put("events", count("SELECT uniqExact(event_id) FROM stream.dvd_clicks WHERE " + window));
        totals.put("clicks_per_minute", count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes));
        totals.put("device_event_per_minute", count("SELECT sum(clicks) FROM stream.device_event_per_minute WHERE "
                + minutes));
        totals.put("event_funnel_per_minute", count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE "
                + minutes));
        return totals;
    }

    /** Where a test's raw rows came from, per topic and partition: what a failed count needs to be explained. */
    String sources(TestClicks clicks) {
        return warehouse.getJdbcTemplate().queryForList("SELECT kafka_topic, kafka_topic_id, kafka_partition, count() AS rows,"
                + " uniqExact(event_id) AS events, min(kafka_offset) AS first_offset, max(kafka_offset) AS last_offset,"
                + " min(ingested_at) AS first_ingested, max(ingested_at) AS last_ingested FROM stream.dvd_clicks WHERE "
                + clicks.window("event_ts") + " GROUP BY ALL ORDER BY ALL").toString();
    }

    /** The totals every table must show for {@code produced} clicks stored once. */
    static Map<String, Long> once(long produced) {
        Map<String, Long> totals = new java.util.LinkedHashMap<>();
        for (String table : List.of("rows", "events", "clicks_per_minute", "device_event_per_minute",
                "event_funnel_per_minute")) {
            totals.put(table, produced);
        }
        return totals;
    }

    public static void startIngest(CamelContext camel) throws Exception {
        camel.getRouteController().startRoute(ClickIngestRoute.ROUTE_ID);
    }

    private Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", brokers));
    }

    public static List<Integer> filmIds(int count, Integer... more) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= count; id++) {
            ids.add(id);
        }
        ids.addAll(List.of(more));
        return ids;
    }

    static List<FilmReference> films(String titleSuffix, int count) {
        List<FilmReference> films = new ArrayList<>();
        String[] categories = {"Action", "Comedy", "Documentary", "Horror", "Sci-Fi"};
        for (int id = 1; id <= count; id++) {
            films.add(new FilmReference(id, "Film " + id + " " + titleSuffix, categories[id % categories.length],
                    id % 2 == 0 ? "PG" : "R", 60 + id));
        }
        return films;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
