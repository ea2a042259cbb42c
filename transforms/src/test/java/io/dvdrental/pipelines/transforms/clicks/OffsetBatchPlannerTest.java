package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Cut;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Plan;
import io.dvdrental.pipelines.transforms.clicks.OffsetBatchPlanner.Range;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetBatchPlannerTest {

    private static long[] offsets(long from, long toInclusive) {
        return LongStream.rangeClosed(from, toInclusive).toArray();
    }

    @Test
    void withNothingWrittenDownAllRecordsAreOneNewBatch() {
        Plan plan = OffsetBatchPlanner.plan(offsets(100, 149), List.of());
        assertThat(plan.cuts()).containsExactly(new Cut(0, 50, new Range(100, 149), false));
        assertThat(plan.waitFrom()).isEqualTo(50);
    }

    @Test
    void redeliveredRecordsAreCutAlongTheRangesWrittenDownBefore() {
        Plan plan = OffsetBatchPlanner.plan(offsets(100, 399), List.of(new Range(100, 179), new Range(180, 250)));
        assertThat(plan.cuts()).containsExactly(
                new Cut(0, 80, new Range(100, 179), true),
                new Cut(80, 151, new Range(180, 250), true),
                new Cut(151, 300, new Range(251, 399), false));
        assertThat(plan.cuts().get(0).range().token("dvd_clicks", "tVIDq1sBRhWm5UrZ2aX2cQ", 3))
                .isEqualTo("dvd_clicks-tVIDq1sBRhWm5UrZ2aX2cQ-3-100-179");
    }

    @Test
    void aRangeNotYetCompleteWaitsForTheNextPoll() {
        Plan plan = OffsetBatchPlanner.plan(offsets(100, 160), List.of(new Range(100, 120), new Range(121, 199)));
        assertThat(plan.cuts()).containsExactly(new Cut(0, 21, new Range(100, 120), true));
        assertThat(plan.waitFrom()).isEqualTo(21);
    }

    @Test
    void aRangeIsCompleteWhenALaterOffsetIsSeenEvenWithGaps() {
        Plan plan = OffsetBatchPlanner.plan(new long[]{100, 101, 105, 106}, List.of(new Range(100, 103)));
        assertThat(plan.cuts()).containsExactly(new Cut(0, 2, new Range(100, 103), true),
                new Cut(2, 4, new Range(105, 106), false));
    }

    @Test
    void recordsBeforeAKnownRangeFormTheirOwnBatch() {
        Plan plan = OffsetBatchPlanner.plan(offsets(90, 130), List.of(new Range(100, 130)));
        assertThat(plan.cuts()).containsExactly(new Cut(0, 10, new Range(90, 99), false),
                new Cut(10, 41, new Range(100, 130), true));
    }

    @Test
    void rangesAlreadyPassedAreIgnoredAndARangeEnteredMidwayKeepsItsToken() {
        Plan plan = OffsetBatchPlanner.plan(offsets(110, 140), List.of(new Range(0, 99), new Range(100, 120)));
        assertThat(plan.cuts()).containsExactly(new Cut(0, 11, new Range(100, 120), true),
                new Cut(11, 31, new Range(121, 140), false));
    }
}
