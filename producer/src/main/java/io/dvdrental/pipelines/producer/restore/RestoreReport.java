package io.dvdrental.pipelines.producer.restore;

import java.time.Duration;
import java.util.Map;

/** What a restore loaded: the dump's format, rows per dvdrental table, how long, and the rentals it replaced. */
public record RestoreReport(DumpFile.Format format, Map<String, Long> rowsByTable, Duration elapsed,
                            long replacedRentals) {

    public long totalRows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
