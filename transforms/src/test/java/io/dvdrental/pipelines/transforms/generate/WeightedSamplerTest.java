package io.dvdrental.pipelines.transforms.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WeightedSamplerTest {

    @Test
    void drawsInProportionToTheWeights() {
        WeightedSampler sampler = new WeightedSampler(new double[]{0.35, 0.30, 0.20, 0.15});
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[4];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(random)]++;
        }
        assertThat(counts[0] / (double) n).isCloseTo(0.35, within(0.01));
        assertThat(counts[1] / (double) n).isCloseTo(0.30, within(0.01));
        assertThat(counts[2] / (double) n).isCloseTo(0.20, within(0.01));
        assertThat(counts[3] / (double) n).isCloseTo(0.15, within(0.01));
    }

    @Test
    void zipfWeightsAreAShuffledPowerLaw() {
        double[] weights = WeightedSampler.zipfWeights(100, 1.0, 0.0, new SplittableRandom(3));
        double max = 0;
        double sum = 0;
        for (double w : weights) {
            max = Math.max(max, w);
            sum += w;
        }
        assertThat(max).isEqualTo(1.0);
        assertThat(weights[0]).isNotEqualTo(1.0);
        assertThat(max / sum).isGreaterThan(0.15);
    }
}
