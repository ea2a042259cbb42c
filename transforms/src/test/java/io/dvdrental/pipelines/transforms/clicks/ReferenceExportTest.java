package io.dvdrental.pipelines.transforms.clicks;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceExportTest {

    private static ByteArrayInputStream lines(String... lines) {
        return new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePointerRoundTrips() {
        var pointer = new ReferenceExport.Pointer("run-7", "reference/dim_film/run-7/dim_film.csv",
                "reference/dim_film/run-7/dim_film.jsonl", 2, Instant.parse("2026-11-25T01:00:00Z"));
        assertThat(ReferenceExport.Pointer.parse(pointer.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(pointer);
    }

    @Test
    void filmsAreReadFromJsonLines() {
        var films = ReferenceExport.readJsonLines(lines(
                ReferenceExport.toJsonLine(new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86), 2006, 6),
                "{\"film_id\":2,\"title\":\"Ace Goldfinger\",\"category\":\"Horror\",\"rating\":\"G\",\"length\":48}",
                ""), 2);
        assertThat(films).hasSize(2);
        assertThat(films.get(2)).isEqualTo(new FilmReference(2, "Ace Goldfinger", "Horror", "G", 48));
    }

    @Test
    void aHalfWrittenExportIsRefused() {
        assertThatThrownBy(() -> ReferenceExport.readJsonLines(lines("{\"film_id\":1,\"title\":\"A\"}"), 1000))
                .hasMessageContaining("1 films").hasMessageContaining("1000");
    }
}
