-- Current state of each country: latest last_update, then latest extraction.
-- depends_on: bronze.country
-- order_by: country_id
-- tests: unique(country_id), not_null(country_id)
SELECT country_id, country, last_update
FROM bronze.country
ORDER BY country_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY country_id
