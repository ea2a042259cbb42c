package io.dvdrental.pipelines.producer.seed;

import io.dvdrental.pipelines.transforms.generate.WeightedSampler;

import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;

/** inventory: popular films get more copies, and a few unpopular films get none, as in the sample. */
final class InventoryTable {

    /** Part of a film's copies that follows its popularity; the rest is spread evenly. */
    private static final double POPULARITY_SHARE = 0.4;
    private static final LocalDateTime LAST_UPDATE = LocalDateTime.of(2006, 2, 15, 10, 9, 17);

    private InventoryTable() {
    }

    static Inventory write(SeedPlan plan, FilmCatalog films, TableSink sink) {
        SplittableRandom random = Seeds.forTable(plan.seed(), "inventory");
        WeightedSampler sampler = new WeightedSampler(copyWeights(films.popularity()));
        int[] filmOfItem = new int[plan.inventory()];
        int[] copies = new int[films.size()];
        for (int i = 0; i < filmOfItem.length; i++) {
            filmOfItem[i] = sampler.sample(random) + 1;
            copies[filmOfItem[i] - 1]++;
        }
        int[][] itemsByFilm = new int[films.size()][];
        for (int f = 0; f < itemsByFilm.length; f++) {
            itemsByFilm[f] = new int[copies[f]];
            copies[f] = 0;
        }
        for (int i = 0; i < filmOfItem.length; i++) {
            int f = filmOfItem[i] - 1;
            itemsByFilm[f][copies[f]++] = i + 1;
        }
        sink.load("inventory", List.of("inventory_id", "film_id", "store_id", "last_update"), rows -> {
            for (int i = 0; i < filmOfItem.length; i++) {
                rows.row(i + 1, filmOfItem[i], 1 + random.nextInt(SeedPlan.STORES), LAST_UPDATE);
            }
        });
        return new Inventory(filmOfItem, itemsByFilm);
    }

    private static double[] copyWeights(double[] popularity) {
        double total = 0;
        for (double p : popularity) {
            total += p;
        }
        double[] weights = new double[popularity.length];
        for (int f = 0; f < weights.length; f++) {
            weights[f] = (1 - POPULARITY_SHARE) / weights.length + POPULARITY_SHARE * popularity[f] / total;
        }
        return weights;
    }
}
