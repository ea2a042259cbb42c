-- The deduplication window of every table a click insert writes, set again under the name the engine reads: the
-- migration runner renders non_replicated_deduplication_window as replicated_deduplication_window on ClickHouse Cloud
-- (SharedMergeTree) and on a cluster (ReplicatedMergeTree), which ignore the former. V200 and V201 were applied with
-- the plain MergeTree name; on those engines their setting had no effect.
ALTER TABLE stream.dvd_clicks MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE stream.ingest_batches MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE stream.clicks_per_minute MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE stream.active_users_per_minute MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE stream.device_event_per_minute MODIFY SETTING non_replicated_deduplication_window = 10000;
ALTER TABLE stream.event_funnel_per_minute MODIFY SETTING non_replicated_deduplication_window = 10000;
