-- One big table for the dashboards: each rental with its customer (as they were when renting), where they lived,
-- the film and the calendar attributes of the rental and return dates. Versions valid for no time (superseded in
-- the transaction that made them) share their valid_from with the next one and are never the one a rental saw.
-- depends_on: gold.fact_rental, gold.dim_customer_scd2, gold.dim_film, gold.dim_date
-- materialized: incremental
-- unique_key: rental_id
-- order_by: rental_date, rental_id
-- tests: unique(rental_id), not_null(rental_id), not_null(country), not_null(film_title)
SELECT f.rental_id AS rental_id, f.rental_date AS rental_date, f.return_date AS return_date,
       f.rental_duration_days AS rental_duration_days, f.is_returned AS is_returned,
       f.film_id AS film_id, fi.title AS film_title, fi.category_name AS category_name, fi.rating AS rating,
       f.customer_id AS customer_id, c.customer_sk AS customer_sk,
       concat(c.first_name, ' ', c.last_name) AS customer_name, c.city AS city, c.country AS country,
       f.store_id AS store_id, f.staff_id AS staff_id,
       toDate(f.rental_date) AS rental_date_day, rd.day_name AS rental_day_name, rd.week AS rental_week,
       rd.month_end AS rental_month_end, rd.quarter AS rental_quarter, rd.year AS rental_year,
       toNullable(toDate(f.return_date)) AS return_date_day, rtd.day_name AS return_day_name,
       rtd.month_end AS return_month_end,
       f.last_update AS last_update
FROM (SELECT *, toDateTime64(rental_date, 3) AS rented_at FROM gold.fact_rental) AS f
ASOF LEFT JOIN (SELECT * FROM gold.dim_customer_scd2 WHERE valid_to > valid_from) AS c
    ON c.customer_id = f.customer_id AND f.rented_at >= c.valid_from
LEFT JOIN gold.dim_film AS fi ON fi.film_id = f.film_id
LEFT JOIN gold.dim_date AS rd ON rd.date_day = toDate(f.rental_date)
LEFT JOIN gold.dim_date AS rtd ON rtd.date_day = toDate(f.return_date)
SETTINGS join_use_nulls = 1
