-- Films with their category (a film in several categories takes the one with the lowest id).
-- depends_on: silver.dvd_film, silver.dvd_film_category, silver.dvd_category
-- order_by: film_id
-- tests: unique(film_id), not_null(title)
SELECT f.film_id AS film_id, f.title AS title, f.release_year AS release_year, f.length AS length,
       f.rating AS rating, f.rental_duration AS rental_duration, c.category_name AS category_name
FROM silver.dvd_film AS f
LEFT JOIN (
    SELECT fc.film_id AS film_id, argMin(cat.name, fc.category_id) AS category_name
    FROM silver.dvd_film_category AS fc
    INNER JOIN silver.dvd_category AS cat ON cat.category_id = fc.category_id
    GROUP BY fc.film_id
) AS c ON c.film_id = f.film_id
SETTINGS join_use_nulls = 1
