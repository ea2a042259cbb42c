package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.ChangeRecord;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a change stands in its capture's stream, for cutting it into insert batches. Streamed changes are ordered by
 * (commit LSN, change LSN), which never repeats; the rows of the initial snapshot by their key (the snapshot reads
 * each table in key order) and come before every streamed change. A snapshot row's position does not depend on the
 * snapshot's LSN, so that a snapshot repeated after a crash (at a new LSN) is cut along the same keys.
 */
public record ChangePosition(long commitLsn, long changeLsn, long[] key) implements Comparable<ChangePosition> {

    public static final ChangePosition END = new ChangePosition(Long.MAX_VALUE, Long.MAX_VALUE, new long[0]);

    public static ChangePosition of(ChangeRecord change, java.util.List<String> keyColumns) {
        if (!change.snapshot()) {
            return new ChangePosition(change.commitLsn(), change.changeLsn(), new long[0]);
        }
        Map<String, Object> key = change.key();
        long[] values = new long[keyColumns.size()];
        for (int i = 0; i < values.length; i++) {
            Object value = key.get(keyColumns.get(i));
            if (!(value instanceof Number number)) {
                throw new IllegalArgumentException(change.table() + ": key column " + keyColumns.get(i)
                        + " is not an integer (" + value + ")");
            }
            values[i] = number.longValue();
        }
        return new ChangePosition(0, 0, values);
    }

    public boolean snapshot() {
        return commitLsn == 0 && changeLsn == 0;
    }

    @Override
    public int compareTo(ChangePosition other) {
        int c = Long.compare(commitLsn, other.commitLsn);
        if (c == 0) {
            c = Long.compare(changeLsn, other.changeLsn);
        }
        return c != 0 ? c : Arrays.compare(key, other.key);
    }

    /** As written in a deduplication token: {@code <commit>.<change>} or {@code k<key>[_<key>]}. */
    public String token() {
        return snapshot() ? "k" + Arrays.stream(key).mapToObj(Long::toString).collect(Collectors.joining("_"))
                : commitLsn + "." + changeLsn;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangePosition p && compareTo(p) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(commitLsn) + 17 * Long.hashCode(changeLsn) + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return token();
    }
}
