-- Current state of each film: latest last_update, then latest extraction.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.film, bronze.language
-- order_by: film_id
-- tests: unique(film_id), not_null(film_id)
SELECT film_id, title, description, release_year, language_id, rental_duration, rental_rate, length, replacement_cost, rating, special_features, last_update
FROM bronze.film
WHERE language_id IN (SELECT language_id FROM bronze.language)
ORDER BY film_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY film_id
