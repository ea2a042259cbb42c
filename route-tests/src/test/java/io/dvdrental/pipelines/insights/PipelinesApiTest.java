package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.insights.KafkaPipelineStatus.PartitionLag;
import io.dvdrental.pipelines.stream.StreamTestSupport;
import io.dvdrental.pipelines.support.RealServicesTest;
import io.dvdrental.pipelines.support.TestServices;
import io.dvdrental.pipelines.transforms.batch.ModelGraph;
import io.dvdrental.pipelines.transforms.batch.SourceTable;
import io.dvdrental.pipelines.transforms.batch.SourceTables;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /api/pipelines}, and the broker figures behind it read from a real Kafka on a topic made for the test. */
@RealServicesTest
class PipelinesApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    TestRestTemplate http;

    @Autowired
    KafkaPipelineStatus kafka;

    @Autowired
    S3Client s3;

    @Autowired
    ModelGraph models;

    @Autowired
    SourceTables sources;

    @Autowired
    JdbcTemplate state;

    @Value("${dvd.kafka.brokers}")
    String brokers;

    @Value("${dvd.s3.bucket}")
    String bucket;

    @Test
    void lagPerPartitionIsTheEndOffsetLessTheGroupsCommittedOffset() throws Exception {
        String topic = "pipelines-status-" + RUN;
        String group = "pipelines-status-" + RUN;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, "click-" + i)).get();
                }
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>(topic, 1, null, "click-" + i)).get();
                }
            }
            // The group has processed two messages of partition 0 and none of partition 1.
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)))
                    .all().get();
        }

        assertThat(kafka.consumerLag(topic, group)).containsExactly(
                new PartitionLag(0, 2, 5, 3), new PartitionLag(1, 0, 3, 3));
        assertThat(kafka.messageCount(topic)).isEqualTo(8);
        assertThat(kafka.consumerLag("no-such-topic-" + RUN, group)).isEmpty();
        assertThat(kafka.messageCount("no-such-topic-" + RUN)).isZero();
    }

    @Test
    void pipelinesAnswersForBothPipelinesAndSaysWhatItCannotKnow() throws Exception {
        ResponseEntity<String> response = http.getForEntity("/api/pipelines", String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(response.getBody());

        JsonNode stream = body.get("stream");
        assertThat(stream.get("topic").asText()).isEqualTo("dvd_clicks");
        assertThat(stream.get("consumerGroup").asText()).isEqualTo("dvd-clicks-ingest");
        assertThat(stream.get("dlqTopic").asText()).isEqualTo("dvd_clicks.dlq");
        assertThat(stream.get("consumerLag").isArray()).isTrue();
        assertThat(stream.get("totalLag").isNumber()).isTrue();
        assertThat(stream.get("dlqCount").isNumber()).isTrue();
        assertThat(stream.has("referenceData")).isTrue();
        assertThat(body.get("batch").has("lastRun")).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void lastBatchRunIsTheRunLogsLatestRunWithEveryStepsState() throws Exception {
        // dim_date needs no source rows; its dependants fail or are skipped here, which the status must show too.
        TestRestTemplate operator = http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD);
        // A run still in progress elsewhere holds the run lock (409) for a moment: retry until this one is accepted.
        ResponseEntity<Map> started = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> operator.postForEntity("/api/batch/runs", Map.of("scope", "dim_date"), Map.class),
                        r -> r.getStatusCode().value() != 409);
        assertThat(started.getStatusCode().value()).as("POST /api/batch/runs: %s", started.getBody()).isEqualTo(202);
        String runId = (String) started.getBody().get("runId");
        Map<String, Object> run = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> operator.getForObject("/api/batch/runs/" + runId, Map.class),
                        r -> r != null && !"RUNNING".equals(r.get("state")));
        Map<String, String> stepStates = new HashMap<>();
        ((List<Map<String, Object>>) run.get("steps")).forEach(s -> stepStates.put((String) s.get("step"),
                (String) s.get("state")));
        assertThat(stepStates).containsKey("gold.dim_date");

        JsonNode lastRun = pipelines().get("batch").get("lastRun");
        assertThat(lastRun.get("runId").asText()).isEqualTo(runId);
        assertThat(lastRun.get("status").asText()).isEqualTo(run.get("state"));
        assertThat(lastRun.get("finishedAt").isNull()).isFalse();
        Map<String, String> shown = new HashMap<>();
        lastRun.get("steps").forEach(s -> shown.put(s.get("step").asText(), s.get("status").asText()));
        assertThat(shown).isEqualTo(stepStates);
    }

    /**
     * A failed step's error can name hosts and carry a stack trace: only the operator reads it. Anyone else sees the
     * step's state and figures. The run is written into the run log as the batch writes its runs.
     */
    @Test
    void errorTextsOfBatchStepsAreForTheOperatorOnly() throws Exception {
        String runId = "errors-" + RUN;
        String error = "org.postgresql.util.PSQLException: Connection to source-db.internal.example:5432 refused";
        state.update("INSERT INTO batch_run (run_id, trigger, mode, scope, state, error, finished_at) "
                + "VALUES (?, 'test', 'INCREMENTAL', 'ALL', 'FAILED', ?, clock_timestamp())", runId, error);
        state.update("INSERT INTO batch_step (run_id, step, kind, state, rows_read, rows_written, finished_at, "
                + "duration_ms, error) VALUES (?, 'extract:rental', 'extract', 'FAILED', 120, 100, clock_timestamp(), "
                + "5, ?)", runId, error);
        try {
            for (JsonNode anyone : List.of(pipelines(http), pipelines(http.withBasicAuth(TestServices.VIEWER_USER,
                    TestServices.VIEWER_PASSWORD)))) {
                JsonNode lastRun = anyone.get("batch").get("lastRun");
                assertThat(lastRun.get("runId").asText()).isEqualTo(runId);
                JsonNode step = lastRun.get("steps").get(0);
                assertThat(step.get("status").asText()).isEqualTo("FAILED");
                assertThat(step.get("rows").asLong()).isEqualTo(100);
                assertThat(anyone.toString()).doesNotContain("source-db.internal.example", "PSQLException");
                // The lineage shows the failed node, linked to its run, without the text.
                JsonNode bronze = node(anyone, "bronze.rental");
                assertThat(bronze.get("health").asText()).isEqualTo("FAILED");
                assertThat(bronze.get("runId").asText()).isEqualTo(runId);
                assertThat(bronze.has("error")).isFalse();
            }
            JsonNode operator = pipelines(http.withBasicAuth(TestServices.ADMIN_USER, TestServices.ADMIN_PASSWORD));
            assertThat(operator.get("batch").get("lastRun").get("steps").get(0).get("error").asText()).isEqualTo(error);
            assertThat(node(operator, "bronze.rental").get("error").asText()).isEqualTo(error);
        } finally {
            state.update("DELETE FROM batch_step WHERE run_id = ?", runId);
            state.update("DELETE FROM batch_run WHERE run_id = ?", runId);
        }
    }

    /**
     * The lineage: every model of the graph with its declared upstreams, every bronze table on its source table, the
     * dashboards' questions on what they read, and the stream from its topic to its views; each with a health.
     */
    @Test
    void graphHasEveryModelWithItsUpstreamsAndTheStreamPathToTheQuestions() throws Exception {
        JsonNode graph = pipelines().get("graph");
        assertThat(graph.get("errors")).isEmpty();
        Map<String, JsonNode> nodes = new HashMap<>();
        graph.get("nodes").forEach(n -> nodes.put(n.get("id").asText(), n));

        for (String model : models.order()) {
            assertThat(nodes).containsKey(model);
            List<String> upstreams = new ArrayList<>();
            nodes.get(model).get("upstreams").forEach(u -> upstreams.add(u.asText()));
            assertThat(upstreams).as(model).isEqualTo(models.model(model).dependsOn());
            upstreams.forEach(u -> assertThat(nodes).as(model + " reads " + u).containsKey(u));
        }
        for (SourceTable table : sources.tables()) {
            assertThat(nodes.get(table.bronzeTable()).get("upstreams").get(0).asText())
                    .isEqualTo("source." + table.name());
        }
        assertThat(nodes.get("question:batch/top-films").get("upstreams").get(0).asText())
                .isEqualTo("gold.report_rentals");
        assertThat(nodes.get("route:clicks-ingest").get("upstreams").get(0).asText()).isEqualTo("topic:dvd_clicks");
        assertThat(nodes.get("route:clicks-ingest").get("state").asText()).isNotEqualTo("absent");
        assertThat(nodes.get("stream.clicks_per_minute").get("upstreams").get(0).asText())
                .isEqualTo("stream.dvd_clicks");
        assertThat(nodes.get("topic:dvd_clicks").get("lag").isNumber()).isTrue();
        assertThat(nodes.values()).allSatisfy(n -> assertThat(n.get("label").asText()).isNotEmpty());
        assertThat(nodes.values()).filteredOn(n -> !n.get("kind").asText().matches("source table|question"))
                .allSatisfy(n -> assertThat(n.get("health").asText())
                        .isIn("OK", "RUNNING", "FAILED", "BLOCKED", "WARNING", "IDLE"));
    }

    @Test
    void referenceDataIsTheVersionOfTheLoadedExport() {
        String version = "pipelines-" + RUN;
        StreamTestSupport.writeExport(s3, bucket, version, List.of(
                new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86),
                new FilmReference(2, "Ace Goldfinger", "Horror", "G", 48)));

        JsonNode reference = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> pipelines().get("stream").get("referenceData"),
                        r -> r != null && !r.isNull() && version.equals(r.get("version").asText()));
        assertThat(reference.get("loadedAt").isNull()).isFalse();
        assertThat(reference.get("ageSeconds").asLong()).isBetween(0L, 60L);
    }

    private static JsonNode node(JsonNode pipelines, String id) {
        for (JsonNode n : pipelines.get("graph").get("nodes")) {
            if (id.equals(n.get("id").asText())) {
                return n;
            }
        }
        throw new AssertionError("no node " + id);
    }

    private JsonNode pipelines() throws Exception {
        return pipelines(http);
    }

    private static JsonNode pipelines(TestRestTemplate http) throws Exception {
        ResponseEntity<String> response = http.getForEntity("/api/pipelines", String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return new ObjectMapper().findAndRegisterModules().readTree(response.getBody());
    }
}
