package io.dvdrental.pipelines.transforms.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class WatermarkTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 30, 12, 0);

    @Test
    void movesToTheHighestCursorAndKeyRead() {
        Watermark mark = Watermark.NONE.advance(NOW.minusHours(1), 42L, NOW, 700L);
        assertThat(mark).isEqualTo(new Watermark(NOW.minusHours(1), 42L, 700L));
        assertThat(mark.advance(NOW.minusMinutes(5), 50L, NOW, 800L))
                .isEqualTo(new Watermark(NOW.minusMinutes(5), 50L, 800L));
    }

    @Test
    void neverPassesTheSourceClockAtTheStartOfTheRead() {
        assertThat(Watermark.NONE.advance(NOW.plusHours(2), null, NOW, 700L).cursor()).isEqualTo(NOW);
        // An earlier watermark that ran ahead (before this rule) is pulled back to the clock too.
        assertThat(new Watermark(NOW.plusYears(70), null, 700L).advance(NOW.minusDays(1), null, NOW, 800L).cursor())
                .isEqualTo(NOW);
    }

    @Test
    void neverGoesBackWhenOnlyOlderRowsWereRead() {
        Watermark mark = new Watermark(NOW.minusHours(1), 42L, 700L);
        assertThat(mark.advance(LocalDateTime.of(2006, 2, 14, 0, 0), 40L, NOW, 700L)).isEqualTo(mark);
        assertThat(mark.advance(null, null, NOW, 700L)).isEqualTo(mark);
    }

    @Test
    void readsFromALookbackBelowTheWatermark() {
        Watermark mark = new Watermark(NOW, 20_000L, null);
        assertThat(mark.readAfter(Duration.ofMinutes(10))).isEqualTo(NOW.minusMinutes(10));
        assertThat(mark.readAfterKey(10_000)).isEqualTo(10_000L);
        assertThat(Watermark.NONE.readAfter(Duration.ofMinutes(10))).isNull();
        assertThat(Watermark.NONE.readAfterKey(10_000)).isNull();
    }

    @Test
    void narrowsTheLookbackToTransactionsFromTheKeptSnapshotXminWhileItIsComparable() {
        Watermark mark = new Watermark(NOW, null, 5_000_000_000L);
        assertThat(mark.lateSince(5_000_000_100L)).contains(5_000_000_000L);
        assertThat(mark.advance(NOW, null, NOW, 5_000_000_100L).snapshotXmin()).isEqualTo(5_000_000_100L);
        // Too far behind the source's next xid to compare with 32-bit row xids, or from another database.
        assertThat(mark.lateSince(5_000_000_000L + Watermark.MAX_XID_AGE + 1)).isEmpty();
        assertThat(mark.lateSince(4_999_999_999L)).isEmpty();
        // Kept before the snapshot xmin was: the whole lookback.
        assertThat(new Watermark(NOW, null, null).lateSince(100)).isEmpty();
    }
}
