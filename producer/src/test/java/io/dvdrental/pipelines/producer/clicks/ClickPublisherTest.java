package io.dvdrental.pipelines.producer.clicks;

import io.dvdrental.pipelines.transforms.clicks.ClickParser;

import io.dvdrental.pipelines.transforms.generate.ClickSettings;

import io.dvdrental.pipelines.transforms.generate.ClickGenerator;

import io.dvdrental.pipelines.services.LocalStack;
import io.dvdrental.pipelines.services.junit.RealServices;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Sends clicks to a fresh topic on the real local Kafka broker and reads them back. */
@ExtendWith(RealServices.class)
class ClickPublisherTest {

    private static final ClickParser CONTRACT = new ClickParser(Clock.systemUTC(), Duration.ofMinutes(5));

    @Test
    void sendsExactlyTheRequestedValidEvents(LocalStack stack) throws Exception {
        String topic = "dvd_clicks_test_" + UUID.randomUUID();
        ClickGenerator generator = new ClickGenerator(
                new ClickSettings(11, 100, ClickSettings.defaultFilmIds(), 0), InstantSource.system());
        PublishSummary summary;
        try (ClickPublisher publisher = new ClickPublisher(stack.config().kafkaBootstrap(), topic)) {
            summary = publisher.publish(generator, 500, null, 0, () -> false);
        }
        assertThat(summary.sent()).isEqualTo(500);
        assertThat(summary.malformed()).isZero();

        List<ConsumerRecord<String, String>> records = readAll(stack, topic, 500);
        assertThat(records).hasSize(500);
        assertThat(records).allSatisfy(r -> assertThat(wellFormed(r)).as(r.value()).isTrue());
    }

    @Test
    void malformedEventsOnTheTopicMatchWhatTheGeneratorReported(LocalStack stack) throws Exception {
        String topic = "dvd_clicks_test_" + UUID.randomUUID();
        ClickGenerator generator = new ClickGenerator(
                new ClickSettings(12, 50, ClickSettings.defaultFilmIds(), 0.2), InstantSource.system());
        PublishSummary summary;
        try (ClickPublisher publisher = new ClickPublisher(stack.config().kafkaBootstrap(), topic)) {
            summary = publisher.publish(generator, 400, Duration.ofMinutes(1), 0, () -> false);
        }
        assertThat(summary.malformed()).isBetween(40L, 120L);

        List<ConsumerRecord<String, String>> records = readAll(stack, topic, 400);
        assertThat(records).hasSize(400);
        long invalid = records.stream().filter(r -> !wellFormed(r)).count();
        assertThat(invalid).isEqualTo(summary.malformed());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).matches("\"u_\\d+\""));
    }

    /** What the server's ingest accepts: the click contract, and the key naming the click's user. */
    private static boolean wellFormed(ConsumerRecord<String, String> record) {
        return CONTRACT.parse(record.value().getBytes(StandardCharsets.UTF_8)) instanceof ClickParser.Valid valid
                && record.key().equals("\"" + valid.event().userId() + "\"");
    }

    /** Reads the topic from the start until {@code expected} records arrived and a further poll brings none. */
    private static List<ConsumerRecord<String, String>> readAll(LocalStack stack, String topic, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.config().kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "producer-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(30);
            while (Instant.now().isBefore(deadline)) {
                var batch = consumer.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
                if (records.size() >= expected && batch.isEmpty()) {
                    break;
                }
            }
        }
        return records;
    }
}
