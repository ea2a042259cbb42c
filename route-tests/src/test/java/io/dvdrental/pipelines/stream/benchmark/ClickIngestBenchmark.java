package io.dvdrental.pipelines.stream.benchmark;

import io.dvdrental.pipelines.transforms.generate.ClickGenerator;
import io.dvdrental.pipelines.producer.clicks.ClickPublisher;
import io.dvdrental.pipelines.transforms.generate.ClickSettings;
import io.dvdrental.pipelines.producer.clicks.PublishSummary;
import io.dvdrental.pipelines.services.StackConfig;
import io.dvdrental.pipelines.stream.ClickIngestRoute;
import io.dvdrental.pipelines.stream.StreamProperties;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Click stream benchmark, run by {@code bench/stream-bench.sh} (never by the test suite; it asserts
 * nothing about time). On the real local services, against a topic of its own:
 * <ol>
 *   <li>the producer publishes {@code events} clicks unthrottled (its top rate);</li>
 *   <li>a plain Kafka consumer reads them all: the broker's read rate on this machine;</li>
 *   <li>the ingest route drains the same backlog into ClickHouse: sustained ingest rate;</li>
 *   <li>the producer publishes at {@code freshness.rate}/s for {@code freshness.seconds} with the route running:
 *       freshness p50/p99 = ingested_at - event_ts (the views are filled by the same synchronous insert);</li>
 *   <li>peak memory: the server JVM heap during the drain (at its collections), the ClickHouse and Kafka
 *   processes' peak RSS.</li>
 * </ol>
 * Prints a table and writes it to {@code dvd.benchmark.output}.
 */
@RealServicesTest
@EnabledIfSystemProperty(named = "dvd.benchmark", matches = "true")
class ClickIngestBenchmark {

    private static final String TOPIC = "dvd_clicks_bench_" + System.currentTimeMillis();
    /** Where ClickHouse's own insert of the run's rows goes (the second baseline); dropped after it. */
    private static final String SCRATCH = "stream_bench_scratch";

    @DynamicPropertySource
    static void ownTopic(DynamicPropertyRegistry registry) {
        registry.add("dvd.stream.topic", () -> TOPIC);
        registry.add("dvd.stream.dlq-topic", () -> TOPIC + ".dlq");
        registry.add("dvd.stream.group-id", () -> TOPIC + "-ingest");
        // As in production: the test profile's check of the dim_film export every second (an S3 request each) took
        // about 4 % of the server's CPU during the drain.
        registry.add("dvd.stream.reference.poll-interval", () -> "30s");
    }

    @Autowired
    CamelContext camel;
    @Autowired
    StreamProperties stream;
    @Autowired
    @Qualifier("warehouseJdbcTemplate")
    NamedParameterJdbcTemplate warehouse;
    @Autowired
    MeterRegistry meters;
    @Value("${dvd.kafka.brokers}")
    String brokers;

    private final long events = Long.getLong("dvd.benchmark.events", 1_000_000);
    private final double freshnessRate = Double.parseDouble(System.getProperty("dvd.benchmark.freshness.rate", "5000"));
    private final int freshnessSeconds = Integer.getInteger("dvd.benchmark.freshness.seconds", 60);

    private String loadAtStart;

    @Test
    void run() throws Exception {
        loadAtStart = loadAverage();
        List<String[]> rows = new ArrayList<>();

        PublishSummary published = publish(events, 0, InstantSource.system());
        rows.add(row("producer, unthrottled (ClickPublisher, acks=all)", published.sent(), published.eventsPerSecond()));

        long consumerStart = System.nanoTime();
        long consumed = plainConsume(events);
        double plainRate = consumed / seconds(consumerStart);
        rows.add(row("plain Kafka consumer, same topic (1 consumer, no processing)", consumed, plainRate));

        StackConfig stack = StackConfig.fromSettings("test");
        Map<String, Long> pids = Map.of("server JVM", ProcessHandle.current().pid(),
                "clickhouse", pid(stack, "clickhouse"), "kafka", pid(stack, "kafka"));
        Map<String, Double> cpuBefore = cpuSeconds(pids);
        // -Ddvd.benchmark.jfr=<file>: a flight recording of the drain, to see where the server's CPU goes.
        String jfr = System.getProperty("dvd.benchmark.jfr");
        jdk.jfr.Recording recording = null;
        if (jfr != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.start();
        }
        HeapWatch drainHeap = new HeapWatch();
        long ingestStart = System.nanoTime();
        camel.getRouteController().startRoute(ClickIngestRoute.ROUTE_ID);
        long tenPercentAt = 0;
        long tenPercentCount = 0;
        long count;
        while ((count = ingestedCount()) < events) {
            if (tenPercentAt == 0 && count >= events / 10) {
                tenPercentAt = System.nanoTime();
                tenPercentCount = count;
            }
            Thread.sleep(100);
        }
        long ingestEnd = System.nanoTime();
        Map<String, Double> cpuAfter = cpuSeconds(pids);
        drainHeap.close();
        if (rawCount() != events) {
            throw new IllegalStateException("The route reports " + events + " clicks inserted, the raw table holds "
                    + rawCount());
        }
        if (recording != null) {
            recording.dump(Path.of(jfr));
            recording.close();
        }
        rows.add(row("ingest route -> ClickHouse, backlog drain incl. start (" + stream.consumers() + " consumers, batch "
                + stream.batchSize() + ", insert-rows " + stream.insertRows() + ")", events, events / ((ingestEnd - ingestStart) / 1e9)));
        double steady = (events - tenPercentCount) / ((ingestEnd - tenPercentAt) / 1e9);
        rows.add(row("ingest route -> ClickHouse, steady (from 10% to 100%)", events - tenPercentCount, steady));

        double cpuPerEvent = 0;
        for (String process : pids.keySet()) {
            double seconds = cpuAfter.get(process) - cpuBefore.get(process);
            cpuPerEvent += seconds / events;
            rows.add(new String[]{"CPU used during the drain: " + process, String.valueOf(events),
                    String.format("%.1f s (%.1f us/event)", seconds, seconds / events * 1e6)});
        }
        rows.add(new String[]{"=> ingest capacity of 2 dedicated cores at that CPU cost (2 / CPU per event)", "",
                String.format("%,.0f events/s", 2 / cpuPerEvent)});
        double inserts = meters.counter("dvd.stream.batches.inserted").count();
        rows.add(new String[]{"route inserts during the drain: count, rows per insert", String.valueOf(events),
                String.format("%,.0f inserts, %,.0f rows each", inserts, events / inserts)});

        // The second baseline: ClickHouse's own insert of the same rows, into the same table shape and views.
        List<OwnInsert> own = clickHouseOwnInserts(pids.get("clickhouse"));
        String[] into = {"a scratch copy of the table alone", "a scratch copy of the table and its views"};
        for (int i = 0; i < own.size(); i++) {
            rows.add(new String[]{"ClickHouse's own INSERT ... SELECT of the same rows into " + into[i] + " (blocks of "
                    + stream.batchSize() + ")", String.valueOf(events), String.format(
                    "%,.0f events/s (ClickHouse CPU %.1f us/event)", own.get(i).rowsPerSecond(),
                    own.get(i).cpuPerRow() * 1e6)});
        }
        double ownRate = own.get(own.size() - 1).rowsPerSecond();
        rows.add(new String[]{"=> route steady / plain consumer; route steady / ClickHouse's own insert (with views)",
                "", String.format("%.2f; %.2f", steady / plainRate, steady / ownRate)});

        Instant freshnessStart = Instant.now();
        long freshnessEvents = (long) (freshnessRate * freshnessSeconds);
        PublishSummary paced = publish(freshnessEvents, freshnessRate, InstantSource.system());
        while (ingestedCount() < events + freshnessEvents) {
            Thread.sleep(100);
        }
        Map<String, Object> freshness = warehouse.queryForMap("SELECT count() AS n,"
                + " quantileExact(0.5)(dateDiff('millisecond', event_ts, ingested_at)) AS p50,"
                + " quantileExact(0.99)(dateDiff('millisecond', event_ts, ingested_at)) AS p99,"
                + " max(dateDiff('millisecond', event_ts, ingested_at)) AS worst"
                + " FROM stream.dvd_clicks WHERE kafka_topic = :topic AND ingested_at >= fromUnixTimestamp64Milli(:since, 'UTC')",
                Map.of("topic", TOPIC, "since", freshnessStart.toEpochMilli()));
        rows.add(new String[]{"freshness at " + (long) freshnessRate + "/s for " + freshnessSeconds + " s (sent at "
                + String.format("%.0f", paced.eventsPerSecond()) + "/s): event_ts -> visible, p50 / p99 / max",
                String.valueOf(freshness.get("n")),
                freshness.get("p50") + " ms / " + freshness.get("p99") + " ms / " + freshness.get("worst") + " ms"});
        long views = count("SELECT sum(clicks) FROM stream.clicks_per_minute"
                + " WHERE minute >= toStartOfMinute(fromUnixTimestamp64Milli(:since, 'UTC'))", freshnessStart);
        rows.add(new String[]{"check: raw rows of the run, events / clicks_per_minute since the freshness phase began",
                String.valueOf(rawCount()), views + " (expected >= " + freshnessEvents + ")"});

        rows.add(new String[]{"peak memory: server JVM heap during the drain, when a collection began / after it", "",
                mib(drainHeap.peakBeforeGc()) + " / " + mib(drainHeap.peakAfterGc())});
        for (String service : List.of("clickhouse", "kafka")) {
            rows.add(new String[]{"peak memory: " + service + " process (VmHWM)", "",
                    peakRss(stack, service).map(ClickIngestBenchmark::mib).orElse("n/a")});
        }
        write(rows);
    }

    /** Rows per second and the ClickHouse process's CPU seconds per row of one insert of the run's rows. */
    private record OwnInsert(double rowsPerSecond, double cpuPerRow) {
    }

    /**
     * ClickHouse's own insert of the run's rows from {@code stream.dvd_clicks} into a scratch database: first into a
     * copy of that table alone, then again into the copy with copies of every materialized view on it and of their
     * target tables. Each is one {@code INSERT ... SELECT} cut into blocks of the route's batch size, deduplication on
     * as for the route. The scratch database is dropped afterwards.
     */
    private List<OwnInsert> clickHouseOwnInserts(long clickhousePid) throws IOException {
        JdbcOperations sql = warehouse.getJdbcOperations();
        sql.execute("DROP DATABASE IF EXISTS " + SCRATCH);
        sql.execute("CREATE DATABASE " + SCRATCH);
        try {
            sql.execute("CREATE TABLE " + SCRATCH + ".dvd_clicks AS stream.dvd_clicks");
            OwnInsert tableAlone = copyRunRows(sql, clickhousePid);
            sql.execute("TRUNCATE TABLE " + SCRATCH + ".dvd_clicks");
            List<String> views = sql.queryForList("SELECT arrayJoin(dependencies_table) FROM system.tables"
                    + " WHERE database = 'stream' AND name = 'dvd_clicks'", String.class);
            for (String view : views) {
                String create = sql.queryForObject("SELECT create_table_query FROM system.tables"
                        + " WHERE database = 'stream' AND name = ?", String.class, view);
                Matcher target = Pattern.compile(" TO stream\\.(\\w+)").matcher(create);
                if (!target.find()) {
                    throw new IllegalStateException("No TO table in " + create);
                }
                sql.execute("CREATE TABLE " + SCRATCH + "." + target.group(1) + " AS stream." + target.group(1));
                sql.execute(create.replace("stream.", SCRATCH + "."));
            }
            return List.of(tableAlone, copyRunRows(sql, clickhousePid));
        } finally {
            sql.execute("DROP DATABASE IF EXISTS " + SCRATCH + " SYNC");
        }
    }

    private OwnInsert copyRunRows(JdbcOperations sql, long clickhousePid) throws IOException {
        int block = stream.batchSize();
        Map<String, Long> pid = Map.of("clickhouse", clickhousePid);
        double cpuBefore = cpuSeconds(pid).get("clickhouse");
        long start = System.nanoTime();
        sql.execute("INSERT INTO " + SCRATCH + ".dvd_clicks SELECT * FROM stream.dvd_clicks"
                + " WHERE kafka_topic = '" + TOPIC + "' SETTINGS max_block_size = " + block
                + ", min_insert_block_size_rows = " + block + ", min_insert_block_size_bytes = 0"
                + ", max_insert_block_size = " + block + ", async_insert = 0"
                + ", deduplicate_blocks_in_dependent_materialized_views = 1");
        double seconds = seconds(start);
        double cpu = cpuSeconds(pid).get("clickhouse") - cpuBefore;
        Long copied = sql.queryForObject("SELECT count() FROM " + SCRATCH + ".dvd_clicks", Long.class);
        if (copied == null || copied != events) {
            throw new IllegalStateException("The scratch copy holds " + copied + " rows, not " + events);
        }
        return new OwnInsert(events / seconds, cpu / events);
    }

    private PublishSummary publish(long count, double rate, InstantSource clock) throws InterruptedException {
        ClickGenerator generator = new ClickGenerator(new ClickSettings(System.nanoTime(), 10_000,
                ClickSettings.defaultFilmIds(), 0), clock);
        try (ClickPublisher publisher = new ClickPublisher(brokers, TOPIC)) {
            return publisher.publish(generator, count, null, rate, () -> false);
        }
    }

    private long plainConsume(long expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, TOPIC + "-plain",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, stream.batchSize()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long seen = 0;
            while (seen < expected) {
                seen += consumer.poll(Duration.ofMillis(500)).count();
            }
            return seen;
        }
    }

    /**
     * Clicks the route has inserted, from its own counter: polling ClickHouse for the count ten times a second
     * would cost ClickHouse more CPU than the inserts do (a scan of kafka_topic over the whole raw table each time).
     * The rows are counted in ClickHouse once the drain is over.
     */
    private long ingestedCount() {
        return (long) meters.counter("dvd.stream.clicks.ingested").count();
    }

    private long rawCount() {
        return count("SELECT count() FROM stream.dvd_clicks WHERE kafka_topic = :topic", null);
    }

    private long count(String sql, Instant since) {
        Long value = warehouse.queryForObject(sql, since == null ? Map.of("topic", TOPIC)
                : Map.of("topic", TOPIC, "since", since.toEpochMilli()), Long.class);
        return value == null ? 0 : value;
    }

    private static long pid(StackConfig stack, String service) throws IOException {
        return Long.parseLong(Files.readString(stack.run().resolve(service + ".pid")).trim());
    }

    /** User + system CPU seconds of each process so far (/proc/<pid>/stat, clock ticks of 1/100 s). */
    private static Map<String, Double> cpuSeconds(Map<String, Long> pids) throws IOException {
        Map<String, Double> cpu = new java.util.HashMap<>();
        for (var process : pids.entrySet()) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.getValue()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            cpu.put(process.getKey(), (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0);
        }
        return cpu;
    }

    private static Optional<Long> peakRss(StackConfig stack, String service) {
        try {
            long pid = pid(stack, service);
            Matcher m = Pattern.compile("VmHWM:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
            return m.find() ? Optional.of(Long.parseLong(m.group(1)) * 1024) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The 1-minute load average: other work on the machine competes for the same cores. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String[] row(String what, long count, double perSecond) {
        return new String[]{what, String.valueOf(count), String.format("%,.0f events/s", perSecond)};
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String mib(long bytes) {
        return String.format("%,d MiB", bytes / (1024 * 1024));
    }

    private void write(List<String[]> rows) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("Click stream benchmark, ").append(Instant.now()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, JVM -Xmx")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append("m, load average at start / end: ")
                .append(loadAtStart).append(" / ").append(loadAverage()).append("\n\n");
        table.append("| measure | events | result |\n|---|---:|---:|\n");
        for (String[] row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        System.out.println(table);
        Path output = Path.of(System.getProperty("dvd.benchmark.output", "target/stream-benchmark.md"));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, table);
    }
}
