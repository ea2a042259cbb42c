package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.capture.CaptureStatus.State;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When a batch run may build silver from bronze in capture mode. */
class CaptureCatchUpTest {

    private static final long TARGET = 1_000;

    @Test
    void aSlotThatConfirmedTheRunsPositionWhileTheCaptureStreamsIsCaughtUp() {
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.STREAMING), TARGET, TARGET)).isTrue();
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.STREAMING), TARGET - 1, TARGET)).isFalse();
    }

    @Test
    void duringTheInitialSnapshotBronzeHoldsOnlyTheTablesReadSoFar() {
        // On an idle source the slot's position (where it was created) can already be the run's: it does not move
        // while the tables are read, so it says nothing about what bronze holds yet.
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.SNAPSHOT), TARGET, TARGET)).isFalse();
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.STARTING), TARGET, TARGET)).isFalse();
    }

    @Test
    void aCaptureBetweenTwoAttemptsKeepsWhatTheSlotConfirmed() {
        // The slot confirms a position only once bronze stored the changes up to it.
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.BACKING_OFF), TARGET, TARGET)).isTrue();
        assertThat(CaptureCatchUp.caughtUp(Optional.of(State.STOPPED), TARGET, TARGET)).isTrue();
    }
}
