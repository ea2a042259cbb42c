package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.config.KafkaClientSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Topic ids from the cluster's own description of the topic ({@code describeTopics}). Asked when a partition's reading
 * starts or goes back (start-up, restart, rebalance, rewind, a topic created again): not per round.
 */
@Component
public class KafkaTopicIds implements TopicIds {

    private final KafkaClientSettings kafka;

    public KafkaTopicIds(KafkaClientSettings kafka) {
        this.kafka = kafka;
    }

    @Override
    public String current(String topic) {
        try (Admin admin = Admin.create(kafka.admin("dvd-pipelines-topic-ids"))) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            return description.topicId().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Kafka for the id of topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot ask Kafka for the id of topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
