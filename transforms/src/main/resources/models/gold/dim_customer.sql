-- Customers as they are now, with where they live.
-- depends_on: silver.dvd_customer, gold.dim_address
-- order_by: customer_id
-- tests: unique(customer_id), not_null(country)
SELECT c.customer_id AS customer_id, c.first_name AS first_name, c.last_name AS last_name, c.email AS email,
       c.store_id AS store_id, c.activebool AS activebool, c.active AS active, c.create_date AS create_date,
       c.address_id AS address_id, a.district AS district, a.city AS city, a.country AS country
FROM silver.dvd_customer AS c
LEFT JOIN gold.dim_address AS a ON a.address_id = c.address_id
SETTINGS join_use_nulls = 1
