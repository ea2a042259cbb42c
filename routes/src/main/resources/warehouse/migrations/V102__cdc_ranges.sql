-- Change data capture: the range of stream positions of every bronze insert, written BEFORE the insert. After a crash
-- the engine hands changes over again from its last stored offset; they are cut along these ranges again, so each
-- insert carries the same insert_deduplication_token ('cdc-<generation>-<table>-<first>-<last>') and bronze's
-- deduplication window drops the repeat. A position is (commit LSN, change LSN) for streamed changes and the key
-- (first_key / last_key, commit and change LSN 0) for rows of the initial snapshot. Old ranges expire.
CREATE TABLE IF NOT EXISTS bronze.cdc_ranges
(
    generation       String,
    table_name       LowCardinality(String),
    first_commit_lsn UInt64,
    first_change_lsn UInt64,
    first_key        Array(Int64),
    last_commit_lsn  UInt64,
    last_change_lsn  UInt64,
    last_key         Array(Int64),
    rows             UInt32,
    planned_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY (generation, table_name, first_commit_lsn, first_change_lsn, first_key)
TTL toDateTime(planned_at) + INTERVAL 7 DAY
-- A ranges write retried after a failure is stored once, as every table written under a token.
SETTINGS non_replicated_deduplication_window = 10000;
