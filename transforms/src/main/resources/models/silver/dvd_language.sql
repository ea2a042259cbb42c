-- Current state of each language: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.language
-- order_by: language_id
-- tests: unique(language_id), not_null(language_id)
SELECT language_id, name, last_update
FROM (
    SELECT *
    FROM bronze.language
    ORDER BY language_id, _lsn DESC, _change_lsn DESC, last_update DESC, _extracted_at DESC
    LIMIT 1 BY language_id
)
WHERE _op != 'd'
