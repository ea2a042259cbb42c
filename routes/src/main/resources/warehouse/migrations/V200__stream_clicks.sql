-- Streaming pipeline: raw clicks from Kafka topic dvd_clicks, enriched with dim_film at ingest.
--
-- Exactly once: the route inserts each batch of one Kafka partition with
--   insert_deduplication_token = '<topic>-<partition>-<first offset>-<last offset>', async_insert = 0,
--   deduplicate_blocks_in_dependent_materialized_views = 1
-- and commits the Kafka offset only after the insert. A batch redelivered after a crash or rebalance is cut along
-- the same offsets (its range is written to stream.ingest_batches BEFORE the insert), so it carries the same token
-- and ClickHouse drops it in this table and in every materialized view's target table. This needs
-- non_replicated_deduplication_window > 0 on this table and on every MV target (V201). See docs/streaming.md.
CREATE DATABASE IF NOT EXISTS stream;

-- One row per valid click. Columns:
--   event_id .. referrer : the event as published (contracts/dvd_clicks.schema.json), event_ts in UTC
--   film_title, category, rating, length : dim_film at ingest time ('Unknown' / 0 when the film was not known)
--   kafka_topic, kafka_partition, kafka_offset : where the click was read (unique per click)
--   ingested_at : server time of the insert (freshness = ingested_at - event_ts)
CREATE TABLE IF NOT EXISTS stream.dvd_clicks
(
    event_id        UUID,
    event_ts        DateTime64(3, 'UTC'),
    user_id         String,
    session_id      String,
    film_id         UInt32,
    event_type      LowCardinality(String),
    page            LowCardinality(String),
    position        UInt8,
    device          LowCardinality(String),
    referrer        LowCardinality(String),
    film_title      String,
    category        LowCardinality(String),
    rating          LowCardinality(String),
    length          UInt16,
    kafka_topic     LowCardinality(String),
    kafka_partition UInt16,
    kafka_offset    UInt64,
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (toStartOfMinute(event_ts), event_type, film_id)
SETTINGS non_replicated_deduplication_window = 10000;

-- The offset range of every batch, written before its insert: after a crash the route cuts redelivered records
-- along these ranges again, so the insert deduplication token of a batch never changes. Old ranges expire.
CREATE TABLE IF NOT EXISTS stream.ingest_batches
(
    kafka_topic     LowCardinality(String),
    kafka_partition UInt16,
    first_offset    UInt64,
    last_offset     UInt64,
    rows            UInt32,
    planned_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY (kafka_topic, kafka_partition, first_offset)
TTL toDateTime(planned_at) + INTERVAL 7 DAY
SETTINGS non_replicated_deduplication_window = 10000;
