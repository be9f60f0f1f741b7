package warehouse

import (
	"context"
	"fmt"
	"reflect"
)

// SkillGap is one row of the skill_gaps view: demand against supply of one
// skill in one district, with its hard-to-fill signals.
type SkillGap struct {
	District         string
	SkillURI         string
	SkillLabel       string
	DemandRecords    uint64  // vacancies and declared needs mentioning the skill
	DemandWorkers    uint64  // workers requested / hires declared behind them
	RequiredWorkers  uint64  // of which the skill was required
	PreferredWorkers uint64  // of which it was a plus
	DemandShare      float64 // DemandWorkers over all skill demand in the district
	SupplySeekers    uint64  // job seekers offering the skill
	SupplyShare      float64 // SupplySeekers over all seeker-skill pairs in the district
	Gap              float64 // DemandShare - SupplyShare
	DifficultNeeds   uint64  // declared needs rated difficult (2-3 of 3)
	MeanDifficulty   float64 // mean declared difficulty (1-3) where rated, 0 when none
	LongOpen         uint64  // vacancies open longer than 45 days
	Reposted         uint64  // vacancies posted again
	HardToFill       uint64  // DifficultNeeds + LongOpen + Reposted
}

// Why says in words why the skill ranks where it does.
func (g SkillGap) Why() string {
	s := fmt.Sprintf("asked for %d workers in %d postings/needs (%.1f%% of demand), offered by %d job seekers (%.1f%% of supply)",
		g.DemandWorkers, g.DemandRecords, 100*g.DemandShare, g.SupplySeekers, 100*g.SupplyShare)
	if g.HardToFill > 0 {
		s += fmt.Sprintf("; hard to fill: %d needs rated difficult, %d vacancies open over 45 days, %d reposted", g.DifficultNeeds, g.LongOpen, g.Reposted)
	}
	return s
}

// SkillGaps returns the rows of skill_gaps for a district ("" for every
// district), the largest gap first (ties: more hard-to-fill signals, then
// label), at most limit per district (0: all).
func (w *Warehouse) SkillGaps(ctx context.Context, district string, limit int) ([]SkillGap, error) {
	q := `
SELECT district, skill_uri, skill_label, demand_records, demand_workers, required_workers, preferred_workers, demand_share,
       supply_seekers, supply_share, gap, difficult_needs, mean_difficulty, long_open_vacancies, reposted_vacancies, hard_to_fill_signals
FROM skill_gaps
WHERE (? = '' OR district = ?)
ORDER BY district, gap DESC, hard_to_fill_signals DESC, skill_label`
	if limit > 0 {
		q += fmt.Sprintf("\nLIMIT %d BY district", limit)
	}
	rows, err := w.conn.Query(ctx, q, district, district)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: skill gaps district=%q: %w", district, err))
	}
	defer rows.Close()
	var out []SkillGap
	for rows.Next() {
		var g SkillGap
		if err := rows.Scan(&g.District, &g.SkillURI, &g.SkillLabel, &g.DemandRecords, &g.DemandWorkers, &g.RequiredWorkers, &g.PreferredWorkers,
			&g.DemandShare, &g.SupplySeekers, &g.SupplyShare, &g.Gap, &g.DifficultNeeds, &g.MeanDifficulty, &g.LongOpen, &g.Reposted, &g.HardToFill); err != nil {
			return nil, fmt.Errorf("warehouse: skill gaps: scan: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// QueryStrings runs a read query and returns every row with its columns
// formatted as strings (tools, tests and documentation examples).
func (w *Warehouse) QueryStrings(ctx context.Context, query string, args ...any) ([][]string, error) {
	rows, err := w.conn.Query(ctx, "SELECT * FROM ("+query+")", args...)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: query: %w", err))
	}
	defer rows.Close()
	cols := rows.ColumnTypes()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		for i, c := range cols {
			vals[i] = reflect.New(c.ScanType()).Interface()
		}
		if err := rows.Scan(vals...); err != nil {
			return nil, fmt.Errorf("warehouse: query: scan: %w", err)
		}
		r := make([]string, len(vals))
		for i, v := range vals {
			r[i] = fmt.Sprint(reflect.ValueOf(v).Elem().Interface())
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
