package io.dvdrental.pipelines.producer.seed;

/** What later tables need to know about the films, indexed by film_id - 1. */
record FilmCatalog(double[] popularity, int[] rentalRateCents, int[] rentalDurationDays) {

    int size() {
        return popularity.length;
    }
}
