package io.dvdrental.pipelines.reliability;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Reads a dead-letter topic from the position it had when this reader was made, so only records that arrived
 * since are seen. No consumer group: it never moves anybody's offsets.
 */
public final class DeadLetters implements AutoCloseable {

    /** One dead-lettered record: its key, value bytes (null for a tombstone) and headers as text. */
    public record DeadLetter(String key, byte[] value, Map<String, String> headers, int partition, long offset) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Map<TopicPartition, Long> start = new HashMap<>();

    public DeadLetters(String brokers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        markEnd();
    }

    private void markEnd() {
        List<TopicPartition> partitions = partitions();
        consumer.endOffsets(partitions).forEach(start::put);
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Polls until {@code done} holds for everything read so far or {@code timeout} passes; returns what was read. */
    public List<DeadLetter> readUntil(Predicate<List<DeadLetter>> done, Duration timeout) {
        List<DeadLetter> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !done.test(read)) {
            if (consumer.assignment().isEmpty()) {
                List<TopicPartition> partitions = partitions();
                if (partitions.isEmpty()) {
                    sleep();
                    continue;
                }
                consumer.assign(partitions);
                // A topic that did not exist when this reader was made is read from its beginning.
                partitions.forEach(p -> consumer.seek(p, start.getOrDefault(p, 0L)));
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (Header h : r.headers()) {
                    headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
                }
                read.add(new DeadLetter(r.key(), r.value(), headers, r.partition(), r.offset()));
            }
        }
        return read;
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
