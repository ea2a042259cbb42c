package io.dvdrental.pipelines.cli;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;

import static io.dvdrental.pipelines.cli.Runs.run;
import static io.dvdrental.pipelines.cli.Runs.step;
import static org.assertj.core.api.Assertions.assertThat;

class RunsTableTest {

    @Test
    void oneLinePerRunWithModeStateStartDurationAndRows() {
        RunStatus done = run("SUCCEEDED", null, List.of(step("extract:rental", "SUCCEEDED", 16044, 16044, 1L, null),
                step("silver.dvd_rental", "SUCCEEDED", 16044, 16044, 1L, null)), Runs.STARTED.plusSeconds(95));
        RunStatus going = new RunStatus("r2", "INCREMENTAL", "DIM_DATE", "RUNNING", null, Runs.STARTED, null,
                List.of(), 4);
        assertThat(RunsTable.lines(List.of(going, done), Runs.STARTED.plusSeconds(7), ZoneOffset.UTC)).containsExactly(
                "id                       mode                   state      started              duration         rows",
                "r2                       incremental (dim_date) RUNNING    2026-11-30 21:55:00     0:07…            0",
                "20261130215500-ab12cd34  full                   SUCCEEDED  2026-11-30 21:55:00      1:35       16,044");
    }

    @Test
    void noRunYetSaysHowToStartOne() {
        assertThat(RunsTable.lines(List.of(), Runs.STARTED, ZoneOffset.UTC))
                .containsExactly("No batch run yet. Start one: ./dvd batch run full");
    }
}
