package io.dvdrental.pipelines.producer;

import java.time.Duration;
import java.util.Locale;

/** The lines the producer prints while it loads the source database: table, rows, rate. */
final class LoadLines {

    private LoadLines() {
    }

    static String progress(String table, long rows, Duration elapsed, boolean done) {
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        return String.format(Locale.ROOT, "  %-14s %,12d rows %,12.0f rows/s  %s", table, rows, rows / seconds,
                done ? String.format(Locale.ROOT, "loaded in %.1f s", seconds) : "loading");
    }
}
