-- Addresses with their city and country.
-- depends_on: silver.dvd_address, silver.dvd_city, silver.dvd_country
-- order_by: address_id
-- tests: unique(address_id), not_null(city), not_null(country)
SELECT a.address_id AS address_id, a.address AS address, a.address2 AS address2, a.district AS district,
       a.postal_code AS postal_code, a.phone AS phone, a.city_id AS city_id, ci.city AS city,
       ci.country_id AS country_id, co.country AS country
FROM silver.dvd_address AS a
LEFT JOIN silver.dvd_city AS ci ON ci.city_id = a.city_id
LEFT JOIN silver.dvd_country AS co ON co.country_id = ci.country_id
SETTINGS join_use_nulls = 1
