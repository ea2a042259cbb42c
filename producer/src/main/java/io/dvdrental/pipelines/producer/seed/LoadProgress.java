package io.dvdrental.pipelines.producer.seed;

import java.time.Duration;

/** Hears how a load goes, table by table: while a table loads (every so many rows) and when it is loaded. */
@FunctionalInterface
public interface LoadProgress {

    LoadProgress SILENT = (table, rows, elapsed, done) -> {
    };

    /** {@code rows} of {@code table} are written after {@code elapsed}; {@code done} when the table is complete. */
    void rows(String table, long rows, Duration elapsed, boolean done);
}
