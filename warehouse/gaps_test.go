package warehouse_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// TestSkillGapsMinScore: with a minimum score, skill gaps count only the
// demand of mentions scoring that or more (district totals, shares, gaps
// and hard-to-fill signals with it); supply stays whole. One district,
// four skills:
//
//	tig   vacancy v1 (2 workers) at 0.9                        seeker s2
//	inox  v1 at 0.44, v2 (3 workers) at 0.5, need n1 (1 hire,
//	      rated difficult) at 0.43                             seeker s1
//	cnc   v2 at 0.7
//	weld                                                       seeker s3
//
// Every mention: demand 2 + 6 + 3 = 11 workers, inox leads the demand.
// From 0.6: demand 2 + 3 = 5, inox has none and its difficult need is
// gone. A threshold of 0.7 keeps the mention scored 0.7 (score is
// Float32, whose 0.7 is below the Float64 0.7).
func TestSkillGapsMinScore(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	const d = "torino-automotive"
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	skill := func(name string, score float64) fabbisogni.SkillMention {
		return fabbisogni.SkillMention{URI: "http://data.europa.eu/esco/skill/" + name, Label: name, Text: name, Score: score, Required: true}
	}
	v1, v2 := sampleVacancy("v1", t0), sampleVacancy("v2", t0)
	v1.Openings, v2.Openings = 2, 3
	v1.Extraction.Skills = []fabbisogni.SkillMention{skill("tig", 0.9), skill("inox", 0.44)}
	v2.Extraction.Skills = []fabbisogni.SkillMention{skill("inox", 0.5), skill("cnc", 0.7)}
	if err := w.InsertVacancies(ctx, []fabbisogni.Vacancy{v1, v2}); err != nil {
		t.Fatal(err)
	}
	firm := fabbisogni.Firm{ID: "01234567890", Name: "ROSSI MECCANICA SRL", ATECO: "29.32.09", MunicipalityCode: "001272", District: d}
	err := w.InsertSurvey(ctx, []fabbisogni.SurveyRecord{{
		Firm:    firm,
		Contact: fabbisogni.ContactOutcome{ID: "c1", FirmID: firm.ID, Campaign: "q3", Date: t0, Outcome: fabbisogni.OutcomeReached},
		Needs: []fabbisogni.HiringNeed{{ID: "n1", FirmID: firm.ID, OccupationText: "saldatore", Hires: 1, Horizon: fabbisogni.Horizon3Months, Difficulty: 3,
			Extraction: &fabbisogni.Extraction{Skills: []fabbisogni.SkillMention{skill("inox", 0.43)}}}},
		Provenance: fabbisogni.Provenance{Source: "q3", File: "campagna.csv", Row: 2, FetchedAt: t0},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var seekers []warehouse.JobSeeker
	for id, s := range map[string]string{"s1": "inox", "s2": "tig", "s3": "weld"} {
		seekers = append(seekers, warehouse.JobSeeker{ID: id, District: d, Extraction: &fabbisogni.Extraction{Skills: []fabbisogni.SkillMention{skill(s, 0.5)}},
			Provenance: fabbisogni.Provenance{Source: "test", File: "candidati.csv", FetchedAt: t0}})
	}
	if err := w.InsertJobSeekers(ctx, seekers); err != nil {
		t.Fatal(err)
	}

	// want: skill, demand records, workers, demand share, supply seekers, gap, difficult needs, in report order.
	type row struct {
		skill            string
		records, workers uint64
		share            float64
		seekers          uint64
		gap              float64
		difficult        uint64
	}
	third := 1. / 3
	all := []row{
		{"cnc", 1, 3, 3. / 11, 0, 3. / 11, 0},
		{"inox", 3, 6, 6. / 11, 1, 6./11 - third, 1},
		{"tig", 1, 2, 2. / 11, 1, 2./11 - third, 0},
		{"weld", 0, 0, 0, 1, -third, 0},
	}
	sure := []row{ // from 0.6; inox and weld tie on the gap and go by label
		{"cnc", 1, 3, 0.6, 0, 0.6, 0},
		{"tig", 1, 2, 0.4, 1, 0.4 - third, 0},
		{"inox", 0, 0, 0, 1, -third, 0},
		{"weld", 0, 0, 0, 1, -third, 0},
	}
	for _, tc := range []struct {
		name     string
		minScore float64
		want     []row
	}{
		{"every mention", 0, all},
		{"0.6", 0.6, sure},
		{"0.7 keeps the mention scored 0.7", 0.7, sure},
		{"0.75", 0.75, []row{{"tig", 1, 2, 1, 1, 1 - third, 0}, {"inox", 0, 0, 0, 1, -third, 0}, {"weld", 0, 0, 0, 1, -third, 0}}},
		{"1: supply alone", 1, []row{{"inox", 0, 0, 0, 1, -third, 0}, {"tig", 0, 0, 0, 1, -third, 0}, {"weld", 0, 0, 0, 1, -third, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gaps, err := w.SkillGaps(ctx, d, 0, tc.minScore)
			if err != nil {
				t.Fatal(err)
			}
			if len(gaps) != len(tc.want) {
				t.Fatalf("%d rows, want %d: %+v", len(gaps), len(tc.want), gaps)
			}
			near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
			for i, g := range gaps {
				x := tc.want[i]
				if !strings.HasSuffix(g.SkillURI, "/"+x.skill) || g.SkillLabel != x.skill || g.District != d ||
					g.DemandRecords != x.records || g.DemandWorkers != x.workers || g.RequiredWorkers != x.workers || !near(g.DemandShare, x.share) ||
					g.SupplySeekers != x.seekers || !near(g.SupplyShare, float64(x.seekers)/3) || !near(g.Gap, x.gap) ||
					g.DifficultNeeds != x.difficult || (x.records == 0 && g.HardToFill != 0) {
					t.Errorf("row %d: %+v\nwant %+v", i, g, x)
				}
			}
		})
	}
	// The rows with every mention are skill_gaps' own.
	wantRows(t, w, map[string]int{
		"SELECT 1 FROM skill_gaps WHERE skill_label = 'inox' AND demand_workers = 6 AND difficult_needs = 1 AND abs(gap - (6/11 - 1/3)) < 1e-6": 1,
	})
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := w.SkillGaps(ctx, d, 0, bad); fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
			t.Errorf("min score %v: err %v, want an invalid-argument error", bad, err)
		}
		if _, err := w.SkillRecords(ctx, d, bad); fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
			t.Errorf("skill records, min score %v: err %v, want an invalid-argument error", bad, err)
		}
	}
	// Course evidence keeps the same mentions: v1 and v2 for tig and cnc from 0.6, every pair at 0.
	for minScore, want := range map[float64]int{0: 5, 0.6: 2, 0.7: 2, 1: 0} {
		if recs, err := w.SkillRecords(ctx, d, minScore); err != nil || len(recs) != want {
			t.Errorf("skill records from %v: %d (err %v), want %d", minScore, len(recs), err, want)
		}
	}
}
