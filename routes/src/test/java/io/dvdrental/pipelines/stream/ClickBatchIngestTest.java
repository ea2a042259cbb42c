package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The partition, cut, redelivery, gap and high-water-mark logic of the ingest, against an in-memory store that
 * deduplicates tokens within a window as ClickHouse does. No Kafka, no ClickHouse, no Camel route.
 */
class ClickBatchIngestTest {

    private static final String TOPIC = "dvd_clicks";
    /** The consumer whose rounds these are, and another one of the same server. */
    private static final Object CONSUMER = new Object();
    private static final Object OTHER_CONSUMER = new Object();
    private static final Duration MAX_AGE = Duration.ofMillis(500);

    private final InMemoryClickStore store = new InMemoryClickStore(1_000);
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, String> topicIds = new HashMap<>(Map.of(TOPIC, "first-topic-id"));
    /** Committed offset per partition (the offset after the last committed record, as Kafka keeps it). */
    private final Map<Integer, Long> committed = new HashMap<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    /** The ingest's clock (nanoTime), moved on by the tests. */
    private final AtomicLong now = new AtomicLong();
    /** Rows of a partition that make an insert: unless a test says otherwise, each round's rows are inserted at once. */
    private int insertRows = 1;
    private ClickBatchIngest ingest = ingest(store);

    private ClickBatchIngest ingest(InMemoryClickStore into) {
        return ingest(into, deadLetters::addAll);
    }

    private ClickBatchIngest ingest(InMemoryClickStore into, DeadLetterSender letters) {
        return new ClickBatchIngest(into, () -> ReferenceSnapshot.EMPTY, letters, topicIds::get,
                new ClickParser(Clock.systemUTC(), Duration.ofMinutes(5)), new SimpleMeterRegistry(), workers,
                insertRows, MAX_AGE, now::get);
    }

    @AfterEach
    void stopWorkers() {
        workers.shutdownNow();
    }

    @Test
    void aPollIsInsertedAsOneBatchPerPartitionAndCommittedUpToItsLastRecord() {
        round(records(0, 0, 9, "a"), records(1, 0, 4, "a"));
        assertThat(stored(store, "a")).isEqualTo(15);
        assertThat(store.insertedTokens).containsExactlyInAnyOrder("dvd_clicks-first-topic-id-0-0-9",
                "dvd_clicks-first-topic-id-1-0-4");
        assertThat(committed).containsEntry(0, 10L).containsEntry(1, 5L);
    }

    @Test
    void aBatchWhoseInsertCrashedIsCutAlongItsRangeAgainHoweverItIsPolledAgain() {
        store.failNextInsert();
        assertThatThrownBy(() -> round(records(0, 0, 99, "a"))).isInstanceOf(CompletionException.class);
        assertThat(committed).isEmpty();
        // Polled again from the committed offset in smaller pieces: the first half waits for the rest of its range.
        round(records(0, 0, 49, "a"));
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        round(records(0, 50, 99, "a"));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(store.insertedTokens).containsExactly("dvd_clicks-first-topic-id-0-0-99");
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void aRoundPolledAgainAfterItsInsertIsSkippedAndCommitted() {
        round(records(0, 0, 99, "a"));
        committed.clear();
        round(records(0, 0, 99, "a"));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void aRewindPastTheDeduplicationWindowStoresNothingTwice() {
        InMemoryClickStore smallWindow = new InMemoryClickStore(2);
        ingest = ingest(smallWindow);
        for (int wave = 0; wave < 5; wave++) {
            round(records(0, wave * 20L, wave * 20L + 19, "a"));
        }
        assertThat(stored(smallWindow, "a")).isEqualTo(100);
        // The group's offsets back to 0, as an operator's rewind or an expired group would do.
        round(records(0, 0, 99, "a"));
        assertThat(stored(smallWindow, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
        round(records(0, 100, 109, "b"));
        assertThat(stored(smallWindow, "b")).isEqualTo(10);
    }

    @Test
    void aServerFrozenBetweenItsPollAndItsInsertDoublesNothingTheNextOwnerStoredCutOtherwise() {
        // The next owner of partition 0 stores offsets 0..99 in two rounds while this server, frozen, holds them all.
        ClickBatchIngest nextOwner = ingest(store);
        store.beforeNextRange(() -> {
            nextOwner.ingest(OTHER_CONSUMER, records(0, 0, 49, "a"), Set.of()).forEach(Runnable::run);
            nextOwner.ingest(OTHER_CONSUMER, records(0, 50, 99, "a"), Set.of()).forEach(Runnable::run);
        });
        round(records(0, 0, 99, "a"));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(store.insertedTokens).contains("dvd_clicks-first-topic-id-0-0-49",
                "dvd_clicks-first-topic-id-0-50-99", "dvd_clicks-first-topic-id-0-0-99");
    }

    @Test
    void recordsOfAPartitionNoLongerAssignedAreLeftToItsNextOwnerAndReadAgainWhenItComesBack() {
        // Partition 0 is revoked between two polls of the round: its records wait in the round but are not ours.
        poll(records(0, 0, 59, "a"));
        revoke(0);
        poll(records(1, 0, 9, "a"));
        handOver();
        assertThat(stored(store, "a")).isEqualTo(10);
        assertThat(committed).containsEntry(1, 10L).doesNotContainKey(0);
        // Assigned again, it is read from its committed offset.
        poll(records(0, 0, 59, "a"));
        handOver();
        assertThat(stored(store, "a")).isEqualTo(70);
        assertThat(committed).containsEntry(0, 60L);
    }

    @Test
    void aTopicCreatedAgainUnderTheSameNameKeepsEveryClickThoughItsOffsetsRepeat() {
        round(records(0, 0, 99, "old"));
        topicIds.put(TOPIC, "second-topic-id");
        // The new topic starts again at offset 0, fewer records than the old range.
        round(records(0, 0, 59, "new"));
        assertThat(stored(store, "new")).isEqualTo(60);
        assertThat(store.insertedTokens).contains("dvd_clicks-second-topic-id-0-0-59");
        assertThat(committed).containsEntry(0, 60L);
    }

    @Test
    void aGapInTheOffsetsKeepsTheRecordsThatWaitForTheirRange() {
        // Offsets 0..100 with a transaction marker at 50: the batch [0, 100] is written down and its insert crashes.
        List<ClickBatchIngest.Polled> all = new ArrayList<>(records(0, 0, 49, "a"));
        all.addAll(records(0, 51, 100, "a"));
        store.failNextInsert();
        assertThatThrownBy(() -> round(all)).isInstanceOf(CompletionException.class);
        // Polled again: the first poll ends just before the marker, the next one starts after it.
        round(all.subList(0, 50));
        assertThat(committed).isEmpty();
        round(all.subList(50, 100));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(store.insertedTokens).containsExactly("dvd_clicks-first-topic-id-0-0-100");
        assertThat(committed).containsEntry(0, 101L);
    }

    @Test
    void badRecordsGoToTheDeadLettersWithTheirReasonAndTheRestIsStored() {
        List<ClickBatchIngest.Polled> polled = new ArrayList<>(records(2, 0, 4, "a"));
        polled.add(new ClickBatchIngest.Polled(TOPIC, 2, 5, "k", "not json".getBytes(StandardCharsets.UTF_8),
                next -> committed.put(2, next)));
        polled.addAll(records(2, 6, 10, "a"));
        round(polled);
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.offset()).isEqualTo(5);
            assertThat(letter.rejection().describe()).startsWith("not_json: ");
        });
        assertThat(stored(store, "a")).isEqualTo(10);
        assertThat(committed).containsEntry(2, 11L);
    }

    @Test
    void aRecordWithoutAValueIsADeadLetterAndHoldsNothing() {
        List<ClickBatchIngest.Polled> polled = new ArrayList<>(records(1, 0, 2, "a"));
        polled.add(new ClickBatchIngest.Polled(TOPIC, 1, 3, "tombstone", null, next -> committed.put(1, next)));
        polled.addAll(records(1, 4, 6, "a"));
        round(polled);
        assertThat(deadLetters).singleElement().satisfies(letter -> assertThat(letter.offset()).isEqualTo(3));
        assertThat(stored(store, "a")).isEqualTo(6);
        assertThat(committed).containsEntry(1, 7L);
    }

    @Test
    void aDeadLetterThatCannotBeSentFailsTheRoundAndCommitsNothing() {
        ingest = ingest(store, letters -> {
            throw new IllegalStateException("dead-letter topic away");
        });
        List<ClickBatchIngest.Polled> polled = new ArrayList<>(records(0, 0, 3, "a"));
        polled.add(new ClickBatchIngest.Polled(TOPIC, 0, 4, "k", new byte[]{(byte) 0xFF}, next -> committed.put(0, next)));
        assertThatThrownBy(() -> round(polled)).isInstanceOf(CompletionException.class);
        assertThat(committed).isEmpty();
    }

    @Test
    void roundsOfAPartitionMakeOneInsertOnceTheyReachInsertRowsAndTheCommitFollowsIt() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 3_999, "a"));
        round(records(0, 4_000, 7_999, "a"));
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        round(records(0, 8_000, 11_999, "a"));
        assertThat(stored(store, "a")).isEqualTo(12_000);
        assertThat(store.insertedTokens).containsExactly("dvd_clicks-first-topic-id-0-0-11999");
        assertThat(committed).containsEntry(0, 12_000L);
    }

    @Test
    void aPartitionAtLeastInsertRowsBehindInsertsItsRowsAtInsertRowsNotOnceTheyHaveWaited() {
        insertRows = 100;
        ingest = ingest(store);
        Set<TopicPartition> behind = Set.of(new TopicPartition(TOPIC, 0));
        ingest.ingest(CONSUMER, records(0, 0, 49, "a"), behind).forEach(Runnable::run);
        later(MAX_AGE);
        ingest.ingest(CONSUMER, records(0, 50, 59, "a"), behind).forEach(Runnable::run);
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        ingest.ingest(CONSUMER, records(0, 60, 119, "a"), behind).forEach(Runnable::run);
        assertThat(stored(store, "a")).isEqualTo(120);
        assertThat(committed).containsEntry(0, 120L);
        // Caught up: the rows go in once the oldest has waited long enough, however few.
        ingest.ingest(CONSUMER, records(0, 120, 129, "a"), Set.of()).forEach(Runnable::run);
        assertThat(stored(store, "a")).isEqualTo(120);
        later(MAX_AGE);
        ingest.ingest(CONSUMER, records(0, 130, 139, "a"), Set.of()).forEach(Runnable::run);
        assertThat(stored(store, "a")).isEqualTo(140);
        assertThat(committed).containsEntry(0, 140L);
    }

    @Test
    void aPartitionAtLeastInsertRowsBehindKeepsItsRowsWaitingThroughRoundsOfItsConsumersOtherPartition() {
        insertRows = 100;
        ingest = ingest(store);
        Set<TopicPartition> behind = Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        ingest.ingest(CONSUMER, records(0, 0, 49, "a"), behind).forEach(Runnable::run);
        later(MAX_AGE);
        // Rounds of the consumer's other partition (a fetch of it) while partition 0's rows wait for insert-rows.
        ingest.ingest(CONSUMER, records(1, 0, 59, "b"), behind).forEach(Runnable::run);
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).doesNotContainKey(0);
        ingest.ingest(CONSUMER, records(0, 50, 99, "a"), behind).forEach(Runnable::run);
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(store.insertedTokens).contains("dvd_clicks-first-topic-id-0-0-99");
        // Caught up: what waited long enough goes in during the other partition's rounds again.
        ingest.ingest(CONSUMER, records(0, 100, 109, "a"), Set.of()).forEach(Runnable::run);
        later(MAX_AGE);
        ingest.ingest(CONSUMER, records(1, 60, 69, "b"), Set.of(new TopicPartition(TOPIC, 1))).forEach(Runnable::run);
        assertThat(stored(store, "a")).isEqualTo(110);
        assertThat(committed).containsEntry(0, 110L);
    }

    @Test
    void deadLettersWaitWithTheirRoundsRowsAndAreSentBeforeTheCommitThatCoversThem() {
        insertRows = 10_000;
        ingest = ingest(store);
        List<ClickBatchIngest.Polled> polled = new ArrayList<>(records(0, 0, 49, "a"));
        polled.add(new ClickBatchIngest.Polled(TOPIC, 0, 50, "k", "not json".getBytes(StandardCharsets.UTF_8),
                next -> committed.put(0, next)));
        round(polled);
        assertThat(deadLetters).isEmpty();
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        // The next round comes after the rows have waited long enough: they go in with the letter, then the commit.
        later(MAX_AGE);
        round(records(0, 51, 60, "a"));
        assertThat(deadLetters).singleElement().satisfies(letter -> assertThat(letter.offset()).isEqualTo(50));
        assertThat(stored(store, "a")).isEqualTo(60);
        assertThat(committed).containsEntry(0, 61L);
    }

    @Test
    void deadLettersAloneWaitLikeRowsAndAreSentBeforeTheirCommitWhichASendThatFailsHoldsBack() {
        List<Map<Integer, Long>> committedAtSend = new ArrayList<>();
        AtomicBoolean topicAway = new AtomicBoolean(true);
        ingest = ingest(store, letters -> {
            if (topicAway.get()) {
                throw new IllegalStateException("dead-letter topic away");
            }
            committedAtSend.add(Map.copyOf(committed));
            deadLetters.addAll(letters);
        });
        List<ClickBatchIngest.Polled> bad = List.of(
                new ClickBatchIngest.Polled(TOPIC, 0, 0, "k", "not json".getBytes(StandardCharsets.UTF_8),
                        next -> committed.put(0, next)),
                new ClickBatchIngest.Polled(TOPIC, 0, 1, "k", null, next -> committed.put(0, next)));
        round(bad);
        later(MAX_AGE);
        ingest.idle(CONSUMER);
        assertThat(committed).isEmpty();
        // Tried again after an empty poll a while later, the topic back.
        topicAway.set(false);
        later(Duration.ofSeconds(2));
        ingest.idle(CONSUMER);
        assertThat(deadLetters).extracting(DeadLetter::offset).containsExactly(0L, 1L);
        assertThat(committedAtSend).singleElement().isEqualTo(Map.of());
        assertThat(committed).containsEntry(0, 2L);
    }

    @Test
    void deadLettersOfAPartitionAreSentWithoutWaitingForItsInsertOnceTheyReachAMebibyte() {
        insertRows = 10_000;
        ingest = ingest(store);
        byte[] bad = new byte[64 * 1024];
        Arrays.fill(bad, (byte) 'x');
        List<ClickBatchIngest.Polled> polled = new ArrayList<>(records(0, 0, 9, "a"));
        int letters = ClickBatchIngest.LETTER_BYTES / bad.length;
        for (int i = 0; i < letters; i++) {
            polled.add(new ClickBatchIngest.Polled(TOPIC, 0, 10 + i, "k", bad, next -> committed.put(0, next)));
        }
        round(polled.subList(0, polled.size() - 1));
        assertThat(deadLetters).isEmpty();
        round(polled.subList(polled.size() - 1, polled.size()));
        assertThat(deadLetters).hasSize(letters);
        // The rows still wait for their insert, and so does the commit.
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
    }

    @Test
    void rowsWaitingLongerThanMaxWaitAreInsertedAndCommittedAfterAnEmptyPollOfTheirConsumer() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 99, "a"));
        later(MAX_AGE.minusMillis(1));
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isZero();
        later(Duration.ofMillis(1));
        // Only the consumer that polled the partition inserts and commits it, on its own thread.
        ingest.idle(OTHER_CONSUMER);
        assertThat(stored(store, "a")).isZero();
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void aRoundInsertsAndCommitsWhatHasWaitedLongEnoughOfItsConsumersOtherPartitions() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 99, "a"));
        later(MAX_AGE);
        roundOf(OTHER_CONSUMER, records(1, 0, 9, "b"));
        assertThat(stored(store, "a")).isZero();
        round(records(2, 0, 9, "b"));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L).doesNotContainKeys(1, 2);
    }

    @Test
    void aPartitionRevokedWithRowsWaitingInsertsNothingAndCommitsNothingItsNextOwnerReadsThem() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 99, "a"));
        ingest.revoked(CONSUMER, List.of(new TopicPartition(TOPIC, 0)));
        later(MAX_AGE.multipliedBy(2));
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        // Its next owner (here the other consumer) reads it from the committed offset.
        roundOf(OTHER_CONSUMER, records(0, 0, 99, "a"));
        later(MAX_AGE);
        ingest.idle(OTHER_CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void aStaleRoundOfTheConsumerAPartitionLeftKeepsTheRowsItsNextOwnerHasWaiting() {
        insertRows = 10_000;
        ingest = ingest(store);
        poll(records(0, 0, 59, "a"));
        handOver();
        poll(records(0, 60, 99, "a"));
        revoke(0);
        // The other consumer of this server owns it now and reads it from the committed offset.
        roundOf(OTHER_CONSUMER, records(0, 0, 59, "a"));
        // The first consumer's round still held records of it, polled before the rebalance: they are not its own.
        handOver();
        roundOf(OTHER_CONSUMER, records(0, 60, 99, "a"));
        later(MAX_AGE);
        ingest.idle(OTHER_CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void aPartitionLostLateByOneConsumerKeepsTheRowsItsNextOwnerHasWaiting() {
        insertRows = 10_000;
        ingest = ingest(store);
        roundOf(OTHER_CONSUMER, records(0, 0, 59, "a"));
        // A consumer that owned it before (its session expired) learns only now that it lost it.
        ingest.revoked(CONSUMER, List.of(new TopicPartition(TOPIC, 0)));
        roundOf(OTHER_CONSUMER, records(0, 60, 99, "a"));
        later(MAX_AGE);
        ingest.idle(OTHER_CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
    }

    @Test
    void recordsPolledBeforeARebalanceThatGaveThePartitionBackAreNotTakenForItsNewReading() {
        insertRows = 10_000;
        ingest = ingest(store);
        poll(records(0, 0, 99, "a"));
        handOver();
        // Offsets 100..149 polled and waiting in camel-kafka's round when a rebalance revokes partition 0 and
        // assigns it back: its waiting rows are dropped, and it is read again from the committed offset.
        poll(records(0, 100, 149, "a"));
        revoke(0);
        poll(records(0, 0, 149, "a"));
        handOver();
        later(MAX_AGE);
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(150);
        assertThat(committed).containsEntry(0, 150L);
    }

    @Test
    void recordsPolledBeforeARebalanceThatGaveThePartitionBackAreNotInsertedAloneBeforeItsNewReading() {
        insertRows = 10_000;
        ingest = ingest(store);
        poll(records(0, 0, 99, "a"));
        handOver();
        poll(records(0, 100, 149, "a"));
        revoke(0);
        // The round holding only the records polled before ends, and they wait long enough for an idle insert.
        handOver();
        later(MAX_AGE);
        ingest.idle(CONSUMER);
        poll(records(0, 0, 149, "a"));
        handOver();
        later(MAX_AGE);
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(150);
        assertThat(committed).containsEntry(0, 150L);
    }

    @Test
    void aRoundOfAConsumerThatDoesNotKnowYetItLostItsPartitionKeepsOutOfTheRowsOfItsNextOwnerHere() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 99, "a"));
        // The server was frozen past the session timeout: the other consumer of this server has partition 0 now and
        // reads it from the committed offset, before the first consumer has polled again (and heard it lost it).
        roundOf(OTHER_CONSUMER, records(0, 0, 59, "a"));
        // The first consumer's round of records it polled before the freeze: inserted, its commit refused (fenced).
        later(MAX_AGE);
        List<Runnable> refused = ingest.ingest(CONSUMER, records(0, 100, 149, "a"), Set.of());
        assertThat(refused).isNotEmpty();
        ingest.revoked(CONSUMER, List.of(new TopicPartition(TOPIC, 0)));
        roundOf(OTHER_CONSUMER, records(0, 60, 149, "a"));
        later(MAX_AGE);
        ingest.idle(OTHER_CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(150);
        assertThat(committed).containsEntry(0, 150L);
    }

    @Test
    void anIdleInsertThatFailedIsTriedAgainAlongTheSameRangeWithTheRecordsThatCameSince() {
        insertRows = 10_000;
        ingest = ingest(store);
        round(records(0, 0, 99, "a"));
        later(MAX_AGE);
        store.failNextInsert();
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isZero();
        assertThat(committed).isEmpty();
        // The range written down before the failure is complete: it goes in with the next round, the rest waits.
        round(records(0, 100, 149, "a"));
        assertThat(stored(store, "a")).isEqualTo(100);
        assertThat(committed).containsEntry(0, 100L);
        later(Duration.ofSeconds(1).plus(MAX_AGE));
        ingest.idle(CONSUMER);
        assertThat(stored(store, "a")).isEqualTo(150);
        assertThat(store.insertedTokens).containsExactly("dvd_clicks-first-topic-id-0-0-99",
                "dvd_clicks-first-topic-id-0-100-149");
        assertThat(committed).containsEntry(0, 150L);
    }

    @Test
    void aCrashWithInsertedAndWaitingRowsUncommittedLosesAndDoublesNothing() {
        insertRows = 10_000;
        ingest = ingest(store);
        // Partition 0's rows inserted, the server killed before their commit; partition 1's rows waiting.
        round(records(0, 0, 4_999, "a"));
        later(MAX_AGE);
        List<Runnable> commitsNeverMade = ingest.ingest(CONSUMER, records(1, 0, 2_999, "b"), Set.of());
        assertThat(commitsNeverMade).hasSize(1);
        assertThat(stored(store, "a")).isEqualTo(5_000);
        assertThat(stored(store, "b")).isZero();
        assertThat(committed).isEmpty();
        // kill -9: a new server on the same store reads both again from their committed offsets.
        ingest = ingest(store);
        round(records(0, 0, 4_999, "a"), records(1, 0, 2_999, "b"));
        later(MAX_AGE);
        round(records(1, 3_000, 3_999, "b"));
        assertThat(stored(store, "a")).isEqualTo(5_000);
        assertThat(stored(store, "b")).isEqualTo(4_000);
        assertThat(committed).containsEntry(0, 5_000L).containsEntry(1, 4_000L);
    }

    /** Clicks stored in {@code into} whose records were made with {@code idPrefix}. */
    private static long stored(InMemoryClickStore into, String idPrefix) {
        return into.rows(eventIdPrefix(idPrefix));
    }

    private static String eventIdPrefix(String idPrefix) {
        return String.format("%08x", Math.abs(idPrefix.hashCode()));
    }

    @SafeVarargs
    private void round(List<ClickBatchIngest.Polled>... partitions) {
        roundOf(CONSUMER, partitions);
    }

    /** A round of {@code consumer}'s, its commits made as the route's commit step makes them. */
    @SafeVarargs
    private void roundOf(Object consumer, List<ClickBatchIngest.Polled>... partitions) {
        List<ClickBatchIngest.Polled> all = new ArrayList<>();
        for (List<ClickBatchIngest.Polled> partition : partitions) {
            all.addAll(partition);
        }
        ingest.ingest(consumer, all, Set.of()).forEach(Runnable::run);
    }

    /** What CONSUMER polled that camel-kafka has not handed over yet (its round), in poll order, as it counts it. */
    private final List<ClickBatchIngest.Polled> round = new ArrayList<>();
    private final QueuedRecords queued = new QueuedRecords();

    /** CONSUMER polls records of one partition. */
    private void poll(List<ClickBatchIngest.Polled> records) {
        round.addAll(records);
        queued.polled(new TopicPartition(TOPIC, records.get(0).partition()), records.size());
    }

    /** A rebalance (inside a poll of CONSUMER) revokes the partition, as ClickConsumerFactory's listener tells it. */
    private void revoke(int partition) {
        List<TopicPartition> revoked = List.of(new TopicPartition(TOPIC, partition));
        queued.revoked(revoked);
        ingest.revoked(CONSUMER, revoked);
    }

    /** camel-kafka hands CONSUMER's round over to the route, whose commit step follows. */
    private void handOver() {
        ingest.ingest(CONSUMER, ingest.current(queued, round), Set.of()).forEach(Runnable::run);
        round.clear();
    }

    private void later(Duration wait) {
        now.addAndGet(wait.toNanos());
    }

    private List<ClickBatchIngest.Polled> records(int partition, long first, long last, String idPrefix) {
        return LongStream.rangeClosed(first, last).mapToObj(offset -> record(partition, offset, idPrefix)).toList();
    }

    /** A valid click whose event id starts with the prefix (hex) and is the same whenever the offset is polled. */
    private ClickBatchIngest.Polled record(int partition, long offset, String idPrefix) {
        String eventId = eventIdPrefix(idPrefix) + new UUID(partition, offset).toString().substring(8);
        String json = "{\"event_id\":\"" + eventId + "\",\"event_ts\":\"2024-05-01 10:00:00.000\",\"user_id\":\"u_1\","
                + "\"session_id\":\"s_1\",\"film_id\":7,\"event_type\":\"view\",\"page\":\"browse\",\"position\":1,"
                + "\"device\":\"web\",\"referrer\":\"search\"}";
        return new ClickBatchIngest.Polled(TOPIC, partition, offset, "u_1", json.getBytes(StandardCharsets.UTF_8),
                next -> committed.put(partition, next));
    }
}
