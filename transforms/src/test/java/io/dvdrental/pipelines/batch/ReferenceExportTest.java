package io.dvdrental.pipelines.batch;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReferenceExportTest {

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
        assertThat(ReferenceExport.csv(List.of(film(1, "Academy Dinosaur"), film(2, "Say \"Hi\", Ace"))))
                .isEqualTo("film_id,title,category,rating,length,release_year,rental_duration\n"
                        + "1,Academy Dinosaur,Documentary,PG,86,2006,6\n"
                        + "2,\"Say \"\"Hi\"\", Ace\",Documentary,PG,86,2006,6\n");
    }

    @Test
    void jsonLinesAndTheLatestPointer() {
        assertThat(ReferenceExport.jsonLines(List.of(film(1, "Academy Dinosaur"))))
                .isEqualTo("{\"film_id\":1,\"title\":\"Academy Dinosaur\",\"category\":\"Documentary\",\"rating\":\"PG\","
                        + "\"length\":86,\"release_year\":2006,\"rental_duration\":6}\n");
        assertThat(ReferenceExport.latest("r1", 1000, "2026-01-01T00:00:00Z"))
                .isEqualTo("{\"version\":\"r1\",\"csv\":\"reference/dim_film/r1/dim_film.csv\","
                        + "\"jsonl\":\"reference/dim_film/r1/dim_film.jsonl\",\"rows\":1000,"
                        + "\"exportedAt\":\"2026-01-01T00:00:00Z\"}");
    }
}
