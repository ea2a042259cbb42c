package io.dvdrental.pipelines.producer.seed;

import io.dvdrental.pipelines.transforms.generate.WeightedSampler;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.dvdrental.pipelines.producer.seed.SampleTimes.REFERENCE_LAST_UPDATE;
import static io.dvdrental.pipelines.producer.seed.Vocabulary.pick;

/** language, category, actor, film, film_actor and film_category; the fixed-size catalogue. */
final class CatalogTables {

    static final String[] RATINGS = {"G", "PG", "PG-13", "R", "NC-17"};
    private static final int[] RENTAL_RATES_CENTS = {99, 299, 499};
    private static final int MAX_ACTORS_PER_FILM = 10;

    private CatalogTables() {
    }

    static FilmCatalog write(SeedPlan plan, TableSink sink) {
        sink.load("language", List.of("language_id", "name", "last_update"), rows -> {
            for (int id = 1; id <= SeedPlan.LANGUAGES; id++) {
                rows.row(id, Vocabulary.LANGUAGES.get(id - 1), REFERENCE_LAST_UPDATE);
            }
        });
        sink.load("category", List.of("category_id", "name", "last_update"), rows -> {
            for (int id = 1; id <= SeedPlan.CATEGORIES; id++) {
                rows.row(id, Vocabulary.CATEGORIES.get(id - 1), REFERENCE_LAST_UPDATE);
            }
        });
        sink.load("actor", List.of("actor_id", "first_name", "last_name", "last_update"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "actor");
            for (int id = 1; id <= SeedPlan.ACTORS; id++) {
                rows.row(id, pick(Vocabulary.FIRST_NAMES, random), pick(Vocabulary.LAST_NAMES, random),
                        REFERENCE_LAST_UPDATE);
            }
        });
        FilmCatalog catalog = new FilmCatalog(
                WeightedSampler.zipfWeights(SeedPlan.FILMS, 1.0, 10.0, Seeds.forTable(plan.seed(), "film_popularity")),
                new int[SeedPlan.FILMS], new int[SeedPlan.FILMS]);
        // fulltext is left to the table's tsvector trigger.
        sink.load("film", List.of("film_id", "title", "description", "release_year", "language_id", "rental_duration",
                "rental_rate", "length", "replacement_cost", "rating", "last_update", "special_features"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "film");
            Set<String> titles = new HashSet<>();
            for (int id = 1; id <= SeedPlan.FILMS; id++) {
                int duration = 3 + random.nextInt(5);
                int rateCents = RENTAL_RATES_CENTS[random.nextInt(RENTAL_RATES_CENTS.length)];
                catalog.rentalDurationDays()[id - 1] = duration;
                catalog.rentalRateCents()[id - 1] = rateCents;
                rows.row(id, uniqueTitle(random, titles), description(random), 2006, 1, duration,
                        Money.of(rateCents), 46 + random.nextInt(140), Money.of(999 + 100 * random.nextInt(21)),
                        RATINGS[random.nextInt(RATINGS.length)], REFERENCE_LAST_UPDATE, specialFeatures(random));
            }
        });
        sink.load("film_actor", List.of("actor_id", "film_id", "last_update"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "film_actor");
            for (int film = 1; film <= SeedPlan.FILMS; film++) {
                BitSet cast = new BitSet(SeedPlan.ACTORS + 1);
                int size = 1 + random.nextInt(MAX_ACTORS_PER_FILM);
                while (cast.cardinality() < size) {
                    cast.set(1 + random.nextInt(SeedPlan.ACTORS));
                }
                for (int actor = cast.nextSetBit(0); actor >= 0; actor = cast.nextSetBit(actor + 1)) {
                    rows.row(actor, film, REFERENCE_LAST_UPDATE);
                }
            }
        });
        sink.load("film_category", List.of("film_id", "category_id", "last_update"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "film_category");
            for (int film = 1; film <= SeedPlan.FILMS; film++) {
                rows.row(film, 1 + random.nextInt(SeedPlan.CATEGORIES), REFERENCE_LAST_UPDATE);
            }
        });
        return catalog;
    }

    private static String uniqueTitle(SplittableRandom random, Set<String> taken) {
        while (true) {
            String first = pick(Vocabulary.TITLE_WORDS, random);
            String second = pick(Vocabulary.TITLE_WORDS, random);
            String title = first + " " + second;
            if (!first.equals(second) && taken.add(title)) {
                return title;
            }
        }
    }

    private static String description(SplittableRandom random) {
        return "A " + pick(Vocabulary.DESCRIPTION_ADJECTIVES, random) + " " + pick(Vocabulary.DESCRIPTION_GENRES, random)
                + " of a " + pick(Vocabulary.DESCRIPTION_CHARACTERS, random) + " And a "
                + pick(Vocabulary.DESCRIPTION_CHARACTERS, random) + " who must " + pick(Vocabulary.DESCRIPTION_VERBS, random)
                + " a " + pick(Vocabulary.DESCRIPTION_CHARACTERS, random) + " in " + pick(Vocabulary.DESCRIPTION_PLACES, random);
    }

    private static String[] specialFeatures(SplittableRandom random) {
        List<String> features = new ArrayList<>();
        for (String feature : Vocabulary.SPECIAL_FEATURES) {
            if (random.nextBoolean()) {
                features.add(feature);
            }
        }
        if (features.isEmpty()) {
            features.add(pick(Vocabulary.SPECIAL_FEATURES, random));
        }
        return features.toArray(String[]::new);
    }
}
