-- A run is held by a PostgreSQL advisory lock on a session of its own (RunHold), not by a heartbeat: a live run
-- can no longer be abandoned because its server's state pool was busy or because it ran long.
ALTER TABLE batch_run DROP COLUMN heartbeat_at;
