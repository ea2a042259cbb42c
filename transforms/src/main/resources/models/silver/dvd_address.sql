-- Current state of each address: latest last_update, then latest extraction.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.address, bronze.city
-- order_by: address_id
-- tests: unique(address_id), not_null(address_id)
SELECT address_id, address, address2, district, city_id, postal_code, phone, last_update
FROM bronze.address
WHERE city_id IN (SELECT city_id FROM bronze.city)
ORDER BY address_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY address_id
