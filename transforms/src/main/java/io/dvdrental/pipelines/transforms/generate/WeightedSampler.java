package io.dvdrental.pipelines.transforms.generate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;

/** Draws indexes in proportion to fixed weights in constant time (Walker's alias method). */
public final class WeightedSampler {

    private final double[] keep;
    private final int[] alias;

    public WeightedSampler(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("no weights");
        }
        double total = 0;
        for (double w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("negative weight " + w);
            }
            total += w;
        }
        keep = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        Deque<Integer> small = new ArrayDeque<>();
        Deque<Integer> large = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).push(i);
        }
        while (!small.isEmpty() && !large.isEmpty()) {
            int s = small.pop();
            int l = large.pop();
            keep[s] = scaled[s];
            alias[s] = l;
            scaled[l] -= 1 - scaled[s];
            (scaled[l] < 1 ? small : large).push(l);
        }
        // Leftovers are 1 up to rounding.
        large.forEach(i -> keep[i] = 1);
        small.forEach(i -> keep[i] = 1);
    }

    public int size() {
        return keep.length;
    }

    public int sample(SplittableRandom random) {
        int i = random.nextInt(keep.length);
        return random.nextDouble() < keep[i] ? i : alias[i];
    }

    /**
     * Zipf-Mandelbrot weights 1/(rank+offset)^exponent, assigned to the items in a random order so that the
     * favourites are not simply the lowest ids.
     */
    public static double[] zipfWeights(int n, double exponent, double offset, SplittableRandom random) {
        double[] weights = new double[n];
        int[] order = shuffledIndexes(n, random);
        for (int rank = 0; rank < n; rank++) {
            weights[order[rank]] = 1 / Math.pow(rank + 1 + offset, exponent);
        }
        return weights;
    }

    public static int[] shuffledIndexes(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
