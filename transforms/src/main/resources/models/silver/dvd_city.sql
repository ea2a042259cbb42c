-- Current state of each city: latest last_update, then latest extraction.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.city, bronze.country
-- order_by: city_id
-- tests: unique(city_id), not_null(city_id)
SELECT city_id, city, country_id, last_update
FROM bronze.city
WHERE country_id IN (SELECT country_id FROM bronze.country)
ORDER BY city_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY city_id
