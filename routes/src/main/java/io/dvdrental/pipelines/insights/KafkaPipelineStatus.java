package io.dvdrental.pipelines.insights;

import io.dvdrental.pipelines.config.KafkaClientSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the broker knows about the streaming pipeline: the consumer group's lag per partition of the click topic,
 * and how many messages sit in the dead-letter topic (durable, unlike a counter that restarts with the server).
 */
@Component
public class KafkaPipelineStatus implements DisposableBean {

    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;

    public KafkaPipelineStatus(KafkaClientSettings kafka) {
        Map<String, Object> settings = kafka.admin("dvd-pipelines-status");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        this.admin = Admin.create(settings);
    }

    public record PartitionLag(int partition, long committedOffset, long endOffset, long lag) {
    }

    /** Lag per partition; a partition the group has not committed on counts all its messages as lag. */
    public List<PartitionLag> consumerLag(String topic, String group) throws Exception {
        List<TopicPartition> partitions = partitions(topic);
        if (partitions.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> begin = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        List<PartitionLag> lags = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long position = c == null ? begin.get(tp) : c.offset();
            lags.add(new PartitionLag(tp.partition(), position, end.get(tp), Math.max(0, end.get(tp) - position)));
        }
        lags.sort(Comparator.comparingInt(PartitionLag::partition));
        return lags;
    }

    /** Messages currently held by the topic (all partitions); 0 when the topic does not exist yet. */
    public long messageCount(String topic) throws Exception {
        List<TopicPartition> partitions = partitions(topic);
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> begin = offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        return partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
    }

    private List<TopicPartition> partitions(String topic) throws Exception {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
            return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of();
            }
            throw e;
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, ListOffsetsResultInfo> result = admin.listOffsets(
                partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec))).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return result.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void destroy() {
        admin.close();
    }
}
