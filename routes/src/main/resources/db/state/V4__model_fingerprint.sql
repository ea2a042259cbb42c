-- The fingerprint of the model SQL a table was built with: a model whose SQL changed is rebuilt even when none of
-- its upstreams did. NULL (bronze tables, tables built before this column) counts as changed.
ALTER TABLE batch_node_state ADD COLUMN fingerprint text;
