-- Current state of each staff: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.staff, bronze.address
-- order_by: staff_id
-- tests: unique(staff_id), not_null(staff_id)
SELECT staff_id, first_name, last_name, address_id, email, store_id, active, username, last_update
FROM (
    SELECT *
    FROM bronze.staff
    WHERE _op = 'd' OR (address_id IN (SELECT address_id FROM bronze.address))
    {{latest_per_key staff}}
)
WHERE _op != 'd'
