package io.dvdrental.pipelines.transforms.clicks;

import io.dvdrental.pipelines.transforms.reference.ReferenceSnapshot;

import io.dvdrental.pipelines.transforms.reference.FilmReference;

/** A valid click with its film attributes and where it was read on Kafka: one row of {@code stream.dvd_clicks}. */
public record EnrichedClick(ClickEvent event, FilmReference film, boolean unknownFilm, int kafkaPartition,
                            long kafkaOffset) {

    /** Enriches from the given snapshot; a film the snapshot does not know is kept as 'Unknown'. */
    public static EnrichedClick of(ClickEvent event, ReferenceSnapshot reference, int partition, long offset) {
        FilmReference film = reference.film(event.filmId());
        return film == null
                ? new EnrichedClick(event, FilmReference.unknown(event.filmId()), true, partition, offset)
                : new EnrichedClick(event, film, false, partition, offset);
    }
}
