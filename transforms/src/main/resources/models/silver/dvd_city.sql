-- Current state of each city: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.city, bronze.country
-- order_by: city_id
-- tests: unique(city_id), not_null(city_id)
SELECT city_id, city, country_id, last_update
FROM (
    SELECT *
    FROM bronze.city
    WHERE _op = 'd' OR (country_id IN (SELECT country_id FROM bronze.country))
    {{latest_per_key city}}
)
WHERE _op != 'd'
