package io.dvdrental.pipelines.transforms.reference;

/** What a click is enriched with: one row of the dim_film export. */
public record FilmReference(int filmId, String title, String category, String rating, int length) {

    public static final String UNKNOWN = "Unknown";

    /** Stands in for a film that the current reference data does not know; the click is kept, not dropped. */
    public static FilmReference unknown(int filmId) {
        return new FilmReference(filmId, UNKNOWN, UNKNOWN, UNKNOWN, 0);
    }
}
