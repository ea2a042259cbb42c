package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Cut;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.clicks.Rejection;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ingest route's work: each round's records (what a Kafka consumer polled) parsed, per partition, straight into
 * RowBinary rows enriched on the way ({@link #insert}); a partition's rows inserted into the {@link ClickStore}, in
 * Native format, once they are {@code insert-rows} many or the oldest has waited about {@code max-wait} (not while the
 * consumer is {@code insert-rows} or more behind on the partition: {@link #behind}); then, as the route's next step,
 * the offsets up to the last record inserted (or dead-lettered) committed ({@link #commit}).
 *
 * <p>Rows, not records, are kept across rounds: ClickHouse's cost is mostly per insert statement (tens of ms through
 * the views, whatever the rows), so an insert should be much larger than a round, but camel-kafka holds every record
 * of a round as an exchange until the round ends. Per consumer and partition only the rows' bytes ({@link ClickRows}),
 * each record's offset and where its row ends, the commit of the newest record and the store's progress are kept. A
 * record the contract refuses waits with them as a dead letter and goes to the {@link DeadLetterSender} with the
 * partition's next insert, before the commit that covers it, or sooner once a partition's waiting letters reach
 * {@value #LETTER_BYTES} bytes (sent in every round that had one, they cost a broker round trip per round, during
 * which the consumer waited).
 *
 * <p>Exactly-once as before: each insert is an offset range ({@link OffsetBatchPlanner}) written down before the
 * insert, so a redelivery is cut along the same ranges and deduplicated by their tokens; the partition's high-water
 * mark (read with the ranges when a partition's reading starts, and fencing every insert in the store) skips what is
 * stored already, however old. Offsets are committed only after their rows are in, and only on the consumer's own
 * thread (its {@code KafkaConsumer} is single-threaded): by the round's commit step, or right after an insert
 * made when the consumer is idle.
 *
 * <p>camel-kafka's batching consumer does not call the route after an empty poll, so rows of a partition that went
 * quiet would wait for the next click; a timer route could insert them, but not commit them (only the consumer's
 * thread may), and an idle partition would show its stored rows as lag until the next click. So the consumers are
 * {@link ClickConsumerFactory}'s, which call {@link #idle} after a poll that brought nothing: on the consumer's thread,
 * it inserts the rows of its partitions that have waited long enough and commits them. A round does the same for the
 * consumer's partitions it brought nothing of. A revoked partition is forgotten, rows and all (they were never
 * committed: its next owner reads them), from the rebalance listener, before the rebalance goes on ({@link #revoked}).
 * Its next owner may be the same consumer (an eager rebalance revokes every partition and assigns most back), which
 * then reads it from the committed offset: what it polled of it before the rebalance, still in camel-kafka's round,
 * is left out ({@link #current}), so the rows start again at the committed offset. Inserting and committing the
 * waiting rows on revoke instead (as Kafka Connect does) would put ClickHouse inserts inside every rebalance, and still
 * need the stale records left out whenever that insert fails or the partition is lost (no commit possible).
 * Any failure in a round forgets all of its consumer's partitions too, and the consumer reads them again from the
 * committed offsets ({@link #failed}): camel-kafka drops the rest of the poll, and reconnects only a consumer that is
 * not paused. The logic is plain Java, tested against in-memory stores.
 */
@Component
public class ClickBatchIngest {

    /** Commits one partition up to an offset (the next to read); only on the thread of the consumer that polled it. */
    @FunctionalInterface
    interface Commit {
        void upTo(long nextOffset);
    }

    /** One polled record, with the means to commit its partition. */
    record Polled(String topic, int partition, long offset, String key, byte[] value, Commit commit) {
    }

    /** What a consumer keeps of a partition it reads, between rounds. Guarded by its own lock. */
    private static final class PartitionState {
        ClickPartition partition;
        /** The offset after the last one polled; -1 before the first poll. */
        long nextOffset = -1;
        long highWater;
        /** Ranges written down for the partition at or after the first record kept, by first offset. */
        final List<Range> known = new ArrayList<>();
        final ClickRows rows = new ClickRows();
        /** The records waiting for their insert: offset, and where its row ends in {@link #rows} (no row: as before). */
        long[] offsets = new long[1024];
        int[] rowEnds = new int[1024];
        int records;
        /** When the oldest waiting record came (nanoTime). */
        long oldestAt;
        /** The newest record's commit: any offset of the partition can be committed with it. */
        Commit commit;
        /** Refused records not sent yet, in offset order, and their bytes. */
        final List<DeadLetter> letters = new ArrayList<>(0);
        long letterBytes;
        /** The commit of what is inserted or dead-lettered and not committed yet; null if none. */
        Runnable pending;

        void append(long offset, int rowEnd, long now) {
            if (records == offsets.length) {
                offsets = Arrays.copyOf(offsets, records * 2);
                rowEnds = Arrays.copyOf(rowEnds, records * 2);
            }
            if (records == 0) {
                oldestAt = now;
            }
            offsets[records] = offset;
            rowEnds[records++] = rowEnd;
        }

        TopicPartition topicPartition() {
            return new TopicPartition(partition.topic(), partition.partition());
        }

        int rowStart(int record) {
            return record == 0 ? 0 : rowEnds[record - 1];
        }

        /** The first {@code handled} records are inserted or dead-lettered: forgets them, commits up to them. */
        void handled(int handled, int rowsHandled) {
            long next = offsets[handled - 1] + 1;
            Commit upTo = commit;
            pending = () -> upTo.upTo(next);
            int bytes = rowEnds[handled - 1];
            rows.dropFirst(bytes, rowsHandled);
            records -= handled;
            System.arraycopy(offsets, handled, offsets, 0, records);
            for (int i = 0; i < records; i++) {
                rowEnds[i] = rowEnds[handled + i] - bytes;
            }
            known.removeIf(range -> range.last() < next);
        }

        Runnable takePending() {
            Runnable commit = pending;
            pending = null;
            return commit;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClickBatchIngest.class);

    /** Exchange property: the commits the round makes, at most one per partition. */
    public static final String COMMITS = "dvdClickCommits";

    private static final long RETRY_NANOS = 1_000_000_000L;
    /** Bytes of dead letters a partition keeps before it sends them without waiting for its next insert. */
    static final int LETTER_BYTES = 1024 * 1024;

    private final ClickStore store;
    private final Supplier<ReferenceSnapshot> reference;
    private final DeadLetterSender deadLetters;
    private final TopicIds topicIds;
    private final ClickParser parser;
    private final ExecutorService partitionWorkers;
    private final int insertRows;
    /** How long the oldest rows of a partition wait before they are inserted however few. */
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    /**
     * Per consumer, what it keeps of each partition it reads. Not per partition alone: a consumer that has not heard yet
     * that it lost its partitions (its server frozen past the session timeout) may still hand over a round of records it
     * polled before, while the server's other consumer reads the same partition from the committed offset; appended
     * to that one's rows, they would make a gap its insert and commit pass over.
     */
    private final Map<Object, Map<String, PartitionState>> partitions = new ConcurrentHashMap<>();
    private final Counter ingested;
    private final Counter unknownFilms;
    private final Counter batches;
    private final Counter replayed;
    private final Counter revokedRecords;
    private final Timer insertTime;
    // Per partition worker: a click goes from its bytes to its row without objects.
    private final ThreadLocal<ClickFields> fields = ThreadLocal.withInitial(ClickFields::new);

    @Autowired
    public ClickBatchIngest(StreamProperties properties, ClickStore store, FilmReferenceCache reference,
                            DeadLetterSender deadLetters, TopicIds topicIds, MeterRegistry meters, CamelContext camel) {
        // camel-kafka may hold a record a round interval before the round; the flush looks once per interval.
        this(store, reference::current, deadLetters, topicIds, new ClickParser(Clock.systemUTC(),
                properties.maxClockSkew()), meters, camel.getExecutorServiceManager().newFixedThreadPool(
                ClickBatchIngest.class, "clicks-partition", properties.partitions()), properties.insertRows(),
                properties.maxWait().minus(properties.roundInterval().multipliedBy(2)), System::nanoTime);
    }

    ClickBatchIngest(ClickStore store, Supplier<ReferenceSnapshot> reference, DeadLetterSender deadLetters,
                     TopicIds topicIds, ClickParser parser, MeterRegistry meters, ExecutorService partitionWorkers,
                     int insertRows, Duration maxAge, LongSupplier nanoTime) {
        this.store = store;
        this.reference = reference;
        this.deadLetters = deadLetters;
        this.topicIds = topicIds;
        this.parser = parser;
        this.partitionWorkers = partitionWorkers;
        this.insertRows = insertRows;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
        this.ingested = Counter.builder("dvd.stream.clicks.ingested").description("clicks inserted into ClickHouse")
                .register(meters);
        this.unknownFilms = Counter.builder("dvd.stream.clicks.unknown_films")
                .description("clicks whose film_id the reference data does not know (kept as 'Unknown')")
                .register(meters);
        this.batches = Counter.builder("dvd.stream.batches.inserted").description("click batches inserted")
                .register(meters);
        this.replayed = Counter.builder("dvd.stream.clicks.replayed")
                .description("records polled again at or below the partition's high-water mark, skipped")
                .register(meters);
        this.revokedRecords = Counter.builder("dvd.stream.clicks.revoked")
                .description("records polled or waiting that are read again: their partition was revoked, or their round"
                        + " failed")
                .register(meters);
        this.insertTime = Timer.builder("dvd.stream.batches.insert.duration")
                .description("time to insert one click batch into ClickHouse").register(meters);
    }

    /** The body is the list of record exchanges of camel-kafka's batching consumer. Runs on the consumer's thread. */
    public void insert(Exchange round) {
        List<?> records = round.getMessage().getBody(List.class);
        List<Polled> polled = new ArrayList<>(records.size());
        Consumer<?, ?> consumer = null;
        for (Object record : records) {
            Message message = ((Exchange) record).getMessage();
            DefaultKafkaManualCommit commit = manualCommit(message);
            consumer = commit.getConsumer();
            polled.add(polled(message, commit));
        }
        if (consumer == null) {
            return;
        }
        List<Polled> current = current(counting(consumer).queued(), polled);
        round.setProperty(COMMITS, ingest(consumer, current, behind(consumer)));
    }

    /**
     * A round failed, in any step: camel-kafka drops it and the rest of the poll it came from. The consumer reads its
     * partitions again from the committed offsets before its next poll, so their waiting rows are dropped here, and
     * nothing it polled before is held back from that reading as stale. Without this, a consumer that camel-kafka
     * does not reconnect (it is paused: the route is stopping or suspended) polls on past the dropped records, which
     * the next commit passes over; and counted as held for a round, they would leave out as many records of the
     * reading that follows a rebalance. Runs on the consumer's thread, as the route's error handling.
     */
    public void failed(Exchange round) {
        List<?> records = round.getMessage().getBody(List.class);
        if (records == null || records.isEmpty() || !(records.get(0) instanceof Exchange record)) {
            return;
        }
        Consumer<?, ?> consumer = manualCommit(record.getMessage()).getConsumer();
        forget(consumer, consumer.assignment(), "its round failed; it is read again from its committed offset");
        counting(consumer).queued().failed();
    }

    private static QueuedRecords.Counting counting(Consumer<?, ?> consumer) {
        if (consumer instanceof QueuedRecords.Counting counting) {
            return counting;
        }
        throw new IllegalStateException("The ingest route must consume with ClickConsumerFactory's consumers");
    }

    /**
     * The consumer's partitions (the round's, and those whose rows wait here while a fetch brings another's records) of
     * which it has at least {@code insert-rows} more records to read (its lag, from its last fetch; asked on its own
     * thread). Their rows go in once they are {@code insert-rows} many, not when the oldest has waited
     * {@code max-wait}: those records are read as fast as the route goes, so the rows fill up soon, and an insert of
     * 50,000 rows costs ClickHouse about 3 us a click against 5 us for the 25,000 that {@code max-wait} let through in
     * a backlog (merges, and the cost of each insert through the views).
     */
    private Set<TopicPartition> behind(Consumer<?, ?> consumer) {
        Set<TopicPartition> behind = new HashSet<>();
        for (TopicPartition partition : consumer.assignment()) {
            if (consumer.currentLag(partition).orElse(0) >= insertRows) {
                behind.add(partition);
            }
        }
        return behind;
    }

    /**
     * The records of a round that are the consumer's to take in: not those it polled of a partition before a rebalance
     * revoked it. camel-kafka hands over what the consumer polled over several polls; a partition revoked between them
     * had its waiting rows dropped ({@link #revoked}) and is read again from its committed offset, by another consumer
     * or by this one if it was assigned back (an eager rebalance revokes every partition and assigns most of them back).
     * Taken in, its records polled before would start the partition's rows after the dropped ones: their insert and
     * commit would pass over those, and the reading again from the committed offset would find them stored or skip
     * them as delivered twice. Or, the partition now another consumer's, they would race its insert of the same
     * records, cut differently. Neither inserted nor committed here, they are read again.
     */
    List<Polled> current(QueuedRecords queued, List<Polled> polled) {
        Map<TopicPartition, int[]> counts = new LinkedHashMap<>();
        forEachRun(polled, counts, (count, record) -> count[0]++);
        int staleRecords = 0;
        for (Map.Entry<TopicPartition, int[]> partition : counts.entrySet()) {
            int[] count = partition.getValue();
            count[1] = queued.handOver(partition.getKey(), count[0]);
            if (count[1] > 0) {
                LOG.info("{}: {} records polled before it was revoked are left out; it is read again from its"
                        + " committed offset", partition.getKey(), count[1]);
                staleRecords += count[1];
            }
        }
        if (staleRecords == 0) {
            return polled;
        }
        revokedRecords.increment(staleRecords);
        List<Polled> current = new ArrayList<>(polled.size() - staleRecords);
        // A partition's stale records are its first ones in the round (camel-kafka keeps the order of the polls).
        forEachRun(polled, counts, (count, record) -> {
            if (count[1] > 0) {
                count[1]--;
            } else {
                current.add(record);
            }
        });
        return current;
    }

    /** Each record with its partition's entry of {@code counts}, looked up once per run of the same partition. */
    private static void forEachRun(List<Polled> polled, Map<TopicPartition, int[]> counts,
                                   BiConsumer<int[], Polled> action) {
        TopicPartition partition = null;
        int[] count = null;
        for (Polled record : polled) {
            if (partition == null || partition.partition() != record.partition()
                    || !partition.topic().equals(record.topic())) {
                partition = new TopicPartition(record.topic(), record.partition());
                count = counts.computeIfAbsent(partition, k -> new int[2]);
            }
            action.accept(count, record);
        }
    }

    /**
     * The consumer gives up partitions (a rebalance, or it closes): their waiting rows are dropped, for their next owner
     * reads them again from the committed offset. Called by the rebalance listener on the consumer's thread, before the
     * partitions move on.
     */
    void revoked(Object consumer, Collection<TopicPartition> revoked) {
        forget(consumer, revoked, "moved on; they are left to its next owner");
    }

    /** Drops what the consumer keeps of the partitions: their waiting records are read again (says why). */
    private void forget(Object consumer, Collection<TopicPartition> dropped, String why) {
        Map<String, PartitionState> own = partitions.get(consumer);
        if (own == null) {
            return;
        }
        for (TopicPartition partition : dropped) {
            String key = key(partition.topic(), partition.partition());
            PartitionState state = own.remove(key);
            if (state == null) {
                continue;
            }
            synchronized (state) {
                if (state.records > 0) {
                    LOG.info("{}: {} records waiting for their insert are dropped: {}", key, state.records, why);
                    revokedRecords.increment(state.records);
                }
            }
        }
        if (own.isEmpty()) {
            partitions.remove(consumer, own);
        }
    }

    /** Commits each partition up to the last record inserted or dead-lettered (synchronous, from the consumer thread). */
    public void commit(Exchange round) {
        @SuppressWarnings("unchecked")
        List<Runnable> commits = round.getProperty(COMMITS, List.class);
        if (commits != null) {
            commits.forEach(Runnable::run);
        }
    }

    /**
     * Ingests one round of {@code consumer}'s records, and inserts what has waited long enough of its other partitions;
     * returns the commits to make, at most one per partition.
     */
    List<Runnable> ingest(Object consumer, List<Polled> records, Set<TopicPartition> behind) {
        Map<String, PartitionState> own = partitions.computeIfAbsent(consumer, c -> new ConcurrentHashMap<>());
        Map<String, List<Polled>> byPartition = new LinkedHashMap<>();
        // A partition's records come in runs (camel-kafka keeps the order of the polls): one lookup per run.
        Polled head = null;
        List<Polled> run = null;
        for (Polled polled : records) {
            if (head == null || head.partition() != polled.partition() || !head.topic().equals(polled.topic())) {
                head = polled;
                run = byPartition.computeIfAbsent(key(polled.topic(), polled.partition()),
                        k -> new ArrayList<>(records.size()));
            }
            run.add(polled);
        }
        // Partitions are independent: their parsing and inserts overlap, and the round commits once all are in.
        List<CompletableFuture<Runnable>> rounds = new ArrayList<>();
        byPartition.forEach((partition, polled) -> {
            boolean lagging = behind.contains(new TopicPartition(polled.get(0).topic(), polled.get(0).partition()));
            rounds.add(CompletableFuture.supplyAsync(() -> ingestPartition(own, partition, polled, lagging),
                    partitionWorkers));
        });
        // The consumer's other partitions: their rows may have waited long enough, unless more of them are on the
        // way (insert-rows or more behind: in a backlog a fetch brings one partition's records for a few rounds).
        own.forEach((partition, state) -> {
            if (!byPartition.containsKey(partition) && !behind.contains(state.topicPartition())) {
                rounds.add(CompletableFuture.supplyAsync(() -> flushIfDue(state), partitionWorkers));
            }
        });
        CompletableFuture.allOf(rounds.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        List<Runnable> commits = new ArrayList<>();
        for (CompletableFuture<Runnable> round : rounds) {
            Runnable commit = round.join();
            if (commit != null) {
                commits.add(commit);
            }
        }
        return commits;
    }

    /**
     * After a poll that brought nothing, on the consumer's thread: inserts the rows of its partitions that have waited
     * long enough, and commits them. A failed insert leaves the rows waiting, tried again later (the consumer
     * polls on; a failure here would not rewind it). Must not throw: it runs inside the consumer's poll.
     */
    public void idle(Object consumer) {
        Map<String, PartitionState> own = partitions.get(consumer);
        if (own == null) {
            return;
        }
        own.forEach((partition, state) -> {
            Runnable commit;
            try {
                commit = flushIfDue(state);
            } catch (RuntimeException e) {
                LOG.warn("{}: insert of the rows waiting failed, tried again later: {}", partition, e.getMessage());
                return;
            }
            if (commit != null) {
                try {
                    commit.run();
                } catch (RuntimeException e) {
                    // Stored: read again after a restart or rebalance, and skipped; a later commit covers them.
                    LOG.warn("{}: commit after the insert failed: {}", partition, e.getMessage());
                }
            }
        });
    }

    /** Inserts a partition's rows if they have waited long enough; the commit to make, or null. */
    private Runnable flushIfDue(PartitionState state) {
        synchronized (state) {
            long now = nanoTime.getAsLong();
            if (state.records > 0 && now - state.oldestAt >= maxAgeNanos) {
                try {
                    flush(state, true);
                } catch (RuntimeException e) {
                    state.oldestAt = now + RETRY_NANOS; // not again before a second and a wait
                    throw e;
                }
                state.rows.release(); // the partition is quiet: its buffer need not hold a backlog's rows
            }
            return state.takePending();
        }
    }

    /** Takes in one partition's records of a round; the commit up to what is handled, null if nothing new is. */
    private Runnable ingestPartition(Map<String, PartitionState> own, String partition, List<Polled> polled,
                                     boolean behind) {
        PartitionState state = own.computeIfAbsent(partition, k -> new PartitionState());
        synchronized (state) {
            try {
                take(state, polled, behind);
                return state.takePending();
            } catch (RuntimeException e) {
                // Its waiting rows are read again, with this round's records, once the consumer has reconnected.
                own.remove(partition, state);
                throw e;
            }
        }
    }

    private void take(PartitionState state, List<Polled> polled, boolean behind) {
        Polled head = polled.get(0);
        if (state.nextOffset < 0 || head.offset() < state.nextOffset) {
            // First poll, or the consumer went back (restart, rebalance, rewind, the topic created again): what
            // waited is polled again, and the topic may be another one under the same name.
            start(state, head);
        }
        // A gap forward (transaction markers, compacted records) keeps what waits: it is not polled again.
        ClickFields click = fields.get();
        state.rows.enrichFrom(reference.get());
        // Rows wait for insert-rows: up to that many and this round's are kept, what the buffer grows to and no more.
        state.rows.reserve(polled.size(), Math.max(insertRows, state.rows.count()) + polled.size());
        long now = nanoTime.getAsLong();
        int skipped = 0;
        int unknown = 0;
        for (Polled record : polled) {
            long offset = record.offset();
            if (offset < state.nextOffset) {
                // The same offset again within one hand-over (the consumer went back): it is the same record.
                LOG.warn("{}: offset {} delivered again after {}; kept once", key(record.topic(), record.partition()),
                        offset, state.nextOffset - 1);
                continue;
            }
            state.nextOffset = offset + 1;
            state.commit = record.commit();
            if (offset <= state.highWater) {
                // Stored already (only right after a start: what comes later is beyond the mark).
                skipped++;
                Commit upTo = record.commit();
                state.pending = () -> upTo.upTo(offset + 1);
                continue;
            }
            Rejection rejection = parser.read(record.value(), click);
            if (rejection == null) {
                if (state.rows.add(click, offset)) {
                    unknown++;
                }
            } else {
                state.letters.add(DeadLetter.of(state.partition, offset, record.key(), record.value(), rejection));
                state.letterBytes += record.value() == null ? 0 : record.value().length;
            }
            state.append(offset, state.rows.size(), now);
        }
        replayed.increment(skipped);
        unknownFilms.increment(unknown);
        if (state.letterBytes >= LETTER_BYTES) {
            sendLetters(state);
        }
        boolean full = state.rows.count() >= insertRows;
        flush(state, full || !behind && now - state.oldestAt >= maxAgeNanos);
        if (!full) {
            // Inserted at max-wait, not at insert-rows: no backlog's rows to make room for.
            state.rows.release();
        }
    }

    /** A partition's reading starts (again) at {@code head}: what the store knows of it from there on. */
    private void start(PartitionState state, Polled head) {
        state.partition = new ClickPartition(head.topic(), topicIds.current(head.topic()), head.partition());
        ClickStore.Progress progress = store.progress(state.partition, head.offset());
        state.highWater = progress.highWater();
        state.known.clear();
        state.known.addAll(progress.ranges());
        state.rows.start(state.partition, reference.get(), Math.min(insertRows, 10_000));
        state.records = 0;
        state.letters.clear();
        state.letterBytes = 0;
        state.pending = null;
        state.nextOffset = head.offset();
    }

    /**
     * Inserts the waiting records' batches that must go now: those along ranges written down before (complete), those
     * ending where such a range begins, and, when {@code due}, the newest records, in no range yet. Records of a range
     * written down before wait until it is complete.
     */
    private void flush(PartitionState state, boolean due) {
        if (state.records == 0 || !due && state.known.isEmpty()) {
            return; // nothing, or only the newest records, in no range yet
        }
        OffsetBatchPlanner.Plan plan = OffsetBatchPlanner.plan(state.offsets, state.records, state.known);
        int handled = 0;
        int rowsHandled = 0;
        try {
            for (Cut cut : plan.cuts()) {
                if (!due && !cut.known() && cut.to() == state.records) {
                    break;
                }
                rowsHandled += insert(state, cut);
                handled = cut.to();
            }
        } finally {
            if (handled > 0) {
                // Durable before the commit of what is handled can run (those beyond it too: a letter sent twice is
                // no harm, the dead-letter topic is at-least-once). Not sent, nothing is handled: inserted again,
                // the rows are dropped by their tokens.
                sendLetters(state);
                state.handled(handled, rowsHandled);
            }
        }
    }

    private void sendLetters(PartitionState state) {
        if (!state.letters.isEmpty()) {
            deadLetters.send(state.letters);
            state.letters.clear();
            state.letterBytes = 0;
        }
    }

    /** Inserts one batch of the waiting records; returns its rows. */
    private int insert(PartitionState state, Cut cut) {
        int rows = 0;
        for (int i = cut.from(); i < cut.to(); i++) {
            if (state.rowEnds[i] > state.rowStart(i)) {
                rows++;
            }
        }
        if (rows == 0) {
            return 0; // dead letters only, sent before the commit
        }
        ClickPartition partition = state.partition;
        ClickBlock batch = state.rows.slice(state.rowStart(cut.from()), rows);
        if (!cut.known()) {
            store.recordRange(partition, cut.range(), rows);
            // Should the insert fail and be tried again, it is cut along this range, with more records or not.
            state.known.add(cut.range());
            state.known.sort(Comparator.comparingLong(Range::first));
        }
        try {
            insertTime.record(() -> store.insertClicks(partition, cut.range(), batch));
        } catch (RuntimeException e) {
            state.rows.detach();
            throw e;
        }
        batches.increment();
        ingested.increment(rows);
        return rows;
    }

    private static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    private static DefaultKafkaManualCommit manualCommit(Message message) {
        if (message.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit) {
            return commit;
        }
        throw new IllegalStateException("The ingest route must consume with allowManualCommit=true and camel-kafka's"
                + " default manual commits");
    }

    /**
     * Where the record was read comes from its commit: one header lookup instead of three (Camel's are by name). The
     * commit goes through the handle's consumer, up to any offset: a partition commits up to its last record inserted,
     * which is not always the newest one polled.
     */
    private static Polled polled(Message message, DefaultKafkaManualCommit handle) {
        Object key = message.getHeader(KafkaConstants.KEY);
        TopicPartition partition = handle.getPartition();
        return new Polled(partition.topic(), partition.partition(), handle.getRecordOffset(),
                key == null ? null : key.toString(), message.getBody(byte[].class),
                next -> handle.getConsumer().commitSync(Map.of(partition, new OffsetAndMetadata(next)),
                        Duration.ofMillis(handle.getCommitTimeout())));
    }
}
