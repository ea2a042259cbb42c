-- Current state of each country: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.country
-- order_by: country_id
-- tests: unique(country_id), not_null(country_id)
SELECT country_id, country, last_update
FROM (
    SELECT *
    FROM bronze.country
    {{latest_per_key country}}
)
WHERE _op != 'd'
