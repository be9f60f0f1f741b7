-- Hard-to-fill signals of each vacancy (latest version; near-duplicates,
-- whose canonical_id points to another vacancy, are folded into that one):
-- days open (the longer of posting to today or to its end date, and the
-- days the crawler saw it open, vacancy_lifetimes), open longer than 45
-- days, and reposted (near-duplicates point to it, or another vacancy of
-- the same firm and title, or with the same content, was posted before it).
-- ClickHouse 18.16 has no window functions: the first posting of each group
-- is found with argMin and joined back.

CREATE VIEW IF NOT EXISTS vacancy_signals AS
SELECT
    vacancy_id,
    district,
    firm_name,
    date_posted,
    greatest(dateDiff('day', date_posted, least(if(valid_through > date_posted, valid_through, today()), today())), crawled_days) AS days_open,
    toUInt8(days_open > 45) AS long_open,
    toUInt8((firm_name != '' AND vacancy_id != first_of_title) OR (content_hash != '' AND vacancy_id != first_of_content) OR duplicates > 0) AS reposted
FROM
(
    SELECT vacancy_id, district, firm_name, date_posted, valid_through, content_hash, first_of_title, first_of_content, crawled_days
    FROM
    (
        SELECT vacancy_id, district, firm_name, date_posted, valid_through, content_hash, first_of_title, first_of_content
        FROM
        (
            SELECT vacancy_id, district, firm_name, date_posted, valid_through, content_hash, first_of_title
            FROM
            (
                SELECT vacancy_id, district, firm_name, date_posted, valid_through, content_hash,
                       lower(firm_name) AS f, lower(title) AS t
                FROM vacancies FINAL
                WHERE canonical_id = ''
            )
            ANY LEFT JOIN
            (
                SELECT lower(firm_name) AS f, lower(title) AS t, argMin(vacancy_id, (date_posted, vacancy_id)) AS first_of_title
                FROM vacancies FINAL
                WHERE canonical_id = ''
                GROUP BY f, t
            ) USING (f, t)
        )
        ANY LEFT JOIN
        (
            SELECT content_hash, argMin(vacancy_id, (date_posted, vacancy_id)) AS first_of_content
            FROM vacancies FINAL
            WHERE canonical_id = ''
            GROUP BY content_hash
        ) USING content_hash
    )
    ANY LEFT JOIN
    (
        SELECT vacancy_id, max(open_days) AS crawled_days FROM vacancy_lifetimes GROUP BY vacancy_id
    ) USING vacancy_id
)
ANY LEFT JOIN
(
    SELECT canonical_id AS vacancy_id, count() AS duplicates FROM vacancies FINAL WHERE canonical_id != '' GROUP BY canonical_id
) USING vacancy_id;

-- skill_demand: one row per vacancy or declared hiring need and skill it
-- mentions (latest version of each record, near-duplicate vacancies left
-- out; negated mentions left out; a
-- skill mentioned several times in one record counts once, required or
-- preferred if any mention is). workers is what the record asks for:
-- openings of a vacancy (at least 1), hires of a declared need. The
-- hard-to-fill signals of the record ride along.

CREATE VIEW IF NOT EXISTS skill_demand AS
SELECT district, source, record_id, month, isco, skill_uri, skill_label, skill_type, workers, required, preferred,
       difficulty, long_open, reposted
FROM
(
    SELECT district, 'vacancy' AS source, vacancy_id AS record_id, toStartOfMonth(any(date_posted)) AS month, '' AS isco,
           skill_uri, any(skill_label) AS skill_label, any(skill_type) AS skill_type, toUInt64(greatest(any(openings), 1)) AS workers,
           max(required) AS required, max(preferred) AS preferred, toUInt8(0) AS difficulty
    FROM vacancy_skills FINAL
    WHERE negated = 0
      AND (vacancy_id, version) IN (SELECT vacancy_id, version FROM vacancies FINAL WHERE canonical_id = '')
    GROUP BY district, vacancy_id, skill_uri
)
ANY LEFT JOIN (SELECT vacancy_id AS record_id, long_open, reposted FROM vacancy_signals) USING record_id
UNION ALL
SELECT district, source, record_id, month, isco, skill_uri, skill_label, skill_type, workers, required, preferred,
       difficulty, toUInt8(0) AS long_open, toUInt8(0) AS reposted
FROM
(
    SELECT district, 'need' AS source, need_id AS record_id, toStartOfMonth(any(declared_at)) AS month,
           skill_uri, any(skill_label) AS skill_label, any(skill_type) AS skill_type, toUInt64(any(hires)) AS workers,
           max(required) AS required, max(preferred) AS preferred
    FROM hiring_need_skills FINAL
    WHERE negated = 0
      AND (need_id, version) IN (SELECT need_id, max(version) FROM hiring_needs GROUP BY need_id)
    GROUP BY district, need_id, skill_uri
)
ANY LEFT JOIN (SELECT need_id AS record_id, difficulty, if(isco != '', isco, isco_group) AS isco FROM hiring_needs FINAL) USING record_id;

-- skill_supply: one row per job seeker (latest import) and skill their
-- profile mentions (negated mentions left out).

CREATE VIEW IF NOT EXISTS skill_supply AS
SELECT district, seeker_id, skill_uri, any(skill_label) AS skill_label
FROM job_seeker_skills FINAL
WHERE negated = 0
  AND (seeker_id, version) IN (SELECT seeker_id, max(version) FROM job_seekers GROUP BY seeker_id)
GROUP BY district, seeker_id, skill_uri;

-- skill_gaps: per district and ESCO skill, demand against supply.
--
-- Demand (skill_demand): workers requested by the vacancies and hires
-- declared in the needs that mention the skill, required and preferred
-- apart; demand_share is the skill's workers over the workers behind every
-- skill mention of the district.
-- Supply (skill_supply): job seekers whose profile mentions the skill;
-- supply_share is the skill's seekers over the seeker-skill pairs of the
-- district.
-- gap = demand_share - supply_share: positive when firms ask for the skill
-- more than the registered job seekers offer it.
-- Hard-to-fill signals: declared needs mentioning the skill that firms
-- rated difficult (difficulty 2 or 3 of 3) and their mean rated
-- difficulty; vacancies mentioning it open longer than 45 days; reposted
-- vacancies mentioning it (vacancy_signals).
-- No window functions (ClickHouse 18.16): district totals are joined in.

CREATE VIEW IF NOT EXISTS skill_gaps AS
SELECT
    district,
    skill_uri,
    skill_label,
    demand_records,
    demand_workers,
    required_workers,
    preferred_workers,
    round(demand_workers / greatest(district_demand, 1), 6) AS demand_share,
    supply_seekers,
    round(supply_seekers / greatest(district_supply, 1), 6) AS supply_share,
    round(demand_workers / greatest(district_demand, 1) - supply_seekers / greatest(district_supply, 1), 6) AS gap,
    difficult_needs,
    round(mean_difficulty, 3) AS mean_difficulty,
    long_open_vacancies,
    reposted_vacancies,
    difficult_needs + long_open_vacancies + reposted_vacancies AS hard_to_fill_signals
FROM
(
    SELECT
        district,
        skill_uri,
        anyIf(skill_label, skill_label != '') AS skill_label,
        sum(records) AS demand_records,
        sum(workers) AS demand_workers,
        sum(req_workers) AS required_workers,
        sum(pref_workers) AS preferred_workers,
        sum(seekers) AS supply_seekers,
        sum(difficult) AS difficult_needs,
        if(sum(rated) > 0, sum(difficulty_sum) / sum(rated), 0) AS mean_difficulty,
        sum(long_open) AS long_open_vacancies,
        sum(reposted) AS reposted_vacancies
    FROM
    (
        SELECT district, skill_uri, skill_label, toUInt64(1) AS records, workers,
               if(required = 1, workers, toUInt64(0)) AS req_workers,
               if(preferred = 1, workers, toUInt64(0)) AS pref_workers,
               toUInt64(0) AS seekers, toUInt64(difficulty >= 2) AS difficult, toUInt64(difficulty >= 1) AS rated,
               toUInt64(difficulty) AS difficulty_sum, toUInt64(long_open) AS long_open, toUInt64(reposted) AS reposted
        FROM skill_demand
        WHERE district != ''
        UNION ALL
        SELECT district, skill_uri, skill_label, toUInt64(0) AS records, toUInt64(0) AS workers, toUInt64(0) AS req_workers,
               toUInt64(0) AS pref_workers, toUInt64(1) AS seekers, toUInt64(0) AS difficult, toUInt64(0) AS rated,
               toUInt64(0) AS difficulty_sum, toUInt64(0) AS long_open, toUInt64(0) AS reposted
        FROM skill_supply
        WHERE district != ''
    )
    GROUP BY district, skill_uri
)
ANY LEFT JOIN
(
    SELECT district, sum(w) AS district_demand, sum(s) AS district_supply
    FROM
    (
        SELECT district, workers AS w, toUInt64(0) AS s FROM skill_demand WHERE district != ''
        UNION ALL
        SELECT district, toUInt64(0) AS w, toUInt64(1) AS s FROM skill_supply WHERE district != ''
    )
    GROUP BY district
) USING district;
