-- Crawl state per URL (detail page, listing, or feed record "feedURL#id"):
-- validators for conditional GET, content hash, when it was first and last
-- seen and when it closed (gone from the source or past validThrough).
CREATE TABLE IF NOT EXISTS crawl_state (
    url           String,
    source        String,
    kind          String,
    etag          String,
    last_modified String,
    content_hash  String,
    vacancy_ids   Array(String),
    valid_through DateTime,
    first_seen    DateTime,
    last_seen     DateTime,
    closed_at     DateTime,
    links         Array(String),
    next          Array(String),
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY url;

-- A near-duplicate vacancy (the same posting on two boards, or reposted
-- with small edits) points to its canonical vacancy; reports count only
-- vacancies whose canonical_id is empty.
ALTER TABLE vacancies ADD COLUMN canonical_id String DEFAULT '';

-- How long each crawled vacancy stayed open: a hard-to-fill signal.
CREATE VIEW IF NOT EXISTS vacancy_lifetimes AS
SELECT
    vacancy_id,
    source,
    first_seen,
    last_seen,
    closed_at,
    closed_at > toDateTime(0) AS closed,
    dateDiff('day', first_seen, if(closed_at > toDateTime(0), closed_at, now())) AS open_days
FROM (
    SELECT url, source, vacancy_ids, first_seen, last_seen, closed_at
    FROM crawl_state FINAL
    WHERE kind != 'listing'
)
ARRAY JOIN vacancy_ids AS vacancy_id;
