-- Rentals upserted on rental_id: a rental changes when it is returned; the latest change wins, a deleted rental is
-- left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.rental, bronze.inventory, bronze.customer, bronze.staff
-- materialized: incremental
-- unique_key: rental_id
-- order_by: rental_id
-- tests: unique(rental_id), not_null(rental_id)
SELECT rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, last_update
FROM (
    SELECT *
    FROM bronze.rental
    WHERE _op = 'd' OR (inventory_id IN (SELECT inventory_id FROM bronze.inventory)
                        AND customer_id IN (SELECT customer_id FROM bronze.customer)
                        AND staff_id IN (SELECT staff_id FROM bronze.staff))
    {{latest_per_key rental}}
)
WHERE _op != 'd'
