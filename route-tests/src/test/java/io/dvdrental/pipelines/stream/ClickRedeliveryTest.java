package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.support.RealServicesTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once under redelivery: the ingest route crashes after a round's rows are in ClickHouse and before its
 * offsets are committed, and is restarted. The redelivered records are cut into the same batches, carry the same
 * deduplication tokens, and no click is counted twice in the raw table or in any view.
 */
@RealServicesTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ClickRedeliveryTest {

    @Autowired
    CamelContext camel;
    @Autowired
    StreamProperties stream;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private static final int PRODUCED = 4_000;

    private StreamTestSupport support;
    private final AtomicBoolean armed = new AtomicBoolean(false);
    private final CountDownLatch inserted = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void crashBetweenInsertAndCommitOnce() throws Exception {
        support = new StreamTestSupport(brokers, warehouse);
        // Advising restarts the route: the consumers start afresh from the committed offsets, whatever an earlier
        // test class left. The crash stays disarmed until the test has caught up and produces its own clicks.
        AdviceWith.adviceWith(camel, ClickIngestRoute.ROUTE_ID, route -> route.weaveById(ClickIngestRoute.COMMIT)
                .before().process(this::crashOnce));
        StreamTestSupport.startIngest(camel);
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());
    }

    @AfterEach
    void close() {
        release.countDown();
        support.close();
    }

    /** Crashes the first round that inserted rows (it has commits to make), before it commits. */
    private void crashOnce(Exchange round) throws InterruptedException {
        List<?> commits = round.getProperty(ClickBatchIngest.COMMITS, List.class);
        if (commits == null || commits.isEmpty() || !armed.compareAndSet(true, false)) {
            return;
        }
        inserted.countDown();
        release.await(2, TimeUnit.MINUTES);
        throw new IllegalStateException("simulated crash after the insert, before the commit");
    }

    @Test
    void aRoundRedeliveredAfterACrashBetweenInsertAndCommitIsCountedOnceEverywhere() throws Exception {
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(20), 113, 0);
        Set<Integer> users = produceWithACrash(clicks);
        release.countDown();
        // The crash breaks the round, whose consumer reads its partitions again from the committed offsets; and a full
        // stop and start at once (the stop may pause the consumer before it reconnects: it polls on).
        camel.getRouteController().stopRoute(ClickIngestRoute.ROUTE_ID);
        StreamTestSupport.startIngest(camel);

        assertEveryClickOnceEverywhere(clicks, users);
    }

    /**
     * The crash comes while the consumers are paused (as a stopping route pauses them): camel-kafka does not reconnect
     * a paused consumer after the failed round; it drops the rest of that poll and polls on. A rebalance, then the
     * consumers resume. What the failed round's consumer had polled must not be held back from its reading again as
     * stale, nor its dropped records passed over.
     */
    @Test
    void aRoundThatFailsWhileItsConsumerIsPausedLosesNothingThroughARebalance() throws Exception {
        TestClicks clicks = new TestClicks(StreamTestSupport.filmIds(20), 127, 0);
        Set<Integer> users = produceWithACrash(clicks);
        Consumer consumers = camel.getRoute(ClickIngestRoute.ROUTE_ID).getConsumer();
        ServiceHelper.suspendService(consumers);
        release.countDown();
        support.rebalance(stream.groupId(), stream.topic());
        ServiceHelper.resumeService(consumers);

        assertEveryClickOnceEverywhere(clicks, users);
    }

    /**
     * Produces the test's clicks at about 2,000 a second, so that rounds keep coming while rows wait for their insert
     * (inserts made by rounds, not after an idle poll, which commits at once), until the first round that inserted
     * rows is held before its commit; checks that rows are stored beyond the committed offsets then. The crash comes
     * once the test counts down {@link #release}. Returns the clicks' users.
     */
    private Set<Integer> produceWithACrash(TestClicks clicks) throws Exception {
        Set<Integer> users = new HashSet<>();
        armed.set(true);
        for (int i = 0; i < PRODUCED; i++) {
            Click click = clicks.next();
            users.add(TestClicks.user(click));
            support.send(stream.topic(), click);
            if (i % 20 == 19) {
                Thread.sleep(10);
            }
        }
        support.flush();

        assertThat(inserted.await(60, TimeUnit.SECONDS)).as("a round that inserted rows reached the commit step")
                .isTrue();
        Map<Integer, Long> committed = support.committed(stream.groupId(), stream.topic());
        // This test's clicks only: a topic created again under the same name reuses offsets.
        Map<Integer, Long> stored = new TreeMap<>();
        for (Map<String, Object> row : warehouse.getJdbcTemplate().queryForList("SELECT kafka_partition AS partition,"
                + " max(kafka_offset) AS last FROM stream.dvd_clicks WHERE kafka_topic = '" + stream.topic() + "' AND "
                + clicks.window("event_ts") + " GROUP BY kafka_partition")) {
            stored.put(((Number) row.get("partition")).intValue(), ((Number) row.get("last")).longValue());
        }
        assertThat(stored).as("stored beyond the committed offset, per partition: %s, committed %s", stored, committed)
                .anySatisfy((partition, last) -> assertThat(last).isGreaterThanOrEqualTo(
                        committed.getOrDefault(partition, 0L)));
        return users;
    }

    private void assertEveryClickOnceEverywhere(TestClicks clicks, Set<Integer> users) {
        // Offsets are committed only after their rows are in: caught up, every click is stored, or passed over, which
        // the counts show (waiting for the count instead would wait in vain). A consumer that does not catch up fails
        // here with the group's members and threads.
        support.awaitCaughtUp(stream.groupId(), stream.topic(), stream.partitions());

        String window = clicks.window("event_ts");
        assertThat(support.count("SELECT count() FROM stream.dvd_clicks WHERE " + window)).isEqualTo(PRODUCED);
        assertThat(support.count("SELECT uniqExact(event_id) FROM stream.dvd_clicks WHERE " + window)).isEqualTo(PRODUCED);
        assertThat(support.count("SELECT uniqExact(kafka_partition, kafka_offset) FROM stream.dvd_clicks WHERE " + window))
                .isEqualTo(PRODUCED);
        String minutes = clicks.window("minute");
        assertThat(support.count("SELECT sum(clicks) FROM stream.clicks_per_minute WHERE " + minutes)).isEqualTo(PRODUCED);
        assertThat(support.count("SELECT sum(clicks) FROM stream.device_event_per_minute WHERE " + minutes)).isEqualTo(PRODUCED);
        assertThat(support.count("SELECT sum(clicks) FROM stream.event_funnel_per_minute WHERE " + minutes)).isEqualTo(PRODUCED);
        assertThat(support.count("SELECT uniqCombinedMerge(users) FROM stream.users_per_minute WHERE " + minutes))
                .isEqualTo(users.size());
    }
}
