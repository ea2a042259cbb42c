-- Current state of each category: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.category
-- order_by: category_id
-- tests: unique(category_id), not_null(category_id)
SELECT category_id, name, last_update
FROM (
    SELECT *
    FROM bronze.category
    {{latest_per_key category}}
)
WHERE _op != 'd'
