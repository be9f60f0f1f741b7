-- Crawled vacancies name their firm but rarely its partita IVA or sector.
-- This view matches each (canonical) vacancy to a firm of the contact
-- campaigns on the folded firm name (upper case, letters and digits, legal
-- form dropped: the same fold as outreach_priority), so that the vacancy
-- gets the firm's ATECO sector and id. Unmatched vacancies keep their own
-- (usually empty) values.
CREATE VIEW IF NOT EXISTS vacancy_firms AS
SELECT
    vacancy_id,
    if(ateco != '', ateco, matched_ateco) AS ateco,
    if(firm_id != '', firm_id, matched_firm_id) AS firm_id,
    matched_firm_id != '' AS matched
FROM (
    SELECT vacancy_id, ateco, firm_id,
           replaceRegexpAll(replaceRegexpAll(upper(firm_name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key
    FROM vacancies FINAL
    WHERE canonical_id = ''
)
ANY LEFT JOIN (
    SELECT firm_key, any(ateco) AS matched_ateco, any(firm_id) AS matched_firm_id
    FROM (
        SELECT firm_id, ateco,
               replaceRegexpAll(replaceRegexpAll(upper(name), '[^A-Z0-9]+', ' '), ' (S P A|SPA|S R L|SRL|S R L S|SRLS|S N C|SNC|S A S|SAS|S S|SOC COOP|S C A R L|SCARL) ?$', '') AS firm_key
        FROM firms FINAL
    )
    WHERE firm_key != ''
    GROUP BY firm_key
) USING firm_key;
