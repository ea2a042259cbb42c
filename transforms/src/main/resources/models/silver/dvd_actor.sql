-- Current state of each actor: latest last_update, then latest extraction.
-- depends_on: bronze.actor
-- order_by: actor_id
-- tests: unique(actor_id), not_null(actor_id)
SELECT actor_id, first_name, last_name, last_update
FROM bronze.actor
ORDER BY actor_id, last_update DESC, _extracted_at DESC
LIMIT 1 BY actor_id
