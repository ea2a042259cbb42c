-- Quartz keeps job data as text properties from this release on (org.quartz.jobStore.useProperties), under the
-- scheduler name dvd-batch-v2. The previous release's scheduler, dvd-batch, stored it as Java serialization, which
-- every replica would deserialize: its rows go. The schedule routes create their jobs again at start; a schedule
-- whose time falls inside the rollout fires on whichever release holds it at that moment.
DELETE FROM qrtz_fired_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_cron_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_simple_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_simprop_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_blob_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_triggers WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_job_details WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_calendars WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_paused_trigger_grps WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_scheduler_state WHERE sched_name = 'dvd-batch';
DELETE FROM qrtz_locks WHERE sched_name = 'dvd-batch';
