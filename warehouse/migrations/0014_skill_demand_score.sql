-- skill_demand gains score: the highest score among the record's
-- mentions of the skill (negated ones left out). Since nlp-1.32.0 a
-- mention's score estimates how often a careful coder codes such a mention
-- (nlp/lexicon/reliability.tsv), so an analyst can weight demand by it or
-- keep the surer mentions: on the gold set's blind batches, mentions
-- scoring 0.6 or more were right about 87 times in 100, all mentions about
-- 77. The other columns are as in 0012. (ClickHouse 18.16, Debian's, has
-- no CREATE OR REPLACE VIEW; skill_gaps reads skill_demand by name when
-- queried, so dropping and creating it again is safe, and a rerun after a
-- failure between the two statements redoes both.)

DROP TABLE IF EXISTS skill_demand;

CREATE VIEW skill_demand AS
SELECT district, source, record_id, month, isco, skill_uri, skill_label, skill_type, workers, required, preferred,
       difficulty, long_open, reposted, score
FROM
(
    SELECT district, 'vacancy' AS source, vacancy_id AS record_id, toStartOfMonth(any(date_posted)) AS month, '' AS isco,
           skill_uri, any(skill_label) AS skill_label, any(skill_type) AS skill_type, toUInt64(greatest(any(openings), 1)) AS workers,
           max(required) AS required, max(preferred) AS preferred, toUInt8(0) AS difficulty, max(score) AS score
    FROM vacancy_skills FINAL
    WHERE negated = 0
      AND (vacancy_id, version) IN (SELECT vacancy_id, version FROM vacancies FINAL WHERE canonical_id = '')
    GROUP BY district, vacancy_id, skill_uri
)
ANY LEFT JOIN (SELECT vacancy_id AS record_id, long_open, reposted FROM vacancy_signals) USING record_id
UNION ALL
SELECT district, source, record_id, month, isco, skill_uri, skill_label, skill_type, workers, required, preferred,
       difficulty, toUInt8(0) AS long_open, toUInt8(0) AS reposted, score
FROM
(
    SELECT district, 'need' AS source, need_id AS record_id, toStartOfMonth(any(declared_at)) AS month,
           skill_uri, any(skill_label) AS skill_label, any(skill_type) AS skill_type, toUInt64(any(hires)) AS workers,
           max(required) AS required, max(preferred) AS preferred, max(score) AS score
    FROM hiring_need_skills FINAL
    WHERE negated = 0
      AND (need_id, version) IN (SELECT need_id, max(version) FROM hiring_needs GROUP BY need_id)
    GROUP BY district, need_id, skill_uri
)
ANY LEFT JOIN (SELECT need_id AS record_id, difficulty, if(isco != '', isco, isco_group) AS isco FROM hiring_needs FINAL) USING record_id;
