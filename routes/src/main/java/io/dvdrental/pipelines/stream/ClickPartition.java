package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;

/**
 * One partition of one topic, the topic known by its name and by the id Kafka gave it when it was created: a topic
 * deleted and created again under the same name, or the same name on another cluster, has another id.
 */
public record ClickPartition(String topic, String topicId, int partition) {

    /** The insert deduplication token of a batch of this partition. */
    public String token(Range range) {
        return range.token(topic, topicId, partition);
    }
}
