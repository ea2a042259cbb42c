package io.dvdrental.pipelines.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ./dvd batch runs}: recent runs, newest first, one line each (started in the machine's time zone). */
public final class RunsTable {

    private static final String FORMAT = "%-24s %-22s %-10s %-19s %9s %12s";

    private RunsTable() {
    }

    public static List<String> lines(List<RunStatus> runs, Instant now, ZoneId zone) {
        if (runs.isEmpty()) {
            return List.of("No batch run yet. Start one: ./dvd batch run full");
        }
        DateTimeFormatter started = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, FORMAT, "id", "mode", "state", "started", "duration", "rows").stripTrailing());
        for (RunStatus run : runs) {
            String mode = run.mode() == null ? "?" : run.mode().toLowerCase(Locale.ROOT)
                    + ("DIM_DATE".equals(run.scope()) ? " (dim_date)" : "");
            lines.add(String.format(Locale.ROOT, FORMAT, run.id(), mode, run.state(),
                    run.startedAt() == null ? "?" : started.format(run.startedAt()),
                    ProgressText.clock(run.elapsed(now)) + (run.running() ? "…" : ""),
                    ProgressText.rows(run.rowsExtracted())));
        }
        return lines;
    }
}
