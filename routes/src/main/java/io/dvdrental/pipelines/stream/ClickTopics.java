package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.KafkaClientSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the click and dead-letter topics before the routes start, when missing: a topic auto-created by the first
 * consumer would get the broker's default partition count, and partitions are what the ingest scales by; and a
 * managed cluster (Confluent Cloud) creates no topic by itself. The dead-letter sender calls it again when the
 * dead-letter topic has gone.
 */
@Component
public class ClickTopics implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(ClickTopics.class);

    private final KafkaClientSettings kafka;
    private final StreamProperties properties;

    public ClickTopics(KafkaClientSettings kafka, StreamProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            createMissing();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Kafka away at start-up: the consumers wait for it; the topics are created on the next start.
            LOG.warn("Could not check or create the click topics: {}", e.getMessage());
        }
    }

    /** Creates the click and dead-letter topics that do not exist; returns the names it created. */
    public List<String> createMissing() throws Exception {
        try (Admin admin = Admin.create(kafka.admin("dvd-pipelines-topics"))) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(properties.topic(), properties.dlqTopic()).stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, properties.partitions(), properties.replicationFactor())).toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            try {
                admin.createTopics(missing).all().get(20, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another replica created it meanwhile: it exists, which is all that is wanted.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            List<String> created = missing.stream().map(NewTopic::name).toList();
            LOG.info("Created Kafka topics {}", created);
            return created;
        }
    }
}
