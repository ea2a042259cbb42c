-- Every version of every customer with where they lived while it was valid (a deleted customer's last version ends
-- at the delete).
-- depends_on: silver.dvd_customer_scd2, gold.dim_address
-- order_by: customer_id, version
-- tests: unique(customer_id, version), not_null(country)
SELECT cityHash64(c.customer_id, c.version) AS customer_sk, c.customer_id AS customer_id,
       c.first_name AS first_name, c.last_name AS last_name, c.email AS email, c.store_id AS store_id,
       c.active AS active, c.address_id AS address_id, a.city AS city, a.country AS country,
       c.valid_from AS valid_from, c.valid_to AS valid_to, c.is_current AS is_current, c.version AS version
FROM silver.dvd_customer_scd2 AS c
LEFT JOIN gold.dim_address AS a ON a.address_id = c.address_id
SETTINGS join_use_nulls = 1
