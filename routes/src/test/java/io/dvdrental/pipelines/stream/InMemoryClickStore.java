package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.EnrichedClick;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ClickStore} in memory that behaves as ClickHouse does for the ingest: an insert whose token is among the
 * last {@code window} tokens is dropped; rows at or below the partition's high-water mark (the highest offset of a
 * stored click) are dropped by the insert itself (the fence); ranges are kept per topic id and partition. Can fail the
 * next insert to stage a crash between the range and the insert, or run something just before the next range is
 * written (the rounds of another server while this one is frozen between its poll and its insert).
 */
final class InMemoryClickStore implements ClickStore {

    /** A stored click: where it was read, and its event id. */
    record Row(ClickPartition partition, long offset, String eventId) {
    }

    final List<Row> rows = new ArrayList<>();
    final List<String> insertedTokens = new ArrayList<>();
    private final int window;
    private final Deque<String> recentTokens = new ArrayDeque<>();
    private final Map<ClickPartition, List<Range>> ranges = new HashMap<>();
    private final Map<ClickPartition, Long> highWater = new HashMap<>();
    private boolean failNextInsert;
    private Runnable beforeNextRange;

    InMemoryClickStore(int window) {
        this.window = window;
    }

    synchronized void failNextInsert() {
        failNextInsert = true;
    }

    synchronized void beforeNextRange(Runnable meanwhile) {
        beforeNextRange = meanwhile;
    }

    synchronized long rows(String eventIdPrefix) {
        return rows.stream().filter(r -> r.eventId().startsWith(eventIdPrefix)).count();
    }

    @Override
    public synchronized Progress progress(ClickPartition partition, long fromOffset) {
        List<Range> known = ranges.getOrDefault(partition, List.of()).stream().filter(r -> r.last() >= fromOffset)
                .sorted(Comparator.comparingLong(Range::first)).toList();
        return new Progress(highWater.getOrDefault(partition, Progress.NONE), known);
    }

    @Override
    public void recordRange(ClickPartition partition, Range range, int rows) {
        Runnable meanwhile;
        synchronized (this) {
            meanwhile = beforeNextRange;
            beforeNextRange = null;
        }
        if (meanwhile != null) {
            meanwhile.run();
        }
        keepRange(partition, range);
    }

    private synchronized void keepRange(ClickPartition partition, Range range) {
        List<Range> known = ranges.computeIfAbsent(partition, k -> new ArrayList<>());
        known.removeIf(r -> r.first() == range.first());
        known.add(range);
    }

    @Override
    public synchronized void insertClicks(ClickPartition partition, Range range, List<EnrichedClick> clicks) {
        if (failNextInsert) {
            failNextInsert = false;
            throw new IllegalStateException("simulated crash before the insert");
        }
        String token = partition.token(range);
        if (recentTokens.contains(token)) {
            return;
        }
        recentTokens.addLast(token);
        while (recentTokens.size() > window) {
            recentTokens.removeFirst();
        }
        insertedTokens.add(token);
        long fence = highWater.getOrDefault(partition, Progress.NONE);
        for (EnrichedClick click : clicks.stream().filter(c -> c.kafkaOffset() > fence).toList()) {
            rows.add(new Row(partition, click.kafkaOffset(), click.event().eventId()));
            highWater.merge(partition, click.kafkaOffset(), Math::max);
        }
    }
}
