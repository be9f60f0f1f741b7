-- outreach_priority: the firms of each district ranked for the outreach
-- ("job account") team, one row per firm, each saying why it ranks there.
--
-- Firms come from both sources: those in the contact campaigns (firms,
-- contacts, hiring_needs) and those seen only posting vacancies (never
-- contacted). The two are matched on a folded name (upper case, letters
-- and digits, legal form dropped: "Lanificio Valle Cervo S.p.A." and
-- "LANIFICIO VALLE CERVO SPA" are one firm) within a district.
--
--   posted_workers   workers requested by the firm's vacancies posted in the
--                    last 90 days (near-duplicates left out)
--   declared_hires   hires declared for the next 12 months (within_3m, 3_12m)
--   forecast_hires   the district's forecast of workers requested for the
--                    next 3 months (latest run of hiring_forecasts, bottom-up)
--                    times the firm's share of the district's posted workers
--   expected_hires   posted_workers + greatest(declared_hires, forecast_hires)
--   hard_to_fill     needs declared difficult (2-3 of 3) + vacancies open
--                    over 45 days + reposted vacancies (vacancy_signals)
--   contact_factor   1.5 never contacted; 1.25 last contact 180+ days ago;
--                    0.5 contacted in the last 30 days or refused in the
--                    last 180; 1 otherwise
--   score            expected_hires x (1 + 0.25 x hard_to_fill) x contact_factor
--
-- Rank with ORDER BY district, score DESC.

CREATE VIEW IF NOT EXISTS outreach_priority AS
SELECT
    district, firm_key, firm_id, firm_name, ateco,
    recent_postings, posted_workers, declared_hires,
    round(forecast_hires, 2) AS forecast_hires,
    round(expected_hires, 2) AS expected_hires,
    difficult_needs, long_open_vacancies, reposted_vacancies, hard_to_fill,
    contacts, last_contact, last_outcome, never_contacted, days_since_contact,
    contact_factor,
    round(expected_hires * (1 + 0.25 * hard_to_fill) * contact_factor, 3) AS score,
    arrayStringConcat(arrayFilter(x -> x != '', [
        if(recent_postings > 0, concat(toString(recent_postings), ' postings in 90 days for ', toString(posted_workers), ' workers'), ''),
        if(declared_hires > 0, concat(toString(declared_hires), ' hires declared for the next 12 months'), ''),
        if(forecast_hires >= 0.05, concat('about ', toString(round(forecast_hires, 1)), ' hires forecast next quarter'), ''),
        if(difficult_needs > 0, concat(toString(difficult_needs), ' needs declared hard to fill'), ''),
        if(long_open_vacancies > 0, concat(toString(long_open_vacancies), ' vacancies open over 45 days'), ''),
        if(reposted_vacancies > 0, concat(toString(reposted_vacancies), ' vacancies reposted'), ''),
        if(never_contacted = 1, 'never contacted', concat('last contacted ', toString(days_since_contact), ' days ago (', last_outcome, ')'))
    ]), '; ') AS why
FROM
(
    SELECT *,
        posted_workers + greatest(toFloat64(declared_hires), forecast_hires) AS expected_hires,
        difficult_needs + long_open_vacancies + reposted_vacancies AS hard_to_fill,
        toUInt8(contacts = 0) AS never_contacted,
        if(contacts = 0, 0, dateDiff('day', last_contact, today())) AS days_since_contact,
        multiIf(contacts = 0, 1.5,
                dateDiff('day', last_contact, today()) < 30, 0.5,
                last_outcome = 'refused' AND dateDiff('day', last_contact, today()) < 180, 0.5,
                dateDiff('day', last_contact, today()) >= 180, 1.25,
                1.0) AS contact_factor
    FROM
    (
        SELECT *, if(district_posted > 0, district_forecast * posted_workers / district_posted, 0.) AS forecast_hires
        FROM
        (
            SELECT
                district, firm_key,
                anyIf(firm_id, firm_id != '') AS firm_id,
                if(anyIf(survey_name, survey_name != '') != '', anyIf(survey_name, survey_name != ''), anyIf(name, name != '')) AS firm_name,
                anyIf(ateco, ateco != '') AS ateco,
                sum(postings) AS recent_postings,
                sum(workers) AS posted_workers,
                sum(declared) AS declared_hires,
                sum(difficult) AS difficult_needs,
                sum(long_open) AS long_open_vacancies,
                sum(reposted) AS reposted_vacancies,
                sum(contacted) AS contacts,
                max(contact_date) AS last_contact,
                argMax(outcome, contact_date) AS last_outcome
            FROM
            (
                SELECT district,
                       replaceRegexpAll(replaceRegexpAll(upper(firm_name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key,
                       '' AS firm_id, firm_name AS name, '' AS survey_name, ateco,
                       toUInt64(1) AS postings, toUInt64(greatest(openings, 1)) AS workers, toUInt64(0) AS declared, toUInt64(0) AS difficult,
                       toUInt64(long_open) AS long_open, toUInt64(reposted) AS reposted,
                       toUInt64(0) AS contacted, toDate('1970-01-01') AS contact_date, '' AS outcome
                FROM
                (
                    SELECT vacancy_id, district, firm_name, ateco, openings FROM vacancies FINAL
                    WHERE firm_name != '' AND district != '' AND canonical_id = '' AND date_posted >= today() - 90
                )
                ANY LEFT JOIN (SELECT vacancy_id, long_open, reposted FROM vacancy_signals) USING vacancy_id
                UNION ALL
                SELECT district,
                       replaceRegexpAll(replaceRegexpAll(upper(name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key,
                       firm_id, name, name AS survey_name, ateco,
                       toUInt64(0) AS postings, toUInt64(0) AS workers, toUInt64(0) AS declared, toUInt64(0) AS difficult,
                       toUInt64(0) AS long_open, toUInt64(0) AS reposted,
                       toUInt64(0) AS contacted, toDate('1970-01-01') AS contact_date, '' AS outcome
                FROM firms FINAL
                WHERE district != ''
                UNION ALL
                SELECT district, firm_key, firm_id, name, name AS survey_name, ateco,
                       toUInt64(0) AS postings, toUInt64(0) AS workers,
                       toUInt64(if(horizon IN ('within_3m', '3_12m'), hires, 0)) AS declared,
                       toUInt64(difficulty >= 2) AS difficult,
                       toUInt64(0) AS long_open, toUInt64(0) AS reposted,
                       toUInt64(0) AS contacted, toDate('1970-01-01') AS contact_date, '' AS outcome
                FROM (SELECT firm_id, hires, horizon, difficulty FROM hiring_needs FINAL)
                ANY INNER JOIN
                (
                    SELECT firm_id, district, name, ateco,
                           replaceRegexpAll(replaceRegexpAll(upper(name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key
                    FROM firms FINAL WHERE district != ''
                ) USING firm_id
                UNION ALL
                SELECT district, firm_key, firm_id, name, name AS survey_name, ateco,
                       toUInt64(0) AS postings, toUInt64(0) AS workers, toUInt64(0) AS declared, toUInt64(0) AS difficult,
                       toUInt64(0) AS long_open, toUInt64(0) AS reposted,
                       toUInt64(1) AS contacted, contact_date, outcome
                FROM (SELECT firm_id, contact_date, outcome FROM contacts FINAL)
                ANY INNER JOIN
                (
                    SELECT firm_id, district, name, ateco,
                           replaceRegexpAll(replaceRegexpAll(upper(name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key
                    FROM firms FINAL WHERE district != ''
                ) USING firm_id
            )
            GROUP BY district, firm_key
        )
        ANY LEFT JOIN
        (
            SELECT district, sum(dp) AS district_posted, sum(df) AS district_forecast
            FROM
            (
                SELECT district, toFloat64(greatest(openings, 1)) AS dp, 0. AS df
                FROM vacancies FINAL WHERE firm_name != '' AND district != '' AND canonical_id = '' AND date_posted >= today() - 90
                UNION ALL
                SELECT district, 0. AS dp, point AS df
                FROM hiring_forecasts_latest
                WHERE level = 'district' AND measure = 'workers' AND method LIKE 'bottom-up%' AND horizon <= 3
            )
            GROUP BY district
        ) USING district
    )
);
