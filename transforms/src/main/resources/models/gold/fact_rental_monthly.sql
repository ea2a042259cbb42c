-- Rentals per film per month (keyed by the month's last day).
-- depends_on: gold.fact_rental, gold.dim_date
-- materialized: incremental
-- unique_key: film_id, month_end
-- order_by: film_id, month_end
-- tests: unique(film_id, month_end), not_null(film_id)
SELECT assumeNotNull(f.film_id) AS film_id, d.month_end AS month_end, toUInt64(count()) AS rentals
FROM gold.fact_rental AS f
INNER JOIN gold.dim_date AS d ON d.date_day = toDate(f.rental_date)
WHERE f.film_id IS NOT NULL
GROUP BY f.film_id, d.month_end
