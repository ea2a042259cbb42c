-- Current state of each store: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.store, bronze.address
-- order_by: store_id
-- tests: unique(store_id), not_null(store_id)
SELECT store_id, manager_staff_id, address_id, last_update
FROM (
    SELECT *
    FROM bronze.store
    WHERE _op = 'd' OR (address_id IN (SELECT address_id FROM bronze.address))
    {{latest_per_key store}}
)
WHERE _op != 'd'
