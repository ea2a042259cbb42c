package io.dvdrental.pipelines.producer.seed;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RentalDataGeneratorTest {

    private static CollectingSink sample;

    @BeforeAll
    static void generateOnce() {
        sample = CollectingSink.generate(42, 1);
    }

    @Test
    void sameSeedAndScaleGiveTheSameRows() {
        CollectingSink again = CollectingSink.generate(42, 1);
        assertThat(again.rows.keySet()).containsExactlyElementsOf(sample.rows.keySet());
        sample.rows.forEach((table, rows) ->
                assertThat(Arrays.deepEquals(rows.toArray(), again.rows(table).toArray())).as(table).isTrue());
    }

    @Test
    void anotherSeedGivesOtherRows() {
        CollectingSink other = CollectingSink.generate(7, 1);
        assertThat(Arrays.deepEquals(sample.rows("rental").toArray(), other.rows("rental").toArray())).isFalse();
        assertThat(other.column("film", "title")).isNotEqualTo(sample.column("film", "title"));
    }

    @Test
    void countsMatchTheRealSampleAtScaleOne() {
        Map<String, Integer> fixed = Map.of("film", 1000, "category", 16, "language", 6, "actor", 200,
                "film_category", 1000, "country", 109, "city", 600, "address", 603, "customer", 599, "store", 2);
        fixed.forEach((table, count) -> assertThat(sample.rows(table)).as(table).hasSize(count));
        assertThat(sample.rows("staff")).hasSize(2);
        assertThat(sample.rows("inventory")).hasSize(4581);
        assertThat(sample.rows("rental")).hasSize(16044);
        assertThat((double) sample.rows("film_actor").size()).isCloseTo(5462, within(5462 * 0.05));
        assertThat((double) sample.rows("payment").size()).isCloseTo(14596, within(14596 * 0.02));
    }

    @Test
    void activityTablesGrowWithTheScaleAndReferenceTablesDoNot() {
        SeedPlan plan = new SeedPlan(1, 100);
        assertThat(plan.rentals()).isEqualTo(1_604_400);
        assertThat(plan.inventory()).isEqualTo(458_100);
        assertThat(plan.customers()).isEqualTo(SeedPlan.MAX_CUSTOMERS);
        CollectingSink small = CollectingSink.generate(42, 0.1);
        assertThat(small.rows("rental")).hasSize(1604);
        assertThat(small.rows("customer")).hasSize(60);
        assertThat(small.rows("film")).hasSize(1000);
        assertThat(small.rows("country")).hasSize(109);
    }

    @Test
    void aboutOnePercentOfRentalsAreNotReturnedAndTheRestWithinOneToTenDays() {
        List<Object> rented = sample.column("rental", "rental_date");
        List<Object> returned = sample.column("rental", "return_date");
        long open = returned.stream().filter(Objects::isNull).count();
        assertThat(open / (double) rented.size()).isBetween(0.008, 0.016);
        for (int i = 0; i < rented.size(); i++) {
            LocalDateTime from = (LocalDateTime) rented.get(i);
            assertThat(from).isBetween(LocalDateTime.of(2005, 5, 24, 0, 0), LocalDateTime.of(2006, 2, 14, 23, 59));
            if (returned.get(i) != null) {
                assertThat(Duration.between(from, (LocalDateTime) returned.get(i)))
                        .isBetween(Duration.ofDays(1), Duration.ofDays(10));
            }
        }
    }

    @Test
    void aCopyIsNotRentedAgainBeforeItIsBack() {
        Map<Object, LocalDateTime> backAt = new HashMap<>();
        for (Object[] row : sample.rows("rental")) {
            LocalDateTime rented = (LocalDateTime) row[1];
            LocalDateTime previousReturn = backAt.get(row[2]);
            assertThat(previousReturn == null || !previousReturn.isAfter(rented))
                    .as("inventory %s rented at %s while out until %s", row[2], rented, previousReturn).isTrue();
            backAt.put(row[2], row[4] == null ? LocalDateTime.MAX : (LocalDateTime) row[4]);
        }
    }

    @Test
    void popularityIsSkewedSoTopFilmsAndCountriesStandOut() {
        Map<Object, Object> filmOfItem = new HashMap<>();
        sample.rows("inventory").forEach(r -> filmOfItem.put(r[0], r[1]));
        Map<Object, Integer> rentalsPerFilm = countBy(sample.column("rental", "inventory_id").stream()
                .map(filmOfItem::get).toList());
        int[] sorted = rentalsPerFilm.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int top = sorted[sorted.length - 1];
        int median = sorted[sorted.length / 2];
        assertThat(top).isGreaterThan(10 * median);

        int[] citiesPerCountry = countBy(sample.column("city", "country_id")).values().stream()
                .mapToInt(Integer::intValue).sorted().toArray();
        assertThat(citiesPerCountry[citiesPerCountry.length - 1]).isGreaterThan(5 * 600 / 109);
        assertThat(citiesPerCountry[citiesPerCountry.length - 1])
                .isGreaterThan(citiesPerCountry[citiesPerCountry.length - 2]);
    }

    @Test
    void filmsHaveRealisticValues() {
        assertThat(new HashSet<>(sample.column("film", "title"))).hasSize(1000);
        assertThat(sample.column("film", "rental_duration")).allSatisfy(d -> assertThat((Integer) d).isBetween(3, 7));
        assertThat(sample.column("film", "length")).allSatisfy(l -> assertThat((Integer) l).isBetween(46, 185));
        assertThat(sample.column("film", "rating")).allSatisfy(r -> assertThat(r).isIn((Object[]) CatalogTables.RATINGS));
        assertThat(sample.column("film", "release_year")).containsOnly(2006);
    }

    private static Map<Object, Integer> countBy(Collection<Object> values) {
        Map<Object, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }
}
