package io.dvdrental.pipelines.producer.seed;

import io.dvdrental.pipelines.transforms.generate.WeightedSampler;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.dvdrental.pipelines.producer.seed.SampleTimes.REFERENCE_LAST_UPDATE;
import static io.dvdrental.pipelines.producer.seed.Vocabulary.pick;

/** country, city and address. Countries get Zipf-weighted shares of the cities, so a few countries lead. */
final class GeographyTables {

    private GeographyTables() {
    }

    static void write(SeedPlan plan, TableSink sink) {
        sink.load("country", List.of("country_id", "country", "last_update"), rows -> {
            for (int id = 1; id <= SeedPlan.COUNTRIES; id++) {
                rows.row(id, Vocabulary.COUNTRIES.get(id - 1), REFERENCE_LAST_UPDATE);
            }
        });
        sink.load("city", List.of("city_id", "city", "country_id", "last_update"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "city");
            WeightedSampler countries = new WeightedSampler(
                    WeightedSampler.zipfWeights(SeedPlan.COUNTRIES, 1.0, 1.0, random));
            List<String> names = cityNames(random);
            for (int id = 1; id <= SeedPlan.CITIES; id++) {
                rows.row(id, names.get(id - 1), countries.sample(random) + 1, REFERENCE_LAST_UPDATE);
            }
        });
        sink.load("address", List.of("address_id", "address", "address2", "district", "city_id", "postal_code",
                "phone", "last_update"), rows -> {
            SplittableRandom random = Seeds.forTable(plan.seed(), "address");
            for (int id = 1; id <= plan.addresses(); id++) {
                String street = (1 + random.nextInt(1999)) + " " + pick(Vocabulary.STREETS, random) + " "
                        + pick(Vocabulary.STREET_KINDS, random);
                rows.row(id, street, null, pick(Vocabulary.DISTRICTS, random), 1 + random.nextInt(SeedPlan.CITIES),
                        String.format("%05d", random.nextInt(100_000)),
                        Long.toString(100_000_000_000L + random.nextLong(900_000_000_000L)), REFERENCE_LAST_UPDATE);
            }
        });
    }

    /** Every start-end syllable pair once (30 x 20 = 600), in a seeded order. */
    private static List<String> cityNames(SplittableRandom random) {
        List<String> all = new ArrayList<>();
        for (String start : Vocabulary.CITY_STARTS) {
            for (String end : Vocabulary.CITY_ENDS) {
                all.add(start + end);
            }
        }
        List<String> names = new ArrayList<>(all.size());
        for (int i : WeightedSampler.shuffledIndexes(all.size(), random)) {
            names.add(all.get(i));
        }
        return names;
    }
}
