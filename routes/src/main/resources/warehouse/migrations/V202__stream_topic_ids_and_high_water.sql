-- Exactly once across a recreated topic and an offset rewind.
--
-- Topic ids: a topic deleted and created again (or the same name on another cluster) starts its offsets again at 0,
-- so '<topic>-<partition>-<first>-<last>' tokens and recorded ranges repeat. The route puts Kafka's topic id (the
-- UUID the cluster gives each topic) into the token, the recorded ranges and the raw rows.
ALTER TABLE stream.dvd_clicks ADD COLUMN IF NOT EXISTS kafka_topic_id LowCardinality(String) AFTER kafka_topic;

-- Ranges of different topic ids with the same first offset are different rows (the id joins the sorting key).
ALTER TABLE stream.ingest_batches ADD COLUMN kafka_topic_id String AFTER kafka_topic,
    MODIFY ORDER BY (kafka_topic, kafka_partition, first_offset, kafka_topic_id);

-- The high-water mark: per topic id and partition, the highest offset of a click ClickHouse has stored. Written by
-- the insert itself (a materialized view), so it is confirmed exactly when the rows are. The route skips records at
-- or below it whatever the deduplication window: a group whose offsets expired or were rewound replays nothing.
--   kafka_topic, kafka_topic_id, kafka_partition, last_offset (read with max())
CREATE TABLE IF NOT EXISTS stream.ingest_high_water
(
    kafka_topic     LowCardinality(String),
    kafka_topic_id  String,
    kafka_partition UInt16,
    last_offset     SimpleAggregateFunction(max, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (kafka_topic, kafka_topic_id, kafka_partition)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS stream.ingest_high_water_mv TO stream.ingest_high_water AS
SELECT kafka_topic, kafka_topic_id, kafka_partition, max(kafka_offset) AS last_offset
FROM stream.dvd_clicks
GROUP BY kafka_topic, kafka_topic_id, kafka_partition;
