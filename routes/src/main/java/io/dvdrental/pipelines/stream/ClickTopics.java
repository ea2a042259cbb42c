package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.ConnectionProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Creates the click and dead-letter topics before the routes start, when missing: a topic auto-created by the first
 * consumer would get the broker's default partition count, and partitions are what the ingest scales by.
 */
@Component
public class ClickTopics implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(ClickTopics.class);

    private final String brokers;
    private final StreamProperties properties;

    public ClickTopics(ConnectionProperties connections, StreamProperties properties) {
        this.brokers = connections.kafka().brokers();
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Set<String> existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(properties.topic(), properties.dlqTopic()).stream()
                    .filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, properties.partitions(), properties.replicationFactor())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(20, TimeUnit.SECONDS);
                LOG.info("Created Kafka topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Kafka away at start-up: the consumers wait for it; the topics are created on the next start.
            LOG.warn("Could not check or create the click topics on {}: {}", brokers, e.getMessage());
        }
    }
}
