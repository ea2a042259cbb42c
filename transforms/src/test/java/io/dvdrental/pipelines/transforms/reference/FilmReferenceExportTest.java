package io.dvdrental.pipelines.transforms.reference;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilmReferenceExportTest {

    private static ByteArrayInputStream lines(String... lines) {
        return new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void thePointerRoundTrips() {
        var pointer = new FilmReferenceExport.Pointer("run-7", "reference/dim_film/run-7/dim_film.csv",
                "reference/dim_film/run-7/dim_film.jsonl", 2, Instant.parse("2026-11-25T01:00:00Z"));
        assertThat(FilmReferenceExport.Pointer.parse(pointer.toJson().getBytes(StandardCharsets.UTF_8))).isEqualTo(pointer);
    }

    @Test
    void filmsAreReadFromJsonLines() {
        var films = FilmReferenceExport.readJsonLines(lines(
                FilmReferenceExport.toJsonLine(new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86), 2006, 6),
                "{\"film_id\":2,\"title\":\"Ace Goldfinger\",\"category\":\"Horror\",\"rating\":\"G\",\"length\":48}",
                ""), 2);
        assertThat(films).hasSize(2);
        assertThat(films.get(2)).isEqualTo(new FilmReference(2, "Ace Goldfinger", "Horror", "G", 48));
    }

    @Test
    void aHalfWrittenExportIsRefused() {
        assertThatThrownBy(() -> FilmReferenceExport.readJsonLines(lines("{\"film_id\":1,\"title\":\"A\"}"), 1000))
                .hasMessageContaining("1 films").hasMessageContaining("1000");
    }

    private static Map<String, Object> film(int id, String title) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("film_id", id);
        row.put("title", title);
        row.put("category_name", "Documentary");
        row.put("rating", "PG");
        row.put("length", 86);
        row.put("release_year", 2006);
        row.put("rental_duration", 6);
        return row;
    }

    @Test
    void csvHasAHeaderAndQuotesWhatNeedsIt() {
        assertThat(FilmReferenceExport.csv(List.of(film(1, "Academy Dinosaur"), film(2, "Say \"Hi\", Ace"))))
                .isEqualTo("film_id,title,category,rating,length,release_year,rental_duration\n"
                        + "1,Academy Dinosaur,Documentary,PG,86,2006,6\n"
                        + "2,\"Say \"\"Hi\"\", Ace\",Documentary,PG,86,2006,6\n");
    }

    @Test
    void whatTheBatchWritesTheStreamReads() {
        String lines = FilmReferenceExport.jsonLines(List.of(film(1, "Academy Dinosaur")));
        assertThat(lines).isEqualTo("{\"film_id\":1,\"title\":\"Academy Dinosaur\",\"category\":\"Documentary\","
                + "\"rating\":\"PG\",\"length\":86,\"release_year\":2006,\"rental_duration\":6}\n");
        var pointer = FilmReferenceExport.pointer("r1", 1, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(pointer.toJson()).isEqualTo("{\"version\":\"r1\",\"csv\":\"reference/dim_film/r1/dim_film.csv\","
                + "\"jsonl\":\"reference/dim_film/r1/dim_film.jsonl\",\"rows\":1,"
                + "\"exportedAt\":\"2026-01-01T00:00:00Z\"}");
        assertThat(FilmReferenceExport.readJsonLines(lines(lines), pointer.rows()).get(1))
                .isEqualTo(new FilmReference(1, "Academy Dinosaur", "Documentary", "PG", 86));
    }
}
