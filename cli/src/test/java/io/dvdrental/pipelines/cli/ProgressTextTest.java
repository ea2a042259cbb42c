package io.dvdrental.pipelines.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.dvdrental.pipelines.cli.Runs.run;
import static io.dvdrental.pipelines.cli.Runs.step;
import static org.assertj.core.api.Assertions.assertThat;

class ProgressTextTest {

    private final RunStatus going = run("RUNNING", null, List.of(
            step("extract:rental", "SUCCEEDED", 16044, 16044, 1200L, null),
            step("extract:payment", "SUCCEEDED", 14596, 14596, 900L, null),
            step("extract:inventory", "RUNNING", 0, 0, null, null),
            step("extract:film", "RUNNING", 0, 0, null, null)), null);

    @Test
    void theLiveLineTellsStepsDoneOfTotalRowsElapsedAndWhatRuns() {
        assertThat(ProgressText.liveLine(going, Duration.ofSeconds(67), 200)).isEqualTo(
                "full run 20261130215500-ab12cd34  RUNNING  2/42 steps  30,640 rows  1:07  extract:inventory, extract:film");
    }

    @Test
    void theLiveLineFitsTheTerminal() {
        String line = ProgressText.liveLine(going, Duration.ofSeconds(67), 60);
        assertThat(line).hasSize(59).endsWith("…").startsWith("full run 20261130215500-ab12cd34  RUNNING  2/42");
    }

    @Test
    void aFinishedStepIsOneLineWithItsRowsTimeAndReason() {
        assertThat(ProgressText.stepLine(3, 42, step("extract:rental", "SUCCEEDED", 16044, 16040, 1234L,
                "4 rows quarantined"))).isEqualTo("[ 3/42] extract:rental               SUCCEEDED       16,044 read"
                + "       16,040 written     1.2 s  4 rows quarantined");
        assertThat(ProgressText.stepLine(17, 42, step("silver.dvd_rental", "SKIPPED", 0, 0, 0L,
                "upstream bronze.rental failed"))).isEqualTo("[17/42] silver.dvd_rental            SKIPPED"
                + "       0.0 s  upstream bronze.rental failed");
    }

    @Test
    void aSucceededRunEndsWithOneLine() {
        RunStatus done = run("SUCCEEDED", null, List.of(step("extract:rental", "SUCCEEDED", 16044, 16044, 1L, null)),
                Runs.STARTED.plusSeconds(3725));
        assertThat(ProgressText.summary(done, done.elapsed(Runs.STARTED))).containsExactly(
                "Batch run 20261130215500-ab12cd34 SUCCEEDED in 1:02:05: 1/42 steps, 16,044 rows extracted.");
    }

    @Test
    void aFailedRunEndsWithEveryFailedStepAndItsReason() {
        RunStatus failed = run("FAILED", "failed steps: extract:inventory, quality", List.of(
                step("extract:inventory", "FAILED", 10, 0, 5L, "PSQLException: relation \"public.inventory\" does not exist"),
                step("silver.dvd_inventory", "SKIPPED", 0, 0, 0L, "upstream bronze.inventory failed"),
                step("quality", "FAILED", 40, 0, 5L, "freshness inventory (never loaded)")),
                Runs.STARTED.plusSeconds(9));
        assertThat(ProgressText.summary(failed, Duration.ofSeconds(9))).containsExactly(
                "Batch run 20261130215500-ab12cd34 FAILED after 0:09: 3/42 steps, 10 rows extracted.",
                "  failed extract:inventory: PSQLException: relation \"public.inventory\" does not exist",
                "  failed quality: freshness inventory (never loaded)",
                "  skipped 1 step: silver.dvd_inventory (upstream bronze.inventory failed)");
    }

    @Test
    void aRunThatEndedWithoutAFailedStepGivesTheRunsReason() {
        RunStatus abandoned = run("ABANDONED", "its server stopped: no heartbeat since 2026-11-30 21:55:05", List.of(),
                Runs.STARTED.plusSeconds(40));
        assertThat(ProgressText.summary(abandoned, Duration.ofSeconds(40))).containsExactly(
                "Batch run 20261130215500-ab12cd34 ABANDONED after 0:40: 0/42 steps, 0 rows extracted.",
                "  reason: its server stopped: no heartbeat since 2026-11-30 21:55:05");
    }
}
