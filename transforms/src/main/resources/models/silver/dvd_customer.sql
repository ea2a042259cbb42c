-- The current version of each customer.
-- depends_on: silver.dvd_customer_scd2
-- materialized: view
-- tests: unique(customer_id), not_null(customer_id)
SELECT customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active, last_update
FROM silver.dvd_customer_scd2
WHERE is_current = 1
