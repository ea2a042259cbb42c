package io.dvdrental.pipelines.producer.seed;

import java.time.Duration;

/**
 * Hears how a load goes, table by table: while its rows are sent (every so many rows), while PostgreSQL checks them
 * at the end of the COPY (foreign keys are row triggers that run then; minutes for a large table), and when it is
 * loaded.
 */
@FunctionalInterface
public interface LoadProgress {

    enum Stage { SENDING, CHECKING, LOADED }

    LoadProgress SILENT = (table, rows, elapsed, stage) -> {
    };

    /** {@code rows} of {@code table} are sent (or loaded) after {@code elapsed}. */
    void rows(String table, long rows, Duration elapsed, Stage stage);
}
