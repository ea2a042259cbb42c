package io.dvdrental.pipelines.transforms.reference;

import java.time.Instant;
import java.util.Map;

/**
 * One immutable version of the film reference data. Readers take the whole snapshot at once, so a click is
 * never enriched from half of one export and half of another.
 */
public record ReferenceSnapshot(String version, Instant exportedAt, Instant loadedAt, Map<Integer, FilmReference> films) {

    public static final ReferenceSnapshot EMPTY = new ReferenceSnapshot("none", null, null, Map.of());

    public ReferenceSnapshot {
        films = Map.copyOf(films);
    }

    public FilmReference film(int filmId) {
        return films.get(filmId);
    }

    public int size() {
        return films.size();
    }
}
