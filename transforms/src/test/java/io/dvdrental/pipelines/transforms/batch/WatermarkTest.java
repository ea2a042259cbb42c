package io.dvdrental.pipelines.transforms.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 30, 12, 0);

    @Test
    void movesToTheHighestCursorAndKeyRead() {
        Watermark mark = Watermark.NONE.advance(NOW.minusHours(1), 42L, NOW);
        assertThat(mark).isEqualTo(new Watermark(NOW.minusHours(1), 42L));
        assertThat(mark.advance(NOW.minusMinutes(5), 50L, NOW)).isEqualTo(new Watermark(NOW.minusMinutes(5), 50L));
    }

    @Test
    void neverPassesTheSourceClockAtTheStartOfTheRead() {
        assertThat(Watermark.NONE.advance(NOW.plusHours(2), null, NOW).cursor()).isEqualTo(NOW);
        // An earlier watermark that ran ahead (before this rule) is pulled back to the clock too.
        assertThat(new Watermark(NOW.plusYears(70), null).advance(NOW.minusDays(1), null, NOW).cursor())
                .isEqualTo(NOW);
    }

    @Test
    void neverGoesBackWhenOnlyOlderRowsWereRead() {
        Watermark mark = new Watermark(NOW.minusHours(1), 42L);
        assertThat(mark.advance(LocalDateTime.of(2006, 2, 14, 0, 0), 40L, NOW)).isEqualTo(mark);
        assertThat(mark.advance(null, null, NOW)).isEqualTo(mark);
    }

    @Test
    void readsFromALookbackBelowTheWatermark() {
        Watermark mark = new Watermark(NOW, 20_000L);
        assertThat(mark.readAfter(Duration.ofMinutes(10))).isEqualTo(NOW.minusMinutes(10));
        assertThat(mark.readAfterKey(10_000)).isEqualTo(10_000L);
        assertThat(Watermark.NONE.readAfter(Duration.ofMinutes(10))).isNull();
        assertThat(Watermark.NONE.readAfterKey(10_000)).isNull();
    }
}
