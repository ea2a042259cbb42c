package io.dvdrental.pipelines.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvdrental.pipelines.transforms.generate.Click;
import io.dvdrental.pipelines.transforms.reference.FilmReference;
import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The demo producer sends no click before the reference is loaded (they would be stored as 'Unknown'). */
class ClickProducerSourceTest {

    private static final int FILM = 42;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sendsNothingUntilAReferenceIsLoadedThenOnlyItsFilms() throws Exception {
        FilmReferenceCache reference = mock(FilmReferenceCache.class);
        when(reference.current()).thenReturn(ReferenceSnapshot.EMPTY);
        StreamProperties properties = new StreamProperties("dvd_clicks", "dvd_clicks.dlq", 4, (short) 1, "group", 1,
                100, 100, Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(10), false, Duration.ofMinutes(5),
                new StreamProperties.Reference(Duration.ofSeconds(30)), new StreamProperties.Producer(true, 1000, 50, 7L));
        ClickProducerSource source = new ClickProducerSource(properties, reference);

        List<Click> beforeReference = new ArrayList<>();
        for (int tick = 0; tick < 5; tick++) {
            beforeReference.addAll(source.due());
            Thread.sleep(20);
        }
        assertThat(beforeReference).isEmpty();

        when(reference.current()).thenReturn(new ReferenceSnapshot("v1", Instant.now(), Instant.now(),
                Map.of(FILM, new FilmReference(FILM, "Academy Dinosaur", "Documentary", "PG", 86))));
        List<Click> afterReference = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (afterReference.isEmpty() && System.nanoTime() < until) {
            afterReference.addAll(source.due());
            Thread.sleep(20);
        }
        assertThat(afterReference).isNotEmpty().allSatisfy(click ->
                assertThat(JSON.readTree(click.value()).get("film_id").asInt()).isEqualTo(FILM));
    }
}
