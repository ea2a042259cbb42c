-- The film-actor bridge without duplicates: each pair's latest change; a pair deleted at the source is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.film_actor, bronze.actor, bronze.film
-- order_by: actor_id, film_id
-- tests: unique(actor_id, film_id), not_null(actor_id), not_null(film_id)
SELECT actor_id, film_id, last_update
FROM (
    SELECT *
    FROM bronze.film_actor
    WHERE _op = 'd' OR (actor_id IN (SELECT actor_id FROM bronze.actor)
                        AND film_id IN (SELECT film_id FROM bronze.film))
    {{latest_per_key film_actor}}
)
WHERE _op != 'd'
