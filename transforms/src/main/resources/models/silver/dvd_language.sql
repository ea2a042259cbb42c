-- Current state of each language: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.language
-- order_by: language_id
-- tests: unique(language_id), not_null(language_id)
SELECT language_id, name, last_update
FROM (
    SELECT *
    FROM bronze.language
    {{latest_per_key language}}
)
WHERE _op != 'd'
