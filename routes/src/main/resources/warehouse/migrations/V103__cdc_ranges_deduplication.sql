-- bronze.cdc_ranges was made without a deduplication window: on a new warehouse readiness stayed DOWN
-- (warehouseDeduplication checks every bronze MergeTree table), and a retried write of the same ranges was stored
-- twice until a merge. Set under the name the engine reads (rendered as in V203).
ALTER TABLE bronze.cdc_ranges MODIFY SETTING non_replicated_deduplication_window = 10000;
