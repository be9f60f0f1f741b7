-- Stored hiring forecasts: one row per run, series (measure x district x
-- sector x ISCO group) and target month. A run is never updated, only
-- re-inserted (a retried batch), so ReplacingMergeTree on the full key
-- keeps one row per forecast. level says which aggregate the row is:
-- region (every district), district, sector (ATECO division in a district),
-- isco2, isco3 (ISCO-08 sub-major and minor group in a district and sector).
-- horizon 1-3 is the short term, 12 the medium term.

CREATE TABLE IF NOT EXISTS hiring_forecasts (
    run_id       String,
    created_at   DateTime,
    method       String,
    level        String,
    district     String,
    sector       String,
    isco         String,
    measure      String,
    origin       Date,
    target_month Date,
    horizon      UInt8,
    point        Float64,
    lo80         Float64,
    hi80         Float64,
    lo95         Float64,
    hi95         Float64,
    version      UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(created_at)
ORDER BY (run_id, measure, level, district, sector, isco, method, target_month);

-- The newest run, for reports and dashboards: every forecast of the run
-- with the latest created_at.
CREATE VIEW IF NOT EXISTS hiring_forecasts_latest AS
SELECT *
FROM hiring_forecasts FINAL
WHERE run_id IN (SELECT argMax(run_id, created_at) FROM hiring_forecasts);
