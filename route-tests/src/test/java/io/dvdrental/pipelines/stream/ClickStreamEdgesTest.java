package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once at the edges of Kafka's offsets, on the real services: a topic recreated under the same name (its
 * offsets start again at 0), an operator's rewind of the group past ClickHouse's deduplication window, a late insert
 * of a server whose partition moved on (the fence), and transactional producers (commit markers leave gaps in the
 * offsets; aborted records must never be stored).
 */
@RealServicesTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ClickStreamEdgesTest {

    /** Raw table and every view target: the tables whose deduplication window a rewind must not depend on. */
    @Autowired
    CamelContext camel;
    @Autowired
    StreamProperties stream;
    @Autowired
    ClickStore clickStore;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private StreamTestSupport support;

    @BeforeEach
    void startIngest() throws Exception {
        support = new StreamTestSupport(brokers, warehouse);
        StreamTestSupport.startIngest(camel);
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());
    }

    @AfterEach
    void close() throws Exception {
        for (String table : StreamTestSupport.CLICK_TABLES) {
            warehouse.getJdbcTemplate().execute("ALTER TABLE " + table
                    + " MODIFY SETTING non_replicated_deduplication_window = 10000");
        }
        support.close();
    }

    @Test
    void clicksOfARecreatedTopicAreAllStoredThoughTheirOffsetsRepeat() throws Exception {
        TestClicks before = new TestClicks(StreamTestSupport.filmIds(20), 60, 0);
        produce(before, 2_000);
        support.awaitStored(before, 2_000, stream.groupId(), stream.topic(), stream.partitions());
        assertThat(support.totals(before)).isEqualTo(StreamTestSupport.once(2_000));

        camel.getRouteController().stopRoute(ClickIngestRoute.ROUTE_ID);
        support.recreateTopic(stream.topic(), stream.partitions());
        StreamTestSupport.startIngest(camel);

        // Fewer clicks than before: every offset of the new topic was an offset of the old one.
        TestClicks after = new TestClicks(StreamTestSupport.filmIds(20), 60, 0);
        produce(after, 1_200);
        support.awaitStored(after, 1_200, stream.groupId(), stream.topic(), stream.partitions());
        assertThat(support.totals(after)).isEqualTo(StreamTestSupport.once(1_200));
    }

    @Test
    void aRewindOfTheGroupPastTheDeduplicationWindowDoublesNothing() throws Exception {
        // A window of 2 inserts stands for the 10,000 of production: the waves below make more inserts than that.
        for (String table : StreamTestSupport.CLICK_TABLES) {
            warehouse.getJdbcTemplate().execute("ALTER TABLE " + table
                    + " MODIFY SETTING non_replicated_deduplication_window = 2");
        }
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(20), 70, 0);
        int produced = 0;
        for (int wave = 0; wave < 5; wave++) {
            produce(clicks, 300);
            produced += 300;
            support.awaitStored(clicks, produced, stream.groupId(), stream.topic(), stream.partitions());
        }
        assertThat(support.totals(clicks)).isEqualTo(StreamTestSupport.once(produced));

        camel.getRouteController().stopRoute(ClickIngestRoute.ROUTE_ID);
        support.rewindGroup(stream.groupId(), stream.topic(), stream.partitions());
        StreamTestSupport.startIngest(camel);
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());

        assertThat(support.totals(clicks)).isEqualTo(StreamTestSupport.once(produced));
    }

    @Test
    void aLateInsertOfRecordsTheNextOwnerStoredCutOtherwiseDoublesNothing() throws Exception {
        // Two servers on one partition, as after a freeze past the session timeout: the next owner stored offsets
        // 0..59 as two batches; the frozen one wakes up and inserts 0..99 as one (another token), then 100..119.
        ClickPartition partition = new ClickPartition("clicks-fence-" + UUID.randomUUID(), UUID.randomUUID().toString(), 0);
        int film = 900_000 + (int) (Math.random() * 90_000);
        clickStore.insertClicks(partition, new Range(0, 29), clicks(partition, film, 0, 29));
        clickStore.insertClicks(partition, new Range(30, 59), clicks(partition, film, 30, 59));
        clickStore.insertClicks(partition, new Range(0, 99), clicks(partition, film, 0, 99));
        clickStore.insertClicks(partition, new Range(100, 119), clicks(partition, film, 100, 119));

        Map<String, Object> topic = Map.of("id", partition.topicId(), "film", film);
        assertThat(warehouse.queryForObject("SELECT count() FROM stream.dvd_clicks WHERE kafka_topic_id = :id", topic,
                Long.class)).isEqualTo(120);
        assertThat(warehouse.queryForObject("SELECT uniqExact(kafka_offset) FROM stream.dvd_clicks"
                + " WHERE kafka_topic_id = :id", topic, Long.class)).isEqualTo(120);
        assertThat(warehouse.queryForObject("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE film_id = :film",
                topic, Long.class)).isEqualTo(120);
        assertThat(clickStore.progress(partition, 0).highWater()).isEqualTo(119L);
    }

    /** Valid clicks of one film, one per offset, as the route writes them. */
    private static ClickBlock clicks(ClickPartition partition, int film, long first, long last) {
        ClickParser parser = new ClickParser(Clock.systemUTC(), Duration.ofMinutes(5));
        ClickFields fields = new ClickFields();
        ClickRows clicks = new ClickRows().start(partition, ReferenceSnapshot.EMPTY, (int) (last - first + 1));
        for (long offset = first; offset <= last; offset++) {
            String json = "{\"event_id\":\"" + new UUID(film, offset) + "\",\"event_ts\":\"2024-05-01 10:00:00.000\","
                    + "\"user_id\":\"u_1\",\"session_id\":\"s_1\",\"film_id\":" + film + ",\"event_type\":\"view\","
                    + "\"page\":\"browse\",\"position\":1,\"device\":\"web\",\"referrer\":\"search\"}";
            assertThat(parser.read(json.getBytes(StandardCharsets.UTF_8), fields)).isNull();
            clicks.add(fields, offset);
        }
        return clicks.slice(0, clicks.count());
    }

    @Test
    void committedTransactionsAreStoredOnceAndAbortedOnesNever() throws Exception {
        TestClicks committed = new TestClicks(StreamTestSupport.filmIds(20), 80, 0);
        TestClicks aborted = new TestClicks(StreamTestSupport.filmIds(20), 80, 0);
        int stored = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "clicks-edges-" + UUID.randomUUID()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (int transaction = 0; transaction < 8; transaction++) {
                boolean commit = transaction % 3 != 1;
                TestClicks clicks = commit ? committed : aborted;
                producer.beginTransaction();
                // Small transactions, each over every partition: a commit or abort marker after each of them.
                for (int i = 0; i < 150; i++) {
                    Click click = clicks.next();
                    producer.send(new ProducerRecord<>(stream.topic(), click.key(), click.value()));
                }
                if (commit) {
                    producer.commitTransaction();
                    stored += 150;
                } else {
                    producer.abortTransaction();
                }
            }
        }
        support.awaitStored(committed, stored, stream.groupId(), stream.topic(), stream.partitions());

        assertThat(support.totals(committed)).as(() -> "clicks of committed transactions, stored from "
                + support.sources(committed)).isEqualTo(StreamTestSupport.once(stored));
        assertThat(support.totals(aborted)).as(() -> "clicks of aborted transactions, stored from "
                + support.sources(aborted)).isEqualTo(StreamTestSupport.once(0));
    }

    private void produce(TestClicks clicks, int count) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(support.send(stream.topic(), clicks.next()));
        }
        support.flush();
        for (Future<RecordMetadata> click : sent) {
            click.get(); // a click Kafka refused is the test's failure, not the pipeline's
        }
    }
}
