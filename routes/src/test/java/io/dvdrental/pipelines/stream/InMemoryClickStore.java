package io.dvdrental.pipelines.stream;

import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

    /** Forgets every row, range and token: each test of a context that shares the store starts from none. */
    synchronized void clear() {
        rows.clear();
        insertedTokens.clear();
        recentTokens.clear();
        ranges.clear();
        highWater.clear();
        failNextInsert = false;
        beforeNextRange = null;
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
    public synchronized void insertClicks(ClickPartition partition, Range range, ClickBlock clicks) {
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
        for (Row row : rows(partition, clicks)) {
            if (row.offset() > fence) {
                rows.add(row);
                highWater.merge(partition, row.offset(), Math::max);
            }
        }
    }

    /** The event id and offset of each row, read back from the Native blocks as ClickHouse reads them. */
    static List<Row> rows(ClickPartition partition, ClickBlock clicks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            clicks.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer in = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        List<Row> read = new ArrayList<>();
        while (in.hasRemaining()) {
            int columns = varInt(in);
            int count = varInt(in);
            String[] eventIds = new String[count];
            long[] offsets = new long[count];
            for (int column = 0; column < columns; column++) {
                String name = text(in);
                String type = text(in);
                for (int row = 0; row < count; row++) {
                    switch (name) {
                        case "event_id" -> eventIds[row] = new UUID(in.getLong(), in.getLong()).toString();
                        case "kafka_offset" -> offsets[row] = in.getLong();
                        default -> {
                            int length = switch (type) {
                                case "String" -> varInt(in);
                                case "UInt8" -> 1;
                                case "UInt16" -> 2;
                                case "UInt32" -> 4;
                                case "DateTime64(3, 'UTC')" -> 8;
                                default -> throw new IllegalStateException("Unexpected column type " + type);
                            };
                            in.position(in.position() + length);
                        }
                    }
                }
            }
            for (int row = 0; row < count; row++) {
                read.add(new Row(partition, offsets[row], eventIds[row]));
            }
        }
        if (read.size() != clicks.count()) {
            throw new IllegalStateException(read.size() + " rows in the blocks, " + clicks.count() + " counted");
        }
        return read;
    }

    private static String text(ByteBuffer in) {
        byte[] utf8 = new byte[varInt(in)];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static int varInt(ByteBuffer in) {
        int value = 0;
        int shift = 0;
        byte b;
        do {
            b = in.get();
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while (b < 0);
        return value;
    }
}
