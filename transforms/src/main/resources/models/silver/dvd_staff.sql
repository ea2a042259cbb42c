-- Current state of each staff: latest last_update, then latest extraction.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.staff, bronze.address
-- order_by: staff_id
-- tests: unique(staff_id), not_null(staff_id)
SELECT staff_id, first_name, last_name, address_id, email, store_id, active, username, last_update
FROM bronze.staff
WHERE address_id IN (SELECT address_id FROM bronze.address)
ORDER BY staff_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY staff_id
