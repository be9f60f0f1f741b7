package warehouse

import (
	"context"
	"fmt"
)

// SkillRecord is one vacancy or declared need of a district mentioning a
// skill: what course plans group by co-occurrence and quote as examples.
type SkillRecord struct {
	SkillURI   string
	Source     string // "vacancy" or "need"
	RecordID   string
	Title      string // vacancy title, or the occupation as the firm wrote it
	URL        string // vacancy URL, "" for needs
	ISCO       string // ISCO-08 code (4 digits, or the fallback group)
	Occupation string // ESCO occupation label, "" when not coded
	Workers    uint64
	ATECO      string // the firm's sector when known (needs), "" otherwise
}

// SkillRecords returns every (skill, record) pair of skill_demand in the
// district whose best mention of the skill scores minScore or more (0:
// every pair), with the record's title, URL and occupation.
func (w *Warehouse) SkillRecords(ctx context.Context, district string, minScore float64) ([]SkillRecord, error) {
	if err := checkMinScore("skill records", minScore); err != nil {
		return nil, err
	}
	rows, err := w.conn.Query(ctx, `
SELECT skill_uri, source, record_id, title, url, code, occupation, workers, ateco
FROM
(
    SELECT skill_uri, source, record_id, workers FROM skill_demand WHERE district = ? AND score >= toFloat32(?)
)
ANY LEFT JOIN
(
    SELECT vacancy_id AS record_id, title, url, if(isco != '', isco, isco_group) AS code, occupation_label AS occupation, ateco FROM vacancies FINAL
    UNION ALL
    SELECT need_id AS record_id, occupation_text AS title, '' AS url, if(isco != '', isco, isco_group) AS code, occupation_label AS occupation, ateco FROM hiring_needs FINAL
) USING record_id
ORDER BY skill_uri, workers DESC, record_id`, district, minScore)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: skill records district=%q min_score=%v: %w", district, minScore, err))
	}
	defer rows.Close()
	var out []SkillRecord
	for rows.Next() {
		var r SkillRecord
		if err := rows.Scan(&r.SkillURI, &r.Source, &r.RecordID, &r.Title, &r.URL, &r.ISCO, &r.Occupation, &r.Workers, &r.ATECO); err != nil {
			return nil, fmt.Errorf("warehouse: skill records: scan: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DistrictForecast is the stored forecast of workers requested in a district
// over the next months, or, when no forecast run is stored, what was
// requested in the last months with data.
type DistrictForecast struct {
	Workers float64
	RunID   string // "" when Workers is the observed fallback
	Basis   string // in words, for the report
}

// NextQuarterWorkers returns the district's bottom-up forecast of workers
// requested for horizons 1-3 from the latest run; without a stored run,
// the workers requested in the last three months with vacancies.
func (w *Warehouse) NextQuarterWorkers(ctx context.Context, district string) (DistrictForecast, error) {
	fs, err := w.LatestForecasts(ctx, "district", MeasureWorkers, district, 1, 3)
	if err != nil {
		return DistrictForecast{}, err
	}
	for _, f := range fs {
		if len(f.Method) >= 9 && f.Method[:9] == "bottom-up" {
			return DistrictForecast{Workers: f.Point, RunID: f.RunID, Basis: fmt.Sprintf("forecast run %s, workers requested in the next 3 months (%s)", f.RunID, f.Method)}, nil
		}
	}
	var v float64
	err = w.conn.QueryRow(ctx, `
SELECT toFloat64(sum(greatest(openings, 1))) FROM vacancies FINAL
WHERE district = ? AND canonical_id = '' AND date_posted > addMonths((SELECT max(date_posted) FROM vacancies FINAL WHERE district = ?), -3)`, district, district).Scan(&v)
	if err != nil {
		return DistrictForecast{}, classify(fmt.Errorf("warehouse: recent workers district=%q: %w", district, err))
	}
	return DistrictForecast{Workers: v, Basis: "no stored forecast (run `fabbisogni forecast run`): workers requested in the last 3 months with vacancies"}, nil
}
