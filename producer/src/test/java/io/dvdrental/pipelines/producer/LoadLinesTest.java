package io.dvdrental.pipelines.producer;

import io.dvdrental.pipelines.producer.seed.LoadProgress;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadLinesTest {

    @Test
    void aLineTellsTableRowsAndRate() {
        assertThat(LoadLines.progress("rental", 500_000, Duration.ofSeconds(2), LoadProgress.Stage.SENDING))
                .isEqualTo("  rental              500,000 rows      250,000 rows/s  loading");
        assertThat(LoadLines.progress("rental", 1_604_400, Duration.ofSeconds(135), LoadProgress.Stage.CHECKING))
                .isEqualTo("  rental            1,604,400 rows sent, PostgreSQL checks them (foreign keys) 135 s");
        assertThat(LoadLines.progress("rental", 1_604_400, Duration.ofMillis(6500), LoadProgress.Stage.LOADED))
                .isEqualTo("  rental            1,604,400 rows      246,831 rows/s  loaded in 6.5 s");
    }
}
