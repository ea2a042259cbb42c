package io.dvdrental.pipelines.cdc;

import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Cut;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Plan;
import io.dvdrental.pipelines.cdc.ChangeBatchPlanner.Range;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeBatchPlannerTest {

    @Test
    void changesBeyondEveryKnownRangeFormOneNewBatchPerPhase() {
        List<ChangePosition> at = List.of(key(1), key(2), key(5), lsn(100, 7), lsn(100, 9), lsn(120, 3));
        Plan plan = ChangeBatchPlanner.plan(at, List.of(), at.get(5));

        assertThat(plan.cuts()).containsExactly(
                new Cut(0, 3, new Range(key(1), key(5)), false),
                new Cut(3, 6, new Range(lsn(100, 7), lsn(120, 3)), false));
        assertThat(plan.waitFrom()).isEqualTo(6);
    }

    @Test
    void aReplayIsCutAlongTheRangesWrittenDownBeforeWhateverTheEngineHandsOverAtOnce() {
        // First delivery: two batches, [100.1 .. 100.5] and [110.2 .. 130.1]; a crash before the offsets moved.
        List<Range> known = List.of(new Range(lsn(100, 1), lsn(100, 5)), new Range(lsn(110, 2), lsn(130, 1)));
        // The replay hands everything over at once, and a new change after it.
        List<ChangePosition> replay = List.of(lsn(100, 1), lsn(100, 5), lsn(110, 2), lsn(120, 4), lsn(130, 1),
                lsn(140, 6));
        Plan plan = ChangeBatchPlanner.plan(replay, known, lsn(140, 6));

        assertThat(plan.cuts()).containsExactly(
                new Cut(0, 2, known.get(0), true),
                new Cut(2, 5, known.get(1), true),
                new Cut(5, 6, new Range(lsn(140, 6), lsn(140, 6)), false));
        assertThat(plan.cuts().get(1).range().token("rental", "20261130120000a1b2c3"))
                .isEqualTo("cdc-20261130120000a1b2c3-rental-110.2-130.1");
    }

    @Test
    void aKnownRangeWhoseEndHasNotBeenHandedOverYetWaits() {
        List<Range> known = List.of(new Range(lsn(100, 1), lsn(100, 5)), new Range(lsn(110, 2), lsn(130, 1)));
        List<ChangePosition> replay = List.of(lsn(100, 1), lsn(100, 5), lsn(110, 2), lsn(120, 4));
        // Other tables' changes got as far as 125.0 only.
        Plan plan = ChangeBatchPlanner.plan(replay, known, lsn(125, 0));

        assertThat(plan.cuts()).containsExactly(new Cut(0, 2, known.get(0), true));
        assertThat(plan.waitFrom()).isEqualTo(2);
    }

    @Test
    void aKnownRangeIsCompleteOnceTheStreamPassedItsEndEvenWithoutItsLastChange() {
        // A repeated snapshot: key 9 was deleted at the source between the two attempts.
        List<Range> known = List.of(new Range(key(1), key(9)));
        List<ChangePosition> repeat = List.of(key(1), key(4));

        assertThat(ChangeBatchPlanner.plan(repeat, known, key(4)).waitFrom()).isZero();
        assertThat(ChangeBatchPlanner.plan(repeat, known, ChangePosition.END).cuts())
                .containsExactly(new Cut(0, 2, known.get(0), true));
    }

    @Test
    void aReplayThatStartsInsideAKnownRangeKeepsItsToken() {
        // The offset moved past the start of a range whose rows were all stored: the rest comes again.
        List<Range> known = List.of(new Range(lsn(100, 1), lsn(100, 9)));
        Plan plan = ChangeBatchPlanner.plan(List.of(lsn(100, 6), lsn(100, 9), lsn(105, 1)), known, lsn(105, 1));

        assertThat(plan.cuts()).containsExactly(new Cut(0, 2, known.get(0), true),
                new Cut(2, 3, new Range(lsn(105, 1), lsn(105, 1)), false));
    }

    @Test
    void newChangesStopAtTheNextKnownRange() {
        List<Range> known = List.of(new Range(lsn(200, 1), lsn(200, 3)));
        Plan plan = ChangeBatchPlanner.plan(List.of(lsn(150, 1), lsn(160, 1), lsn(200, 1), lsn(200, 3)), known,
                lsn(200, 3));

        assertThat(plan.cuts()).containsExactly(new Cut(0, 2, new Range(lsn(150, 1), lsn(160, 1)), false),
                new Cut(2, 4, known.get(0), true));
    }

    @Test
    void snapshotRowsComeBeforeStreamedChangesAndCompositeKeysCompareInOrder() {
        assertThat(key(1, 9)).isLessThan(key(2, 1)).isLessThan(lsn(1, 1));
        assertThat(lsn(100, 9)).isLessThan(lsn(101, 1));
        assertThat(key(1, 9).token()).isEqualTo("k1_9");
        assertThat(lsn(100, 9).token()).isEqualTo("100.9");
    }

    private static ChangePosition lsn(long commit, long change) {
        return new ChangePosition(commit, change, new long[0]);
    }

    private static ChangePosition key(long... key) {
        return new ChangePosition(0, 0, key);
    }
}
