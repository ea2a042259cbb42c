-- The film-category bridge without duplicates: each pair's latest change; a pair deleted at the source is left
-- out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.film_category, bronze.film, bronze.category
-- order_by: film_id, category_id
-- tests: unique(film_id, category_id), not_null(film_id), not_null(category_id)
SELECT film_id, category_id, last_update
FROM (
    SELECT *
    FROM bronze.film_category
    WHERE _op = 'd' OR (film_id IN (SELECT film_id FROM bronze.film)
                        AND category_id IN (SELECT category_id FROM bronze.category))
    {{latest_per_key film_category}}
)
WHERE _op != 'd'
