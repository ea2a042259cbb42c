package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import io.dvdrental.pipelines.config.ConnectionProperties;
import io.dvdrental.pipelines.config.KafkaClientSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The click stream's routes as Camel runs them, without Kafka or ClickHouse: the Kafka consumer of
 * {@code clicks-ingest} is replaced by a direct endpoint that hands over a polled round, the Kafka producer of
 * {@code clicks-dead-letter} by a mock, and the click store is in memory. The end-to-end tests on the real services
 * are in route-tests.
 */
@CamelSpringBootTest
@SpringBootTest(classes = ClickRoutesTest.Routes.class)
@UseAdviceWith
class ClickRoutesTest {

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    @EnableConfigurationProperties(StreamProperties.class)
    @Import({ClickIngestRoute.class, ClickConsumerFactory.class, ClickDeadLetterRoute.class})
    static class Routes {

        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        InMemoryClickStore store() {
            return new InMemoryClickStore(1_000);
        }

        /** The topics exist: nothing to create. */
        @Bean
        ClickTopics topics(StreamProperties properties) {
            return new ClickTopics(null, properties) {
                @Override
                public void afterPropertiesSet() {
                }

                @Override
                public List<String> createMissing() {
                    return List.of();
                }
            };
        }

        @Bean
        KafkaDeadLetterSender deadLetters(ProducerTemplate producer, CamelContext camel, ClickTopics topics,
                                          StreamProperties properties, MeterRegistry meters) {
            KafkaClientSettings kafka = new KafkaClientSettings(camel) {
                @Override
                public int maxRequestSize() {
                    return 64 * 1024;
                }
            };
            return new KafkaDeadLetterSender(producer, camel, topics, archive(), kafka, properties, meters);
        }

        /** Keeps originals in memory, at {@code memory://<offset>}. */
        @Bean
        DeadLetterArchive archive() {
            return new DeadLetterArchive(null, new ConnectionProperties(null, null, null, null,
                    new ConnectionProperties.S3(null, "us-east-1", null, null, true, "unused"), null)) {
                @Override
                public DeadLetter keep(DeadLetter letter) {
                    kept.put(letter.offset(), letter.value());
                    return letter.keptAt("memory://" + letter.offset());
                }
            };
        }

        @Bean
        ClickBatchIngest ingest(InMemoryClickStore store, KafkaDeadLetterSender deadLetters, StreamProperties properties,
                                MeterRegistry meters) {
            // Every round's rows inserted at once.
            return new ClickBatchIngest(store, () -> ReferenceSnapshot.EMPTY, deadLetters, topic -> "topic-id",
                    new ClickParser(Clock.systemUTC(), properties.maxClockSkew()), meters,
                    Executors.newFixedThreadPool(2), 1, Duration.ZERO, System::nanoTime);
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    InMemoryClickStore store;

    private final CountingConsumer consumer = new CountingConsumer();
    /** Originals of dead letters too large for Kafka, by offset. */
    private static final Map<Long, byte[]> kept = new ConcurrentHashMap<>();

    @BeforeEach
    void replaceKafka() throws Exception {
        consumer.assign(IntStream.range(0, 4).mapToObj(p -> new TopicPartition("dvd_clicks", p)).toList());
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, ClickIngestRoute.ROUTE_ID, route -> route.replaceFromWith("direct:polled"));
            AdviceWith.adviceWith(camel, ClickDeadLetterRoute.ROUTE_ID, route -> route
                    .weaveById("clicks-dead-letter-send").replace().to("mock:dead-letters"));
            camel.start();
        }
        camel.getEndpoint("mock:dead-letters", MockEndpoint.class).reset();
        store.clear();
    }

    @Test
    void aRoundIsStoredItsBadRecordsDeadLetteredAndItsPartitionsCommittedAfterwards() throws Exception {
        MockEndpoint dlq = camel.getEndpoint("mock:dead-letters", MockEndpoint.class);
        dlq.expectedMessageCount(1);
        List<Exchange> round = new ArrayList<>();
        for (long offset = 0; offset < 6; offset++) {
            round.add(polled(0, offset, valid(0, offset)));
            round.add(polled(1, offset, offset == 3 ? "{\"event_id\":1}".getBytes(StandardCharsets.UTF_8) : valid(1, offset)));
        }

        producer.sendBody("direct:polled", round);

        assertThat(store.rows("")).isEqualTo(11);
        assertThat(committed()).containsEntry(0, 6L).containsEntry(1, 6L);
        dlq.assertIsSatisfied();
        List<?> letters = dlq.getExchanges().get(0).getMessage().getBody(List.class);
        Message letter = (Message) letters.get(0);
        assertThat(letter.getHeader("dlq.reason", String.class)).startsWith("contract: ");
        assertThat(letter.getHeader("dlq.source.partition", String.class)).isEqualTo("1");
        assertThat(letter.getHeader("dlq.source.offset", String.class)).isEqualTo("3");
    }

    @Test
    void aDeadLetterTooLargeForKafkaIsSentWithoutItsBytesAndSaysWhereTheyAre() throws Exception {
        MockEndpoint dlq = camel.getEndpoint("mock:dead-letters", MockEndpoint.class);
        dlq.expectedMessageCount(1);
        byte[] huge = new byte[100 * 1024];
        java.util.Arrays.fill(huge, (byte) 'x');
        producer.sendBody("direct:polled", List.of(polled(3, 40, valid(3, 40)), polled(3, 41, huge),
                polled(3, 42, valid(3, 42))));

        assertThat(committed()).containsEntry(3, 43L);
        dlq.assertIsSatisfied();
        Message letter = (Message) dlq.getExchanges().get(0).getMessage().getBody(List.class).get(0);
        assertThat(letter.getBody(byte[].class)).isEmpty();
        assertThat(letter.getHeader("dlq.original.location", String.class)).isEqualTo("memory://41");
        assertThat(letter.getHeader("dlq.original.size", String.class)).isEqualTo(String.valueOf(huge.length));
        assertThat(letter.getHeader("dlq.reason", String.class)).startsWith("not_json: ");
        assertThat(kept.get(41L)).isEqualTo(huge);
    }

    @Test
    void recordsPolledOfAPartitionBeforeARebalanceRevokedItAreNeitherStoredNorCommitted() throws Exception {
        // Two records of partition 2 polled, then a rebalance between two polls of the round revoked it.
        TopicPartition two = new TopicPartition("dvd_clicks", 2);
        consumer.queued().polled(two, 2);
        consumer.queued().revoked(List.of(two));
        producer.sendBody("direct:polled", List.of(polled(2, 70, valid(2, 70)), polled(2, 71, valid(2, 71))));

        assertThat(store.rows(String.format("%08x", 2))).isZero();
        assertThat(committed()).doesNotContainKey(2);
    }

    @Test
    void aRoundThatFailsLeavesNothingItsConsumerPolledToBeLeftOutOfTheNextReadingFromTheCommittedOffset() {
        // Ten records of partition 2 polled; camel-kafka hands five over and their insert fails. With
        // breakOnFirstError it drops the other five: they are never handed over.
        TopicPartition two = new TopicPartition("dvd_clicks", 2);
        consumer.queued().polled(two, 10);
        store.failNextInsert();
        assertThatThrownBy(() -> producer.sendBody("direct:polled", polled(2, 100, 104)))
                .hasStackTraceContaining("simulated");
        // A rebalance revokes partition 2 and gives it back; it is read again from the committed offset (none yet).
        consumer.queued().revoked(List.of(two));
        consumer.queued().polled(two, 10);
        producer.sendBody("direct:polled", polled(2, 100, 109));

        assertThat(store.rows(String.format("%08x", 2))).as("clicks of partition 2 stored").isEqualTo(10);
        assertThat(committed()).containsEntry(2, 110L);
    }

    /** Records {@code first..last} of a partition, valid clicks, as one round. */
    private List<Exchange> polled(int partition, long first, long last) {
        return LongStream.rangeClosed(first, last).mapToObj(offset -> polled(partition, offset, valid(partition, offset)))
                .toList();
    }

    /** What the ingest's consumers are: one that counts what it polled for camel-kafka's rounds. */
    private static final class CountingConsumer extends MockConsumer<String, byte[]> implements QueuedRecords.Counting {

        private final QueuedRecords queued = new QueuedRecords();

        CountingConsumer() {
            super(OffsetResetStrategy.EARLIEST);
        }

        @Override
        public QueuedRecords queued() {
            return queued;
        }
    }

    /** The offset committed per partition (the offset after the last committed record, as Kafka keeps it). */
    private Map<Integer, Long> committed() {
        Map<Integer, Long> committed = new HashMap<>();
        consumer.committed(consumer.assignment()).forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition.partition(), offset.offset());
            }
        });
        return committed;
    }

    /**
     * A record as camel-kafka's batching consumer hands it over: headers, bytes, and its manual commit, which knows
     * the consumer (assigned every partition unless a test says otherwise) and through which the ingest commits.
     */
    private Exchange polled(int partition, long offset, byte[] value) {
        Exchange exchange = new DefaultExchange(camel);
        Message message = exchange.getMessage();
        message.setHeader(KafkaConstants.TOPIC, "dvd_clicks");
        message.setHeader(KafkaConstants.PARTITION, partition);
        message.setHeader(KafkaConstants.OFFSET, offset);
        message.setHeader(KafkaConstants.KEY, "u_1");
        TopicPartition topicPartition = new TopicPartition("dvd_clicks", partition);
        message.setHeader(KafkaConstants.MANUAL_COMMIT, new DefaultKafkaManualCommit(
                new KafkaManualCommitFactory.CamelExchangePayload(exchange, consumer, "test", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(topicPartition, offset, 1_000)) {
            @Override
            public void commit() {
                throw new AssertionError("the ingest commits through the consumer, up to an offset");
            }
        });
        message.setBody(value);
        return exchange;
    }

    private static byte[] valid(int partition, long offset) {
        String eventId = String.format("%08x-0000-4000-8000-%012x", partition, offset);
        return ("{\"event_id\":\"" + eventId + "\",\"event_ts\":\"2024-05-01 10:00:00.000\",\"user_id\":\"u_1\","
                + "\"session_id\":\"s_1\",\"film_id\":7,\"event_type\":\"view\",\"page\":\"browse\",\"position\":1,"
                + "\"device\":\"web\",\"referrer\":\"search\"}").getBytes(StandardCharsets.UTF_8);
    }
}
