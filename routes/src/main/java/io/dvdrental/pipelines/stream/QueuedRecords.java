package io.dvdrental.pipelines.stream;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One consumer's records that camel-kafka holds for its next round (polled, not yet handed to the route), counted
 * per partition, and how many of them were polled before their partition was revoked. camel-kafka hands records over
 * in the order they were polled, so a partition's stale records are the first of it in the rounds that follow.
 * Used on the consumer's thread only: its polls, its rebalance callbacks and its rounds all run there.
 */
final class QueuedRecords {

    /** A consumer that keeps this count of its own: {@link ClickConsumerFactory}'s. */
    interface Counting {
        QueuedRecords queued();
    }

    private final Map<TopicPartition, Integer> queued = new HashMap<>();
    private final Map<TopicPartition, Integer> stale = new HashMap<>();
    private boolean readAgain;

    void polled(TopicPartition partition, int records) {
        queued.merge(partition, records, Integer::sum);
    }

    /** The partitions are revoked (or lost): the records of them held now are stale. */
    void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Integer held = queued.remove(partition);
            if (held != null) {
                stale.merge(partition, held, Integer::sum);
            }
        }
    }

    /**
     * A round failed: camel-kafka (breakOnFirstError) drops the round and the rest of the poll it came from, so it
     * holds nothing of this consumer's any more; the consumer's partitions are to be read again from the committed
     * offsets before its next poll (a consumer that camel-kafka does not reconnect, being paused, polls on past them).
     */
    void failed() {
        queued.clear();
        stale.clear();
        readAgain = true;
    }

    /** Whether the partitions are to be read again from the committed offsets; asked once, on the next poll. */
    boolean takeReadAgain() {
        boolean due = readAgain;
        readAgain = false;
        return due;
    }

    /** A round hands over {@code records} of the partition: how many of the first of them are stale. */
    int handOver(TopicPartition partition, int records) {
        int staleHeld = stale.getOrDefault(partition, 0);
        int skipped = Math.min(staleHeld, records);
        if (staleHeld > skipped) {
            stale.put(partition, staleHeld - skipped);
        } else {
            stale.remove(partition);
        }
        int current = records - skipped;
        queued.computeIfPresent(partition, (k, held) -> held > current ? held - current : null);
        return skipped;
    }
}
