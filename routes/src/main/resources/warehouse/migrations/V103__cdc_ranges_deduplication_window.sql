-- bronze.cdc_ranges takes retried inserts under a deduplication token like every other table of bronze and stream,
-- but V102 gave it no window: on a server whose default window is 0 the readiness check (warehouseDeduplication)
-- stayed DOWN for ever on a fresh warehouse, and ./dvd demo never became ready. The runner renders the setting under
-- the name the engine reads (replicated_deduplication_window on ClickHouse Cloud and on a cluster).
ALTER TABLE bronze.cdc_ranges MODIFY SETTING non_replicated_deduplication_window = 10000;
