-- Current state of each address: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.address, bronze.city
-- order_by: address_id
-- tests: unique(address_id), not_null(address_id)
SELECT address_id, address, address2, district, city_id, postal_code, phone, last_update
FROM (
    SELECT *
    FROM bronze.address
    WHERE _op = 'd' OR (city_id IN (SELECT city_id FROM bronze.city))
    {{latest_per_key address}}
)
WHERE _op != 'd'
