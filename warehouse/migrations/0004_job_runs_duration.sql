-- Run durations to the millisecond (started_at and finished_at are DateTime,
-- to the second).
ALTER TABLE job_runs ADD COLUMN duration_ms UInt64 DEFAULT 0;
