package io.dvdrental.pipelines.producer;

import io.dvdrental.pipelines.producer.seed.LoadProgress;

import java.time.Duration;
import java.util.Locale;

/** The lines the producer prints while it loads the source database: table, rows, rate. */
final class LoadLines {

    private LoadLines() {
    }

    static String progress(String table, long rows, Duration elapsed, LoadProgress.Stage stage) {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        return switch (stage) {
            case SENDING -> String.format(Locale.ROOT, "  %-14s %,12d rows %,12.0f rows/s  loading", table, rows,
                    rows / seconds);
            case CHECKING -> String.format(Locale.ROOT, "  %-14s %,12d rows sent, PostgreSQL checks them (foreign "
                    + "keys) %.0f s", table, rows, seconds);
            case LOADED -> String.format(Locale.ROOT, "  %-14s %,12d rows %,12.0f rows/s  loaded in %.1f s", table,
                    rows, rows / seconds, seconds);
        };
    }
}
