-- One row per rental: keys, dates and how long it was out (-1 while not returned).
-- depends_on: silver.dvd_rental, silver.dvd_inventory
-- materialized: incremental
-- unique_key: rental_id
-- order_by: rental_id
-- tests: unique(rental_id), not_null(rental_id), not_null(film_id)
SELECT r.rental_id AS rental_id, r.customer_id AS customer_id, r.inventory_id AS inventory_id,
       i.film_id AS film_id, i.store_id AS store_id, r.staff_id AS staff_id,
       r.rental_date AS rental_date, r.return_date AS return_date,
       toInt32(if(isNull(r.return_date), -1, dateDiff('day', r.rental_date, assumeNotNull(r.return_date))))
           AS rental_duration_days,
       toUInt8(isNotNull(r.return_date)) AS is_returned,
       r.last_update AS last_update
FROM silver.dvd_rental AS r
LEFT JOIN silver.dvd_inventory AS i ON i.inventory_id = r.inventory_id
SETTINGS join_use_nulls = 1
