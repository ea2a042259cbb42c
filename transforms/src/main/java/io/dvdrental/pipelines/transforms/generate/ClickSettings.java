package io.dvdrental.pipelines.transforms.generate;

import java.util.List;
import java.util.stream.IntStream;

/**
 * How to generate clicks: seed, how many distinct users, which films exist, and the fraction of events that are
 * replaced with malformed ones (0..1).
 */
public record ClickSettings(long seed, int users, List<Integer> filmIds, double malformedRatio) {

    public ClickSettings {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1");
        }
        if (filmIds == null || filmIds.isEmpty()) {
            throw new IllegalArgumentException("no film ids");
        }
        if (!(malformedRatio >= 0 && malformedRatio <= 1)) {
            throw new IllegalArgumentException("malformed ratio must be within 0..1, got " + malformedRatio);
        }
        filmIds = List.copyOf(filmIds);
    }

    /** Films 1..1000, as in the seeded source. */
    public static List<Integer> defaultFilmIds() {
        return IntStream.rangeClosed(1, 1000).boxed().toList();
    }
}
