package io.dvdrental.pipelines.cli;

import io.dvdrental.pipelines.cli.RunStatus.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The words and figures of a run's progress: the live line, one line per finished step, and the end. */
public final class ProgressText {

    private ProgressText() {
    }

    /** The one-line view while a run goes: state, steps done of total, rows, elapsed, what runs now; cut to width. */
    public static String liveLine(RunStatus run, Duration elapsed, int width) {
        StringBuilder line = new StringBuilder()
                .append(lower(run.mode())).append(" run ").append(run.id()).append("  ").append(run.state())
                .append("  ").append(run.stepsDone()).append('/').append(run.stepsTotal()).append(" steps  ")
                .append(rows(run.rowsExtracted())).append(" rows  ").append(clock(elapsed));
        List<String> running = run.stepsIn("RUNNING").stream().map(Step::name).toList();
        if (!running.isEmpty()) {
            line.append("  ").append(String.join(", ", running));
        }
        return cut(line.toString(), width);
    }

    /** The first line of a follow, in either display. */
    public static String header(RunStatus run) {
        return "Batch run " + run.id() + " (" + lower(run.mode())
                + ("DIM_DATE".equals(run.scope()) ? ", dim_date and its dependants" : "") + "): "
                + run.stepsTotal() + " steps";
    }

    /** A finished step as one line of the plain display: its place, state, rows, time and why when not done. */
    public static String stepLine(int done, int total, Step step) {
        String width = String.valueOf(Math.max(total, done)).length() + "d";
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%" + width + "/%" + width + "] %-28s %-9s",
                done, total, step.name(), step.state()));
        if ("SUCCEEDED".equals(step.state()) || "UNCHANGED".equals(step.state()) || "FAILED".equals(step.state())) {
            line.append(String.format(Locale.ROOT, " %12s read %12s written", rows(step.rowsRead()),
                    rows(step.rowsWritten())));
        }
        if (step.durationMs() != null) {
            line.append(String.format(Locale.ROOT, " %7.1f s", step.durationMs() / 1000.0));
        }
        if (step.error() != null) {
            line.append("  ").append(step.error());
        }
        return line.toString().stripTrailing();
    }

    /** The end of a run: state, time, steps and rows; for a failure, every failed step with its reason. */
    public static List<String> summary(RunStatus run, Duration elapsed) {
        List<String> lines = new ArrayList<>();
        lines.add("Batch run " + run.id() + " " + run.state() + (run.succeeded() ? " in " : " after ") + clock(elapsed)
                + ": " + run.stepsDone() + "/" + run.stepsTotal() + " steps, " + rows(run.rowsExtracted())
                + " rows extracted.");
        if (run.succeeded()) {
            return lines;
        }
        List<Step> failed = run.stepsIn("FAILED");
        for (Step step : failed) {
            lines.add("  failed " + step.name() + ": " + (step.error() == null ? "no reason recorded" : step.error()));
        }
        List<Step> skipped = run.stepsIn("SKIPPED");
        if (!skipped.isEmpty()) {
            lines.add("  skipped " + skipped.size() + " step" + (skipped.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", skipped.stream().map(s -> s.name() + " (" + s.error() + ")").toList()));
        }
        if (failed.isEmpty() && run.error() != null) {
            lines.add("  reason: " + run.error());
        }
        return lines;
    }

    /** Elapsed time as m:ss, or h:mm:ss from an hour. */
    public static String clock(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    public static String rows(long rows) {
        return String.format(Locale.ROOT, "%,d", rows);
    }

    private static String lower(String word) {
        return word == null ? "?" : word.toLowerCase(Locale.ROOT);
    }

    private static String cut(String line, int width) {
        return width > 1 && line.length() >= width ? line.substring(0, width - 2) + "…" : line;
    }
}
