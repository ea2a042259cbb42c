-- Current state of each inventory: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.inventory, bronze.film, bronze.store
-- order_by: inventory_id
-- tests: unique(inventory_id), not_null(inventory_id)
SELECT inventory_id, film_id, store_id, last_update
FROM (
    SELECT *
    FROM bronze.inventory
    WHERE _op = 'd' OR (film_id IN (SELECT film_id FROM bronze.film)
                        AND store_id IN (SELECT store_id FROM bronze.store))
    {{latest_per_key inventory}}
)
WHERE _op != 'd'
