package io.dvdrental.pipelines.producer.seed;

import java.util.SplittableRandom;

/** One independent random stream per table, so a table's rows depend only on the seed and its own inputs. */
public final class Seeds {

    private Seeds() {
    }

    public static SplittableRandom forTable(long seed, String table) {
        long mixed = seed * 0x9E3779B97F4A7C15L;
        for (char c : table.toCharArray()) {
            mixed = (mixed ^ c) * 0xBF58476D1CE4E5B9L;
        }
        return new SplittableRandom(mixed);
    }
}
