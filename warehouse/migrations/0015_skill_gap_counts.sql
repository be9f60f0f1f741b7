-- skill_gap_counts: the counts skill_gaps divides, per district and ESCO
-- skill, with the demand split by score, so that a report can keep the
-- surer demand (`fabbisogni report gaps --min-score 0.6`).
--
-- side = 'demand': one row per district, skill and score (skill_demand:
-- the best score among a record's mentions of the skill; a mention's score
-- estimates how often a careful coder codes such a mention, see 0014).
-- The columns are skill_gaps' demand columns before the shares:
-- demand_records, demand_workers, required_workers, preferred_workers, the
-- declared needs rated difficult (2-3 of 3) and rated at all with the sum
-- of their ratings, long-open and reposted vacancies.
-- side = 'supply': one row per district and skill, supply_seekers (job
-- seekers offering it, skill_supply) and the demand columns 0; score 0
-- (job-seeker skills are not filtered).
--
-- Summed with `WHERE side = 'supply' OR score >= toFloat32(X)` per
-- district and skill, and per district for the totals, these give
-- skill_gaps over the demand of mentions scoring X or more; with X = 0
-- they give skill_gaps itself. score is Float32: compare it with
-- toFloat32(X), or a mention scored 0.7 fails `score >= 0.7`. skill_gaps
-- stays as it is, and ClickHouse 18.16 views take no parameters: the shares
-- are divided where the threshold is known (warehouse.SkillGaps).

CREATE VIEW IF NOT EXISTS skill_gap_counts AS
SELECT district, skill_uri, 'demand' AS side, score,
       anyIf(skill_label, skill_label != '') AS skill_label,
       count() AS demand_records,
       sum(workers) AS demand_workers,
       sumIf(workers, required = 1) AS required_workers,
       sumIf(workers, preferred = 1) AS preferred_workers,
       countIf(difficulty >= 2) AS difficult_needs,
       countIf(difficulty >= 1) AS rated_needs,
       sum(toUInt64(difficulty)) AS difficulty_sum,
       sum(toUInt64(long_open)) AS long_open_vacancies,
       sum(toUInt64(reposted)) AS reposted_vacancies,
       toUInt64(0) AS supply_seekers
FROM skill_demand
WHERE district != ''
GROUP BY district, skill_uri, score
UNION ALL
SELECT district, skill_uri, 'supply' AS side, toFloat32(0) AS score,
       anyIf(skill_label, skill_label != '') AS skill_label,
       toUInt64(0) AS demand_records, toUInt64(0) AS demand_workers, toUInt64(0) AS required_workers, toUInt64(0) AS preferred_workers,
       toUInt64(0) AS difficult_needs, toUInt64(0) AS rated_needs, toUInt64(0) AS difficulty_sum,
       toUInt64(0) AS long_open_vacancies, toUInt64(0) AS reposted_vacancies,
       count() AS supply_seekers
FROM skill_supply
WHERE district != ''
GROUP BY district, skill_uri;
