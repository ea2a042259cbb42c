-- A check whose inputs did not change takes over its result in the latest earlier run that recorded results.
CREATE INDEX batch_dq_result_checked ON batch_dq_result (checked_at DESC);
