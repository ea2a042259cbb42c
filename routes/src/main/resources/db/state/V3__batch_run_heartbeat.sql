-- The server executing a run beats this every few seconds; a RUNNING run whose beat stopped lost its server
-- (kill -9, OOM, node loss) and is abandoned by the next start instead of blocking it until dvd.batch.run-timeout.
ALTER TABLE batch_run ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp();
