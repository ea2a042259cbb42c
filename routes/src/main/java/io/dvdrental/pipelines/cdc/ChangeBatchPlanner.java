package io.dvdrental.pipelines.cdc;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the changes of one table into insert batches so that changes handed over again after a crash are cut exactly
 * as before, and therefore carry the same insert deduplication token.
 *
 * <p>Every batch's range of positions is written down before its insert. Changes within a range written down earlier
 * are cut along that range again, once the stream is known to have passed the range's end (else they wait for the
 * next hand-over: inserting part of a range under its token would lose the rest). Changes beyond every known range
 * form new ranges, never mixing snapshot rows with streamed changes. Pure and stateless.
 */
public final class ChangeBatchPlanner {

    private ChangeBatchPlanner() {
    }

    /** An inclusive range of positions of one table. */
    public record Range(ChangePosition first, ChangePosition last) {

        public Range {
            if (last.compareTo(first) < 0) {
                throw new IllegalArgumentException("range " + first + ".." + last);
            }
        }

        /**
         * The insert deduplication token: the same generation, table and range give the same token, whatever the
         * rows.
         */
        public String token(String table, String generation) {
            return "cdc-" + generation + "-" + table + "-" + first.token() + "-" + last.token();
        }
    }

    /** Changes {@code [from, to)} of the input form one batch covering {@code range}; {@code known}: written before. */
    public record Cut(int from, int to, Range range, boolean known) {
    }

    /** The batches to insert now, and the index from which the changes wait for more (input size if none). */
    public record Plan(List<Cut> cuts, int waitFrom) {
    }

    /**
     * @param positions increasing positions of the table's changes at hand
     * @param known     ranges written down earlier for this table and generation, ordered, not overlapping
     * @param reached   how far the stream is known to have been handed over for this table: every change of the
     *                  table at or before it is among {@code positions} (or was before them)
     */
    public static Plan plan(List<ChangePosition> positions, List<Range> known, ChangePosition reached) {
        List<Cut> cuts = new ArrayList<>();
        int n = positions.size();
        int i = 0;
        int k = 0;
        while (i < n) {
            ChangePosition position = positions.get(i);
            while (k < known.size() && known.get(k).last().compareTo(position) < 0) {
                k++;
            }
            Range range = k < known.size() ? known.get(k) : null;
            int j = i;
            if (range != null && range.first().compareTo(position) <= 0) {
                while (j < n && positions.get(j).compareTo(range.last()) <= 0) {
                    j++;
                }
                if (reached.compareTo(range.last()) < 0) {
                    return new Plan(cuts, i);
                }
                cuts.add(new Cut(i, j, range, true));
            } else {
                boolean snapshot = position.snapshot();
                while (j < n && (range == null || positions.get(j).compareTo(range.first()) < 0)
                        && positions.get(j).snapshot() == snapshot) {
                    j++;
                }
                cuts.add(new Cut(i, j, new Range(position, positions.get(j - 1)), false));
            }
            i = j;
        }
        return new Plan(cuts, n);
    }
}
