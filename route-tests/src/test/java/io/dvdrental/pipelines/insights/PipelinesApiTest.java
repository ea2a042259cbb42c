package io.dvdrental.pipelines.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.insights.KafkaPipelineStatus.PartitionLag;
import io.dvdrental.pipelines.support.RealServicesTest;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/pipelines}, and the broker figures behind it read from a real Kafka on a topic made for the test. */
@RealServicesTest
class PipelinesApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    TestRestTemplate http;

    @Autowired
    KafkaPipelineStatus kafka;

    @Value("${dvd.kafka.brokers}")
    String brokers;

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
}
