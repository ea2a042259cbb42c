package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.ClickParser;
import io.dvdrental.pipelines.transforms.clicks.EnrichedClick;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Cut;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * One round of the ingest route: the records a Kafka consumer polled, per partition cut into batches
 * ({@link OffsetBatchPlanner}), each batch parsed, enriched, inserted into ClickHouse and its bad records sent to
 * the dead-letter topic ({@link #insert}); then, as the route's next step, the offsets of the inserted batches are
 * committed ({@link #commit}). A record waiting for the rest of a batch that was cut before a crash stays here,
 * uncommitted, until the next poll completes it.
 */
@Component
public class ClickBatchIngest {

    /** One polled record, with the means to commit the partition up to it. */
    record Polled(String topic, int partition, long offset, String key, byte[] value, KafkaManualCommit commit) {
    }

    /** Records of one partition kept for the next poll; stale when the consumer did not continue where they end. */
    private static final class Waiting {
        final List<Polled> records = new ArrayList<>();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClickBatchIngest.class);

    private final ClickHouseClickStore store;
    private final FilmReferenceCache reference;
    private final DeadLetterSender deadLetters;
    private final ClickParser parser;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final Counter ingested;
    private final Counter unknownFilms;
    private final Counter batches;
    private final Timer insertTime;
    private final ExecutorService partitionWorkers;

    public ClickBatchIngest(StreamProperties properties, ClickHouseClickStore store, FilmReferenceCache reference,
                            DeadLetterSender deadLetters, MeterRegistry meters, CamelContext camel) {
        this.store = store;
        this.reference = reference;
        this.deadLetters = deadLetters;
        this.parser = new ClickParser(Clock.systemUTC(), properties.maxClockSkew());
        this.ingested = Counter.builder("dvd.stream.clicks.ingested").description("clicks inserted into ClickHouse")
                .register(meters);
        this.unknownFilms = Counter.builder("dvd.stream.clicks.unknown_films")
                .description("clicks whose film_id the reference data does not know (kept as 'Unknown')")
                .register(meters);
        this.batches = Counter.builder("dvd.stream.batches.inserted").description("click batches inserted")
                .register(meters);
        this.insertTime = Timer.builder("dvd.stream.batches.insert.duration")
                .description("time to insert one click batch into ClickHouse").register(meters);
        this.partitionWorkers = camel.getExecutorServiceManager().newFixedThreadPool(this, "clicks-partition",
                properties.partitions());
    }

    /** Exchange property: the commits of the batches the round inserted, last record of each batch. */
    public static final String COMMITS = "dvdClickCommits";

    /** The body is the list of record exchanges of camel-kafka's batching consumer. */
    public void insert(Exchange round) {
        List<?> records = round.getMessage().getBody(List.class);
        Map<String, List<Polled>> byPartition = new LinkedHashMap<>();
        for (Object record : records) {
            Polled polled = polled(((Exchange) record).getMessage());
            byPartition.computeIfAbsent(polled.topic() + "-" + polled.partition(), k -> new ArrayList<>()).add(polled);
        }
        // Partitions are independent: their parsing and inserts overlap, and the round commits once all are in.
        List<CompletableFuture<KafkaManualCommit>> inserts = new ArrayList<>();
        byPartition.forEach((partition, polled) -> inserts.add(
                CompletableFuture.supplyAsync(() -> insertPartition(partition, polled), partitionWorkers)));
        CompletableFuture.allOf(inserts.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        List<KafkaManualCommit> commits = new ArrayList<>();
        for (CompletableFuture<KafkaManualCommit> insert : inserts) {
            KafkaManualCommit commit = insert.join();
            if (commit != null) {
                commits.add(commit);
            }
        }
        round.setProperty(COMMITS, commits);
    }

    /** Commits each partition up to the last record of its inserted batches (synchronous, from the consumer thread). */
    public void commit(Exchange round) {
        @SuppressWarnings("unchecked")
        List<KafkaManualCommit> commits = round.getProperty(COMMITS, List.class);
        if (commits != null) {
            commits.forEach(KafkaManualCommit::commit);
        }
    }

    /** Inserts what is complete of one partition; the commit up to its last inserted record, null if none. */
    private KafkaManualCommit insertPartition(String topicPartition, List<Polled> polled) {
        Waiting kept = waiting.computeIfAbsent(topicPartition, k -> new Waiting());
        synchronized (kept) {
            List<Polled> records = kept.records;
            if (!records.isEmpty() && records.get(records.size() - 1).offset() + 1 != polled.get(0).offset()) {
                // The consumer restarted from the committed offset (error, rebalance): what was kept is polled again.
                records.clear();
            }
            for (Polled record : polled) {
                if (!records.isEmpty() && record.offset() <= records.get(records.size() - 1).offset()) {
                    // The same offset again within one hand-over (the consumer went back): it is the same record.
                    LOG.warn("{}: offset {} delivered again after {}; kept once", topicPartition, record.offset(),
                            records.get(records.size() - 1).offset());
                    continue;
                }
                records.add(record);
            }
            Polled first = records.get(0);
            long[] offsets = records.stream().mapToLong(Polled::offset).toArray();
            List<Range> known = store.knownRanges(first.topic(), first.partition(), offsets[0]);
            OffsetBatchPlanner.Plan plan = OffsetBatchPlanner.plan(offsets, known);
            for (Cut cut : plan.cuts()) {
                insertBatch(records.subList(cut.from(), cut.to()), cut);
            }
            KafkaManualCommit commit = plan.cuts().isEmpty() ? null : records.get(plan.waitFrom() - 1).commit();
            List<Polled> rest = new ArrayList<>(records.subList(plan.waitFrom(), records.size()));
            records.clear();
            records.addAll(rest);
            return commit;
        }
    }

    private void insertBatch(List<Polled> batch, Cut cut) {
        Polled first = batch.get(0);
        ReferenceSnapshot films = reference.current();
        List<DeadLetter> rejected = new ArrayList<>();
        List<EnrichedClick> clicks = new ArrayList<>(batch.size());
        int unknown = 0;
        for (Polled record : batch) {
            ClickParser.Result result = parser.parse(record.value());
            if (result instanceof ClickParser.Valid valid) {
                EnrichedClick click = EnrichedClick.of(valid.event(), films, record.partition(), record.offset());
                if (click.unknownFilm()) {
                    unknown++;
                }
                clicks.add(click);
            } else {
                rejected.add(new DeadLetter(record.topic(), record.partition(), record.offset(), record.key(),
                        record.value(), ((ClickParser.Invalid) result).rejection()));
            }
        }
        deadLetters.send(rejected);
        if (!clicks.isEmpty()) {
            if (!cut.known()) {
                store.recordRange(first.topic(), first.partition(), cut.range(), clicks.size());
            }
            insertTime.record(() -> store.insertClicks(first.topic(), first.partition(), cut.range(), clicks));
            batches.increment();
            ingested.increment(clicks.size());
            unknownFilms.increment(unknown);
        }
    }

    private static Polled polled(Message message) {
        KafkaManualCommit commit = message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("The ingest route must consume with allowManualCommit=true");
        }
        Object key = message.getHeader(KafkaConstants.KEY);
        return new Polled(message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class),
                key == null ? null : key.toString(), message.getBody(byte[].class), commit);
    }
}
