-- Current state of each actor: its latest change (by position, then last_update, then extraction); one
-- whose latest change is a delete is left out.
-- depends_on: bronze.actor
-- order_by: actor_id
-- tests: unique(actor_id), not_null(actor_id)
SELECT actor_id, first_name, last_name, last_update
FROM (
    SELECT *
    FROM bronze.actor
    {{latest_per_key actor}}
)
WHERE _op != 'd'
