-- Current state of each language: latest last_update, then latest extraction.
-- depends_on: bronze.language
-- order_by: language_id
-- tests: unique(language_id), not_null(language_id)
SELECT language_id, name, last_update
FROM bronze.language
ORDER BY language_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY language_id
