package io.dvdrental.pipelines.producer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadLinesTest {

    @Test
    void aLineTellsTableRowsAndRate() {
        assertThat(LoadLines.progress("rental", 500_000, Duration.ofSeconds(2), false))
                .isEqualTo("  rental              500,000 rows      250,000 rows/s  loading");
        assertThat(LoadLines.progress("rental", 1_604_400, Duration.ofMillis(6500), true))
                .isEqualTo("  rental            1,604,400 rows      246,831 rows/s  loaded in 6.5 s");
    }
}
