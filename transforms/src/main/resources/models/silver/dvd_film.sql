-- Current state of each film: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.film, bronze.language
-- order_by: film_id
-- tests: unique(film_id), not_null(film_id)
SELECT film_id, title, description, release_year, language_id, rental_duration, rental_rate, length, replacement_cost, rating, special_features, last_update
FROM (
    SELECT *
    FROM bronze.film
    WHERE _op = 'd' OR (language_id IN (SELECT language_id FROM bronze.language))
    {{latest_per_key film}}
)
WHERE _op != 'd'
