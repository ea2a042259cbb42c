package io.dvdrental.pipelines.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The reliability report: a Markdown table, one row per scenario. */
public final class Report {

    private static final DateTimeFormatter FILE_STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private Report() {
    }

    public static String markdown(List<ScenarioResult> results, String command, Instant started, Instant finished) {
        StringBuilder md = new StringBuilder("# Reliability report\n\n");
        md.append("Run `").append(command).append("` from ").append(started).append(" to ").append(finished)
                .append(" against the real local services (loopback only). Verdicts: PASS, FAIL, PARTIAL (what ran ")
                .append("passed, a part could not run: the row says why), NOT_RUN (the row says why).\n\n");
        md.append("| scenario | what was done | expected | measured | verdict |\n");
        md.append("| --- | --- | --- | --- | --- |\n");
        for (ScenarioResult r : results) {
            md.append("| ").append(cell(r.scenario())).append(" | ").append(cell(r.done())).append(" | ")
                    .append(cell(r.expected())).append(" | ").append(cell(r.measured())).append(" | **")
                    .append(r.verdict()).append("** |\n");
        }
        long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
        md.append("\n").append(results.size()).append(" scenario(s), ").append(failed).append(" failed.\n");
        return md.toString();
    }

    /** Writes {@code reliability-<UTC date and time>.md} and {@code latest.md} into {@code dir}; returns the first. */
    public static Path write(Path dir, String markdown, Instant started) throws IOException {
        Files.createDirectories(dir);
        Path dated = dir.resolve("reliability-" + FILE_STAMP.format(started) + ".md");
        Files.writeString(dated, markdown, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("latest.md"), markdown, StandardCharsets.UTF_8);
        return dated;
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }
}
