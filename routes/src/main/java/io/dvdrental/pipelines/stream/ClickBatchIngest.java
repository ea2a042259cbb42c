package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.clicks.ClickFields;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Cut;
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
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One round of the ingest route: the records a Kafka consumer polled, per partition cut into batches
 * ({@link OffsetBatchPlanner}), each batch parsed, enriched, inserted into the {@link ClickStore} and its bad records
 * handed to the {@link DeadLetterSender} ({@link #insert}); then, as the route's next step, the offsets of the
 * inserted batches are committed ({@link #commit}).
 *
 * <p>Per partition it keeps what it needs between rounds: where the last poll ended, the topic's id, and records
 * waiting for the rest of a batch that was cut before a crash (uncommitted, completed by the next poll). Records at
 * or below the partition's high-water mark (the store's highest confirmed offset) are skipped: a rewind or an
 * expired group offset replays nothing, however old; the store's insert is fenced by the same mark. Records of a
 * partition the consumer is no longer assigned are left to its next owner ({@link #assignedOnly}). The logic is plain
 * Java, tested against in-memory stores.
 */
@Component
public class ClickBatchIngest {

    /** One polled record, with the means to commit the partition up to it. */
    record Polled(String topic, int partition, long offset, String key, byte[] value, Runnable commit) {
    }

    /** What this server knows of a partition it reads. */
    private static final class PartitionState {
        final List<Polled> waiting = new ArrayList<>();
        /** The offset after the last one polled; -1 before the first poll. */
        long nextOffset = -1;
        String topicId;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClickBatchIngest.class);

    /** Exchange property: the commits of the batches the round inserted, last record of each batch. */
    public static final String COMMITS = "dvdClickCommits";

    private final ClickStore store;
    private final Supplier<ReferenceSnapshot> reference;
    private final DeadLetterSender deadLetters;
    private final TopicIds topicIds;
    private final ClickParser parser;
    private final ExecutorService partitionWorkers;
    private final Map<String, PartitionState> partitions = new ConcurrentHashMap<>();
    private final Counter ingested;
    private final Counter unknownFilms;
    private final Counter batches;
    private final Counter replayed;
    private final Counter revoked;
    private final Timer insertTime;
    // Per partition worker, reused batch after batch: a click goes from its bytes to its row without objects.
    private final ThreadLocal<ClickFields> fields = ThreadLocal.withInitial(ClickFields::new);
    private final ThreadLocal<ClickRows> rows = ThreadLocal.withInitial(ClickRows::new);

    @Autowired
    public ClickBatchIngest(StreamProperties properties, ClickStore store, FilmReferenceCache reference,
                            DeadLetterSender deadLetters, TopicIds topicIds, MeterRegistry meters, CamelContext camel) {
        this(store, reference::current, deadLetters, topicIds, new ClickParser(Clock.systemUTC(),
                properties.maxClockSkew()), meters, camel.getExecutorServiceManager().newFixedThreadPool(
                ClickBatchIngest.class, "clicks-partition", properties.partitions()));
    }

    ClickBatchIngest(ClickStore store, Supplier<ReferenceSnapshot> reference, DeadLetterSender deadLetters,
                     TopicIds topicIds, ClickParser parser, MeterRegistry meters, ExecutorService partitionWorkers) {
        this.store = store;
        this.reference = reference;
        this.deadLetters = deadLetters;
        this.topicIds = topicIds;
        this.parser = parser;
        this.partitionWorkers = partitionWorkers;
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
        this.revoked = Counter.builder("dvd.stream.clicks.revoked")
                .description("records polled before their partition moved to another consumer, left to that one")
                .register(meters);
        this.insertTime = Timer.builder("dvd.stream.batches.insert.duration")
                .description("time to insert one click batch into ClickHouse").register(meters);
    }

    /**
     * The body is the list of record exchanges of camel-kafka's batching consumer. Runs on the consumer's thread,
     * which alone may ask the consumer what it is assigned.
     */
    public void insert(Exchange round) {
        List<?> records = round.getMessage().getBody(List.class);
        List<Polled> polled = new ArrayList<>(records.size());
        Set<TopicPartition> assigned = null;
        for (Object record : records) {
            Message message = ((Exchange) record).getMessage();
            DefaultKafkaManualCommit commit = manualCommit(message);
            polled.add(polled(message, commit));
            if (assigned == null) {
                assigned = commit.getConsumer().assignment();
            }
        }
        Set<TopicPartition> owned = assigned == null ? Set.of() : assigned;
        round.setProperty(COMMITS, ingest(assignedOnly(polled,
                record -> owned.contains(new TopicPartition(record.topic(), record.partition())))));
    }

    /**
     * The records of the partitions the consumer is still assigned. The batching consumer hands over what it polled
     * over several polls; a rebalance between them may have given a partition to another consumer, which reads it
     * again from the committed offset: inserting its records here too would race that consumer's insert of the same
     * records, cut differently. They are left to it (neither inserted nor committed), and the partition is forgotten.
     */
    List<Polled> assignedOnly(List<Polled> polled, Predicate<Polled> assigned) {
        List<Polled> kept = new ArrayList<>(polled.size());
        Map<String, Integer> left = new LinkedHashMap<>();
        for (Polled record : polled) {
            if (assigned.test(record)) {
                kept.add(record);
            } else {
                left.merge(record.topic() + "-" + record.partition(), 1, Integer::sum);
            }
        }
        left.forEach((partition, records) -> {
            LOG.info("{}: moved to another consumer; {} records polled before are left to it", partition, records);
            revoked.increment(records);
            partitions.remove(partition);
        });
        return kept;
    }

    /** Commits each partition up to the last record of its inserted batches (synchronous, from the consumer thread). */
    public void commit(Exchange round) {
        @SuppressWarnings("unchecked")
        List<Runnable> commits = round.getProperty(COMMITS, List.class);
        if (commits != null) {
            commits.forEach(Runnable::run);
        }
    }

    /** Ingests one hand-over of records; returns the commits to make, at most one per partition. */
    List<Runnable> ingest(List<Polled> records) {
        Map<String, List<Polled>> byPartition = new LinkedHashMap<>();
        for (Polled polled : records) {
            byPartition.computeIfAbsent(polled.topic() + "-" + polled.partition(), k -> new ArrayList<>()).add(polled);
        }
        // Partitions are independent: their parsing and inserts overlap, and the round commits once all are in.
        List<CompletableFuture<Runnable>> inserts = new ArrayList<>();
        byPartition.forEach((partition, polled) -> inserts.add(
                CompletableFuture.supplyAsync(() -> ingestPartition(partition, polled), partitionWorkers)));
        CompletableFuture.allOf(inserts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        List<Runnable> commits = new ArrayList<>();
        for (CompletableFuture<Runnable> insert : inserts) {
            Runnable commit = insert.join();
            if (commit != null) {
                commits.add(commit);
            }
        }
        return commits;
    }

    /** Inserts what is complete of one partition; the commit up to its last record handled, null if none. */
    private Runnable ingestPartition(String topicPartition, List<Polled> polled) {
        PartitionState state = partitions.computeIfAbsent(topicPartition, k -> new PartitionState());
        synchronized (state) {
            Polled head = polled.get(0);
            if (state.nextOffset < 0 || head.offset() < state.nextOffset) {
                // First poll, or the consumer went back (restart, rebalance, rewind, the topic created again): what
                // waited is polled again, and the topic may be another one under the same name.
                state.waiting.clear();
                state.topicId = topicIds.current(head.topic());
            }
            // A gap forward (transaction markers, compacted records) keeps what waits: it is not polled again.
            List<Polled> records = state.waiting;
            for (Polled record : polled) {
                if (!records.isEmpty() && record.offset() <= records.get(records.size() - 1).offset()) {
                    // The same offset again within one hand-over (the consumer went back): it is the same record.
                    LOG.warn("{}: offset {} delivered again after {}; kept once", topicPartition, record.offset(),
                            records.get(records.size() - 1).offset());
                    continue;
                }
                records.add(record);
            }
            state.nextOffset = polled.get(polled.size() - 1).offset() + 1;
            ClickPartition partition = new ClickPartition(head.topic(), state.topicId, head.partition());
            ClickStore.Progress progress = store.progress(partition, records.get(0).offset());
            int stored = 0;
            while (stored < records.size() && records.get(stored).offset() <= progress.highWater()) {
                stored++;
            }
            replayed.increment(stored);
            List<Polled> fresh = records.subList(stored, records.size());
            long[] offsets = fresh.stream().mapToLong(Polled::offset).toArray();
            OffsetBatchPlanner.Plan plan = OffsetBatchPlanner.plan(offsets, progress.ranges());
            for (Cut cut : plan.cuts()) {
                insertBatch(partition, fresh.subList(cut.from(), cut.to()), cut);
            }
            int handled = stored + plan.waitFrom();
            Runnable commit = handled == 0 ? null : records.get(handled - 1).commit();
            records.subList(0, handled).clear();
            return commit;
        }
    }

    private void insertBatch(ClickPartition partition, List<Polled> batch, Cut cut) {
        ClickFields click = fields.get();
        ClickRows rows = this.rows.get().start(partition, reference.get(), batch.size());
        List<DeadLetter> rejected = new ArrayList<>();
        int unknown = 0;
        for (Polled record : batch) {
            Rejection rejection = parser.read(record.value(), click);
            if (rejection == null) {
                if (rows.add(click, record.offset())) {
                    unknown++;
                }
            } else {
                rejected.add(DeadLetter.of(partition, record.offset(), record.key(), record.value(), rejection));
            }
        }
        deadLetters.send(rejected);
        if (rows.count() > 0) {
            if (!cut.known()) {
                store.recordRange(partition, cut.range(), rows.count());
            }
            try {
                insertTime.record(() -> store.insertClicks(partition, cut.range(), rows));
            } catch (RuntimeException e) {
                // An insert given up on (a timeout) may still be reading the buffer: the next batch takes a new one.
                this.rows.remove();
                throw e;
            }
            batches.increment();
            ingested.increment(rows.count());
            unknownFilms.increment(unknown);
        }
    }

    private static DefaultKafkaManualCommit manualCommit(Message message) {
        if (message.getHeader(KafkaConstants.MANUAL_COMMIT) instanceof DefaultKafkaManualCommit commit) {
            return commit;
        }
        throw new IllegalStateException("The ingest route must consume with allowManualCommit=true and camel-kafka's"
                + " default manual commits");
    }

    /** Where the record was read comes from its commit: one header lookup instead of three (Camel's are by name). */
    private static Polled polled(Message message, DefaultKafkaManualCommit commit) {
        Object key = message.getHeader(KafkaConstants.KEY);
        TopicPartition partition = commit.getPartition();
        return new Polled(partition.topic(), partition.partition(), commit.getRecordOffset(),
                key == null ? null : key.toString(), message.getBody(byte[].class), commit::commit);
    }
}
