package io.dvdrental.pipelines.transforms.batch;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Where a table's incremental extract resumes: the highest cursor (a source timestamp) and, for tables read by an
 * increasing key, the highest key already read. Either may be null (nothing read yet, or no key cursor).
 */
public record Watermark(LocalDateTime cursor, Long key) {

    public static final Watermark NONE = new Watermark(null, null);

    /**
     * The watermark after a read that saw cursors up to {@code seenCursor} and keys up to {@code seenKey}, started
     * when the source's clock showed {@code sourceNow}. It never passes that clock: a row stamped in the future (a
     * skewed clock, a source without the last_updated trigger) must not hide the rows written after it. It never
     * goes back either: rows read on every run (a NULL cursor falls back to an older date) must not pull it back.
     */
    public Watermark advance(LocalDateTime seenCursor, Long seenKey, LocalDateTime sourceNow) {
        LocalDateTime highest = later(cursor, seenCursor);
        LocalDateTime clamped = highest == null || highest.isBefore(sourceNow) ? highest : sourceNow;
        Long highestKey = key == null ? seenKey : seenKey == null ? key : Long.valueOf(Math.max(key, seenKey));
        return new Watermark(clamped, highestKey);
    }

    /**
     * The cursor an incremental read starts after: {@code lookback} before the watermark, for rows whose transaction
     * began (and took its last_update) before the last read and committed after it.
     */
    public LocalDateTime readAfter(Duration lookback) {
        return cursor == null ? null : cursor.minus(lookback);
    }

    /**
     * The key an incremental read starts after: {@code keyLookback} ids below the highest read, for ids that a
     * slower transaction took before a higher one and committed after the last read.
     */
    public Long readAfterKey(long keyLookback) {
        return key == null ? null : key - keyLookback;
    }

    private static LocalDateTime later(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
