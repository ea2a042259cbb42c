package io.dvdrental.pipelines.cdc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LagClockTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aSlotThatConfirmedTheCurrentPositionIsNotBehind() {
        LagClock clock = new LagClock();
        clock.observe(T0, 1000);
        assertThat(clock.behind(1000, T0)).isZero();
    }

    @Test
    void theLagIsTheTimeSinceTheSourceWasLastAtAConfirmedPosition() {
        LagClock clock = new LagClock();
        clock.observe(T0, 1000);
        clock.observe(T0.plusSeconds(5), 2000);
        clock.observe(T0.plusSeconds(10), 3000);
        // Bronze holds up to 2500: everything the source had at T0+5 s, not all it had at T0+10 s.
        assertThat(clock.behind(2500, T0.plusSeconds(10))).isEqualTo(Duration.ofSeconds(5));
        clock.observe(T0.plusSeconds(15), 3000);
        assertThat(clock.behind(2500, T0.plusSeconds(15))).isEqualTo(Duration.ofSeconds(10));
        assertThat(clock.behind(3000, T0.plusSeconds(15))).isZero();
    }

    @Test
    void aSlotBehindEverySampleIsAtLeastAsOldAsTheOldest() {
        LagClock clock = new LagClock();
        clock.observe(T0, 1000);
        clock.observe(T0.plusSeconds(30), 5000);
        assertThat(clock.behind(10, T0.plusSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }
}
