-- The snapshot xmin of the read that left the watermark (pg_snapshot_xmin, a 64-bit xid): the next read takes the
-- rows of its lookback only from transactions at or after it. NULL (a watermark kept before this column): the whole
-- lookback.
ALTER TABLE batch_watermark ADD COLUMN snapshot_xmin bigint;
