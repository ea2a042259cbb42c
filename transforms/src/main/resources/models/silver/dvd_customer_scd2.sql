-- Customer history (SCD type 2) from every customer version bronze holds. A version whose content equals the one
-- before it (a touched row, a re-read) is no new version. The FIRST version is valid from 1970-01-01: the earliest
-- load is long after the 2005 rentals, and those rentals must still find their customer.
-- NULLs are values here (an erased email is a change): the content hashes a tuple, because a hash over a NULL
-- argument is NULL and so is any comparison with it; the previous version is lagInFrame's row, not any()'s, which
-- skips NULLs.
-- depends_on: bronze.customer, bronze.address, bronze.store
-- order_by: customer_id, valid_from
-- tests: unique(customer_id, valid_from), not_null(customer_id)
WITH versions AS (
    SELECT customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active,
           last_update,
           cityHash64(tuple(store_id, first_name, last_name, email, address_id, activebool, create_date, active))
               AS content
    FROM bronze.customer
    WHERE address_id IN (SELECT address_id FROM bronze.address)
      AND store_id IN (SELECT store_id FROM bronze.store)
    ORDER BY customer_id, last_update, _extracted_at DESC
    LIMIT 1 BY customer_id, last_update
),
numbered AS (
    SELECT *,
           lagInFrame(content) OVER (PARTITION BY customer_id ORDER BY last_update
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS previous_content,
           row_number() OVER (PARTITION BY customer_id ORDER BY last_update) AS version
    FROM versions
),
changes AS (
    SELECT * FROM numbered WHERE version = 1 OR content != previous_content
)
SELECT customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active,
       last_update,
       if(row_number() OVER w = 1, toDateTime64('1970-01-01 00:00:00', 3), last_update) AS valid_from,
       if(count() OVER (PARTITION BY customer_id ORDER BY last_update ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING) = 0,
          toDateTime64('2299-12-31 23:59:59.999', 3),
          any(last_update) OVER (PARTITION BY customer_id ORDER BY last_update
                                 ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING)) AS valid_to,
       toUInt8(valid_to = toDateTime64('2299-12-31 23:59:59.999', 3)) AS is_current
FROM changes
WINDOW w AS (PARTITION BY customer_id ORDER BY last_update)
