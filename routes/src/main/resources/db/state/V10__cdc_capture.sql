-- Change data capture (dvd.batch.capture=cdc): what the capture must not forget across restarts.
-- generation: a new name at every reset (resnapshot); bronze insert tokens of a new snapshot carry it, so they never
-- repeat an older snapshot's. snapshot_lsn: the initial snapshot's LSN (the first streamed transaction is ordered by
-- it). The engine's offsets (its position in the write-ahead log) are replaced in one transaction after every batch
-- that bronze stored; the replication slot is confirmed only that far.
CREATE TABLE cdc_capture (
    capture_name text PRIMARY KEY,
    generation   text        NOT NULL,
    snapshot_lsn bigint,
    reset_at     timestamptz,
    reset_reason text
);

CREATE TABLE cdc_offset (
    capture_name text        NOT NULL REFERENCES cdc_capture (capture_name),
    offset_key   text        NOT NULL,
    offset_value text,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (capture_name, offset_key)
);
