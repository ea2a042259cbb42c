package io.dvdrental.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunStatusTest {

    @Test
    void readsTheServersAnswer() throws Exception {
        RunStatus run = RunStatus.of(new ObjectMapper().readTree("""
                {"run_id":"r1","trigger":"api","mode":"FULL","scope":"ALL","tables":"rental,film","state":"RUNNING",
                 "error":null,"started_at":"2026-11-30T21:55:00.250+00:00","finished_at":null,"stepsTotal":31,
                 "steps":[{"step":"extract:rental","kind":"extract","state":"SUCCEEDED","rows_read":16044,
                           "rows_written":16040,"duration_ms":1200,"error":"4 rows quarantined"},
                          {"step":"extract:film","kind":"extract","state":"RUNNING","rows_read":0,"rows_written":0,
                           "duration_ms":null,"error":null}],
                 "quality":[]}
                """));
        assertThat(run.id()).isEqualTo("r1");
        assertThat(run.startedAt()).isEqualTo(Instant.parse("2026-11-30T21:55:00.250Z"));
        assertThat(run.stepsTotal()).isEqualTo(31);
        assertThat(run.stepsDone()).isEqualTo(1);
        assertThat(run.rowsExtracted()).isEqualTo(16044);
        assertThat(run.steps().get(1).durationMs()).isNull();
        assertThat(run.elapsed(Instant.parse("2026-11-30T21:55:10.250Z"))).isEqualTo(Duration.ofSeconds(10));
    }
}
