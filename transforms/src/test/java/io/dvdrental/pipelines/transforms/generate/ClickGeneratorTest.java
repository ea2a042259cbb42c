package io.dvdrental.pipelines.transforms.generate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClickGeneratorTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private static ClickGenerator generator(long seed, int users, double malformedRatio) {
        return new ClickGenerator(new ClickSettings(seed, users, ClickSettings.defaultFilmIds(), malformedRatio),
                new SteppingClock(START, Duration.ofMillis(100)));
    }

    @Test
    void sameSeedGivesTheSameEvents() {
        ClickGenerator a = generator(5, 50, 0.2);
        ClickGenerator b = generator(5, 50, 0.2);
        for (int i = 0; i < 1000; i++) {
            Click x = a.next();
            Click y = b.next();
            assertThat(y.key()).isEqualTo(x.key());
            assertThat(y.valueText()).isEqualTo(x.valueText());
            assertThat(y.malformation()).isEqualTo(x.malformation());
        }
    }

    @Test
    void eventsAreWellFormedWithTheRightMixAndTrendingFilms() throws Exception {
        ClickGenerator generator = generator(1, 200, 0);
        Map<String, Integer> types = new HashMap<>();
        Map<Integer, Integer> films = new HashMap<>();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            Click click = generator.next();
            assertThat(click.malformed()).isFalse();
            JsonNode event = ClickAssertions.assertWellFormed(click.key(), click.valueText());
            types.merge(event.get("event_type").asText(), 1, Integer::sum);
            films.merge(event.get("film_id").asInt(), 1, Integer::sum);
        }
        assertThat(types.get("view") / (double) n).isCloseTo(0.35, within(0.02));
        assertThat(types.get("add_to_watchlist") / (double) n).isCloseTo(0.15, within(0.02));
        List<Integer> counts = new ArrayList<>(films.values());
        counts.sort(null);
        assertThat(counts.get(counts.size() - 1)).isGreaterThan(10 * counts.get(counts.size() / 2));
    }

    @Test
    void aSessionEndsAfterTenQuietMinutes() throws Exception {
        SteppingClock clock = new SteppingClock(START, Duration.ofSeconds(1));
        ClickGenerator generator = new ClickGenerator(new ClickSettings(3, 1, List.of(1, 2, 3), 0), clock);
        String first = session(generator.next());
        assertThat(session(generator.next())).isEqualTo(first);
        clock.jump(Duration.ofMinutes(9));
        String afterNine = session(generator.next());
        assertThat(afterNine).isEqualTo(first);
        clock.jump(Duration.ofMinutes(11));
        assertThat(session(generator.next())).isNotEqualTo(first);
    }

    @Test
    void malformedEventsComeAtTheRatioAndInEveryKind() throws Exception {
        ClickGenerator generator = generator(9, 100, 0.1);
        Set<Malformation> kinds = EnumSet.noneOf(Malformation.class);
        int malformed = 0;
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            Click click = generator.next();
            assertThat(click.key()).matches("\"u_\\d+\"");
            if (click.malformed()) {
                malformed++;
                kinds.add(click.malformation());
                assertThat(isValid(click)).as(click.valueText()).isFalse();
            }
        }
        assertThat(malformed / (double) n).isCloseTo(0.1, within(0.01));
        assertThat(kinds).containsExactlyInAnyOrder(Malformation.values());
    }

    private static boolean isValid(Click click) {
        try {
            ClickAssertions.assertWellFormed(click.key(), click.valueText());
            return true;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    private static String session(Click click) throws Exception {
        return ClickAssertions.assertWellFormed(click.key(), click.valueText()).get("session_id").asText();
    }
}
