-- Current state of each store: latest last_update, then latest extraction.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.store, bronze.address
-- order_by: store_id
-- tests: unique(store_id), not_null(store_id)
SELECT store_id, manager_staff_id, address_id, last_update
FROM bronze.store
WHERE address_id IN (SELECT address_id FROM bronze.address)
ORDER BY store_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY store_id
