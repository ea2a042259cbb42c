-- Current state of each category: latest last_update, then latest extraction.
-- depends_on: bronze.category
-- order_by: category_id
-- tests: unique(category_id), not_null(category_id)
SELECT category_id, name, last_update
FROM bronze.category
ORDER BY category_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY category_id
