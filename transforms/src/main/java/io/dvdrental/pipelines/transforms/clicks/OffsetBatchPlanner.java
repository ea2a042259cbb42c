package io.dvdrental.pipelines.transforms.clicks;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the records of one Kafka partition into insert batches so that a batch redelivered after a crash is cut
 * exactly as before, and therefore carries the same insert deduplication token.
 *
 * <p>Every batch's offset range is written down before its insert (see {@code stream.ingest_batches}). Records that
 * fall into a range written down earlier are cut along that range again; a range that is not yet complete in the
 * records at hand waits for the next poll. Records beyond every known range form a new range. Pure and stateless.
 */
public final class OffsetBatchPlanner {

    private OffsetBatchPlanner() {
    }

    /** An inclusive offset range of one partition. */
    public record Range(long first, long last) {

        public Range {
            if (last < first) {
                throw new IllegalArgumentException("range " + first + ".." + last);
            }
        }

        /**
         * The insert deduplication token: same topic (by id: a topic created again under the same name, or the same
         * name on another cluster, is another topic), partition and offsets, same token, whatever the rows.
         */
        public String token(String topic, String topicId, int partition) {
            return topic + "-" + topicId + "-" + partition + "-" + first + "-" + last;
        }
    }

    /** Records {@code [from, to)} of the input form one batch covering {@code range}; {@code known}: written down before. */
    public record Cut(int from, int to, Range range, boolean known) {
    }

    /** The batches to insert now, and the index from which the records must wait for more (input size if none). */
    public record Plan(List<Cut> cuts, int waitFrom) {
    }

    /**
     * @param offsets increasing offsets of the records at hand for one partition
     * @param known   ranges written down earlier for this partition, ordered by first offset, not overlapping
     */
    public static Plan plan(long[] offsets, List<Range> known) {
        return plan(offsets, offsets.length, known);
    }

    /** As {@link #plan(long[], List)}, for the first {@code n} offsets of the array. */
    public static Plan plan(long[] offsets, int n, List<Range> known) {
        List<Cut> cuts = new ArrayList<>();
        int i = 0;
        int k = 0;
        while (i < n) {
            long offset = offsets[i];
            while (k < known.size() && known.get(k).last() < offset) {
                k++;
            }
            Range range = k < known.size() ? known.get(k) : null;
            if (range != null && range.first() <= offset) {
                int j = i;
                while (j < n && offsets[j] <= range.last()) {
                    j++;
                }
                boolean complete = j < n || offsets[j - 1] >= range.last();
                if (!complete) {
                    return new Plan(cuts, i);
                }
                cuts.add(new Cut(i, j, range, true));
                i = j;
            } else {
                int j = i;
                while (j < n && (range == null || offsets[j] < range.first())) {
                    j++;
                }
                cuts.add(new Cut(i, j, new Range(offsets[i], offsets[j - 1]), false));
                i = j;
            }
        }
        return new Plan(cuts, n);
    }
}
