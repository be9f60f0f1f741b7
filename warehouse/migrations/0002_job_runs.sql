-- History of scheduled runs (crawls, survey pulls, forecasts), for operators:
-- `fabbisogni jobs` lists the latest.
CREATE TABLE IF NOT EXISTS job_runs (
    run_id      String,
    job         String,
    started_at  DateTime,
    finished_at DateTime,
    status      String,
    rows        UInt64,
    error       String,
    host        String
) ENGINE = ReplacingMergeTree(finished_at)
ORDER BY (job, started_at, run_id);
