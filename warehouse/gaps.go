package warehouse

import (
	"context"
	"fmt"
	"reflect"

	"github.com/fabbisogni/fabbisogni"
)

// SkillGap is one row of skill gaps (the skill_gaps view, or the same over
// the demand of the surer skill mentions): demand against supply of one
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

// SkillGaps returns skill_gaps for a district ("" for every district)
// computed over the demand of skill mentions scoring minScore or more
// (0..1; 0 counts every mention, and the rows are skill_gaps' own): demand
// columns, hard-to-fill signals, shares and gaps, district totals included,
// count only those mentions; supply is every job seeker's. The largest gap
// comes first (ties: more hard-to-fill signals, then label), at most limit
// per district (0: all). A skill whose every mention scores under minScore
// and that no job seeker offers has no row.
func (w *Warehouse) SkillGaps(ctx context.Context, district string, limit int, minScore float64) ([]SkillGap, error) {
	if err := checkMinScore("skill gaps", minScore); err != nil {
		return nil, err
	}
	// The counts come from skill_gap_counts (migration 0015); the shares
	// and the gap are skill_gaps' formulas, over the kept demand.
	q := `
SELECT district, skill_uri, skill_label, demand_records, demand_workers, required_workers, preferred_workers,
       round(demand_workers / greatest(district_demand, 1), 6) AS demand_share,
       supply_seekers, round(supply_seekers / greatest(district_supply, 1), 6) AS supply_share,
       round(demand_workers / greatest(district_demand, 1) - supply_seekers / greatest(district_supply, 1), 6) AS gap,
       difficult_needs, round(if(rated_needs > 0, difficulty_sum / rated_needs, 0), 3) AS mean_difficulty, long_open_vacancies, reposted_vacancies,
       difficult_needs + long_open_vacancies + reposted_vacancies AS hard_to_fill_signals
FROM
(
    SELECT district, skill_uri, anyIf(skill_label, skill_label != '') AS skill_label,
           sum(demand_records) AS demand_records, sum(demand_workers) AS demand_workers, sum(required_workers) AS required_workers,
           sum(preferred_workers) AS preferred_workers, sum(supply_seekers) AS supply_seekers, sum(difficult_needs) AS difficult_needs,
           sum(rated_needs) AS rated_needs, sum(difficulty_sum) AS difficulty_sum,
           sum(long_open_vacancies) AS long_open_vacancies, sum(reposted_vacancies) AS reposted_vacancies
    FROM skill_gap_counts
    WHERE (side = 'supply' OR score >= toFloat32(?)) AND (? = '' OR district = ?)
    GROUP BY district, skill_uri
)
ANY LEFT JOIN
(
    SELECT district, sum(demand_workers) AS district_demand, sum(supply_seekers) AS district_supply
    FROM skill_gap_counts
    WHERE side = 'supply' OR score >= toFloat32(?)
    GROUP BY district
) USING district
ORDER BY district, gap DESC, hard_to_fill_signals DESC, skill_label`
	if limit > 0 {
		q += fmt.Sprintf("\nLIMIT %d BY district", limit)
	}
	rows, err := w.conn.Query(ctx, q, minScore, district, district, minScore)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: skill gaps district=%q min_score=%v: %w", district, minScore, err))
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

// checkMinScore rejects a mention-score threshold outside [0, 1] (NaN
// included).
func checkMinScore(op string, minScore float64) error {
	if !(minScore >= 0 && minScore <= 1) {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "warehouse: %s: min score %v not in [0, 1]", op, minScore)
	}
	return nil
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
