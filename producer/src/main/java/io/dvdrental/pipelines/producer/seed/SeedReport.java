package io.dvdrental.pipelines.producer.seed;

import java.time.Duration;
import java.util.Map;

/** What a seed run did: whether it skipped a database that had rentals, and the rows it wrote per table. */
public record SeedReport(boolean skipped, Map<String, Long> rowsByTable, Duration elapsed) {

    public long totalRows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
