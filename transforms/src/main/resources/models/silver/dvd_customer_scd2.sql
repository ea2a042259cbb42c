-- Customer history (SCD type 2) from every customer change bronze holds, in position order (the capture's commit
-- and change LSN, 0 for cursor rows; then last_update; a row re-read by the cursor counts once, its latest extraction).
-- A change whose content equals the one before it (a touched row, a re-read) is no new version. A version is valid
-- from its change's commit time (last_update for cursor rows) until the next version or the customer's delete; a
-- deleted customer has no current version. Changes made in one transaction are versions too, in their order: the
-- earlier ones are valid for no time (one commit time), so `version` numbers them and `valid_from` alone is not a
-- key. The FIRST version is valid from 1970-01-01: the earliest load is long after the 2005 rentals, and those
-- rentals must still find their customer.
-- NULLs are values here (an erased email is a change): the content hashes a tuple, because a hash over a NULL
-- argument is NULL and so is any comparison with it; the previous version is lagInFrame's row, not any()'s, which
-- skips NULLs.
-- depends_on: bronze.customer, bronze.address, bronze.store
-- order_by: customer_id, version
-- tests: unique(customer_id, version), not_null(customer_id)
WITH changes AS (
    SELECT customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active,
           last_update, _lsn, _change_lsn, _op = 'd' AS is_delete,
           if(_lsn = 0, last_update, CAST(_committed_at AS DateTime64(3))) AS changed_at,
           cityHash64(tuple(is_delete, store_id, first_name, last_name, email, address_id, activebool, create_date,
                            active)) AS content
    FROM bronze.customer
    WHERE _op = 'd' OR (address_id IN (SELECT address_id FROM bronze.address)
                        AND store_id IN (SELECT store_id FROM bronze.store))
    ORDER BY customer_id, _lsn, _change_lsn, last_update, _extracted_at DESC
    LIMIT 1 BY customer_id, _lsn, _change_lsn, last_update
),
numbered AS (
    SELECT *,
           lagInFrame(content) OVER (PARTITION BY customer_id ORDER BY _lsn, _change_lsn, last_update
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS previous_content,
           row_number() OVER (PARTITION BY customer_id ORDER BY _lsn, _change_lsn, last_update) AS change_number
    FROM changes
),
versions AS (
    SELECT * FROM numbered WHERE change_number = 1 OR content != previous_content
),
timeline AS (
    SELECT *,
           toUInt64(row_number() OVER w) AS version,
           if(version = 1, toDateTime64('1970-01-01 00:00:00', 3), changed_at) AS valid_from,
           if(count() OVER next = 0, toDateTime64('2299-12-31 23:59:59.999', 3), any(changed_at) OVER next) AS valid_to
    FROM versions
    WINDOW w AS (PARTITION BY customer_id ORDER BY _lsn, _change_lsn, last_update),
           next AS (PARTITION BY customer_id ORDER BY _lsn, _change_lsn, last_update
                    ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING)
)
SELECT customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, active,
       last_update, valid_from, valid_to, toUInt8(valid_to = toDateTime64('2299-12-31 23:59:59.999', 3)) AS is_current,
       version
FROM timeline
WHERE NOT is_delete
