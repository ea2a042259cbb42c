-- The film reference the click stream enriches from, written each time the server loads a new dim_film export.
-- The insights read a film's title and category from here when they answer, so clicks stored as 'Unknown' (they
-- arrived before the reference knew their film) are named once it does; stream.dvd_clicks keeps what was known at
-- ingest. One row per film and loaded version; the newest load wins (ReplacingMergeTree, argMax when read).
CREATE TABLE IF NOT EXISTS stream.film_reference
(
    film_id   UInt32,
    title     String,
    category  LowCardinality(String),
    version   String,
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY film_id
SETTINGS non_replicated_deduplication_window = 100;
