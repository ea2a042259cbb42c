package io.dvdrental.pipelines.transforms.batch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Where a table's incremental extract resumes: the highest cursor (a source timestamp) and, for tables read by an
 * increasing key, the highest key already read; and the read's snapshot xmin, the oldest source transaction that may
 * not have committed when the read took its snapshot (PostgreSQL's {@code pg_snapshot_xmin}, a 64-bit xid: every
 * transaction older than it had ended, so its rows were visible to the read). Any of them may be null (nothing read
 * yet, no key cursor, a watermark kept before the snapshot xmin was).
 */
public record Watermark(LocalDateTime cursor, Long key, Long snapshotXmin) {

    public static final Watermark NONE = new Watermark(null, null, null);

    /**
     * How far behind the source's next xid a kept snapshot xmin may be and still be compared with rows' 32-bit
     * {@code xmin}: PostgreSQL compares those modulo 2^32, correctly within 2^31 transactions. Older, the read falls
     * back to the whole lookback.
     */
    static final long MAX_XID_AGE = 1L << 30;

    /**
     * The watermark after a read that saw cursors up to {@code seenCursor} and keys up to {@code seenKey}, started
     * when the source's clock showed {@code sourceNow}, with its snapshot xmin. It never passes that clock: a row
     * stamped in the future (a skewed clock, a source without the last_updated trigger) must not hide the rows written
     * after it. It never goes back either: rows read on every run (a NULL cursor falls back to an older date) must not
     * pull it back.
     */
    public Watermark advance(LocalDateTime seenCursor, Long seenKey, LocalDateTime sourceNow, Long readSnapshotXmin) {
        LocalDateTime highest = later(cursor, seenCursor);
        LocalDateTime clamped = highest == null || highest.isBefore(sourceNow) ? highest : sourceNow;
        Long highestKey = key == null ? seenKey : seenKey == null ? key : Long.valueOf(Math.max(key, seenKey));
        return new Watermark(clamped, highestKey, readSnapshotXmin);
    }

    /**
     * The cursor an incremental read's lookback starts after: {@code lookback} before the watermark, for rows whose
     * transaction began (and took its last_update) before the last read and committed after it.
     */
    public LocalDateTime readAfter(Duration lookback) {
        return cursor == null ? null : cursor.minus(lookback);
    }

    /**
     * The key an incremental read's lookback starts after: {@code keyLookback} ids below the highest read, for ids
     * that a slower transaction took before a higher one and committed after the last read.
     */
    public Long readAfterKey(long keyLookback) {
        return key == null ? null : key - keyLookback;
    }

    /**
     * The kept snapshot xmin when the lookback can be narrowed to the rows of transactions at or after it (the only
     * ones that can have committed after the last read): kept, and fewer than {@link #MAX_XID_AGE} transactions
     * before {@code nextXid}, the source's next 64-bit xid now. Empty: the lookback reads every row in it.
     */
    public Optional<Long> lateSince(long nextXid) {
        return snapshotXmin == null || nextXid - snapshotXmin > MAX_XID_AGE || snapshotXmin > nextXid
                ? Optional.empty() : Optional.of(snapshotXmin);
    }

    private static LocalDateTime later(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
