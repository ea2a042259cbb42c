-- Payments are append-only; a payment read twice (lookback, rerun) is kept once, a deleted one is left out. A
-- payment whose rental was deleted names no rental (rental_id NULL: the source's ON DELETE SET NULL) and stays a
-- payment.
-- Rows whose foreign keys are unknown stay out (the quarantine step records them).
-- depends_on: bronze.payment, bronze.customer, bronze.rental, bronze.staff
-- materialized: incremental
-- unique_key: payment_id
-- order_by: payment_id
-- tests: unique(payment_id), not_null(payment_id)
SELECT payment_id, customer_id, staff_id, rental_id, amount, payment_date
FROM (
    SELECT *
    FROM bronze.payment
    WHERE _op = 'd' OR (customer_id IN (SELECT customer_id FROM bronze.customer)
                        AND (rental_id IS NULL OR rental_id IN (SELECT rental_id FROM bronze.rental))
                        AND staff_id IN (SELECT staff_id FROM bronze.staff))
    {{latest_per_key payment}}
)
WHERE _op != 'd'
