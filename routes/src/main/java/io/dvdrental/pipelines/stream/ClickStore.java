package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;

import java.util.List;

/**
 * Where the clicks go, and what it remembers of each partition. Inserts are idempotent per token: a batch inserted
 * again under the token of its range is dropped (in the raw table and in every view) while the token is in the
 * store's deduplication window; the high-water mark covers what lies beyond that window.
 */
public interface ClickStore {

    /** What the store knows of a partition: its high-water mark, and the ranges that end at or after an offset. */
    record Progress(long highWater, List<Range> ranges) {

        /** Nothing stored yet for the partition. */
        public static final long NONE = -1;
    }

    Progress progress(ClickPartition partition, long fromOffset);

    /** Writes a batch's range down; must happen before the batch's insert. */
    void recordRange(ClickPartition partition, Range range, int rows);

    /** Inserts a batch's rows under the token of its range; returns once the store has confirmed it. */
    void insertClicks(ClickPartition partition, Range range, ClickBlock rows);
}
