-- Current state of each country: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.country
-- order_by: country_id
-- tests: unique(country_id), not_null(country_id)
SELECT country_id, country, last_update
FROM (
    SELECT *
    FROM bronze.country
    ORDER BY country_id, _lsn DESC, _change_lsn DESC, last_update DESC, _extracted_at DESC
    LIMIT 1 BY country_id
)
WHERE _op != 'd'
