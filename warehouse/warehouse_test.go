package warehouse_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func TestMigrateTwiceIsNoop(t *testing.T) {
	w := testservers.Warehouse(t)
	applied, err := w.Migrate(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", applied)
	}
	ms, err := warehouse.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
}

func sampleVacancy(id string, fetched time.Time) fabbisogni.Vacancy {
	return fabbisogni.Vacancy{
		ID: id, Title: "Saldatore TIG", Description: "Saldatura TIG su acciaio inox.", FirmName: "Rossi Meccanica SRL",
		MunicipalityCode: "001272", ProvinceCode: "001", District: "torino-automotive", Openings: 2,
		Provenance: fabbisogni.Provenance{Source: "test", URL: "http://127.0.0.1/" + id, FetchedAt: fetched},
		Extraction: &fabbisogni.Extraction{
			Language:    "it",
			Occupations: []fabbisogni.OccupationMatch{{URI: "http://data.europa.eu/esco/occupation/x", ISCO: "7212", Label: "welder", Score: 0.9}},
			Skills: []fabbisogni.SkillMention{
				{URI: "http://data.europa.eu/esco/skill/tig", Label: "use TIG welding", Text: "Saldatura TIG", Start: 14, End: 27, Required: true, Score: 0.9},
			},
			Attributes: fabbisogni.Attributes{Contract: []string{"tempo_indeterminato"}, Shifts: true, Languages: []fabbisogni.LanguageLevel{{Language: "en", CEFR: "B1"}}},
		},
	}
}

func TestInsertVacanciesIdempotent(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	batch := []fabbisogni.Vacancy{sampleVacancy("a", t0), sampleVacancy("b", t0)}
	for i := 0; i < 3; i++ { // a replay inserts the same records again
		if err := w.InsertVacancies(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	// a newer fetch of "a" replaces it
	if err := w.InsertVacancies(ctx, []fabbisogni.Vacancy{sampleVacancy("a", t0.Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	got := counts(t, w)
	if got["vacancies"] != 2 || got["vacancy_skills"] != 2 {
		t.Fatalf("counts %v, want 2 vacancies and 2 skills", got)
	}
	if n, err := w.RunQuery(ctx, "SELECT vacancy_id FROM vacancies FINAL WHERE shifts = 1"); err != nil || n != 2 {
		t.Fatalf("vacancies with shifts = 1: %d (%v), want 2", n, err)
	}
	top, err := w.TopSkills(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 1 || top[0].Mentions != 2 || top[0].Workers != 4 || top[0].District != "torino-automotive" {
		t.Fatalf("top skills %+v, want one skill with 2 mentions, 4 workers", top)
	}
	occ, err := w.TopOccupations(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(occ) != 1 || occ[0].Code != "7212" || occ[0].Workers != 4 {
		t.Fatalf("top occupations %+v", occ)
	}
}

// TestSkillDemandScore: skill_demand carries the highest score of a
// record's mentions of the skill, negated mentions left out.
func TestSkillDemandScore(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	v := sampleVacancy("scored", t0)
	tig := v.Extraction.Skills[0]
	v.Extraction.Skills = []fabbisogni.SkillMention{
		{URI: tig.URI, Label: tig.Label, Text: "Saldatura TIG", Start: 14, End: 27, Score: 0.52},
		{URI: tig.URI, Label: tig.Label, Text: "TIG", Start: 24, End: 27, Score: 0.81},
		{URI: tig.URI, Label: tig.Label, Text: "TIG", Start: 0, End: 3, Score: 0.97, Negated: true},
		{URI: "http://data.europa.eu/esco/skill/inox", Label: "stainless steel", Text: "acciaio inox", Start: 31, End: 43, Score: 0.44},
	}
	if err := w.InsertVacancies(ctx, []fabbisogni.Vacancy{v}); err != nil {
		t.Fatal(err)
	}
	wantRows(t, w, map[string]int{
		"SELECT 1 FROM skill_demand WHERE record_id = 'scored'":                                                           2,
		"SELECT 1 FROM skill_demand WHERE record_id = 'scored' AND skill_uri LIKE '%/tig' AND abs(score - 0.81) < 0.001":  1,
		"SELECT 1 FROM skill_demand WHERE record_id = 'scored' AND skill_uri LIKE '%/inox' AND abs(score - 0.44) < 0.001": 1,
		"SELECT 1 FROM skill_demand WHERE record_id = 'scored' AND score >= 0.6":                                          1,
		"SELECT 1 FROM skill_gaps WHERE demand_workers > 0":                                                               2,
	})
}

func TestInsertSurveyIdempotent(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	rec := fabbisogni.SurveyRecord{
		Firm:    fabbisogni.Firm{ID: "01234567890", Name: "ROSSI MECCANICA SRL", ATECO: "29.32.09", MunicipalityCode: "001272", District: "torino-automotive"},
		Contact: fabbisogni.ContactOutcome{ID: "c1", FirmID: "01234567890", Campaign: "q3", Date: t0, Outcome: fabbisogni.OutcomeReached},
		Needs: []fabbisogni.HiringNeed{{ID: "n1", FirmID: "01234567890", OccupationText: "saldatore", Hires: 3, Horizon: fabbisogni.Horizon3Months,
			Extraction: &fabbisogni.Extraction{Occupations: []fabbisogni.OccupationMatch{{ISCO: "7212", Label: "welder"}}, Skills: []fabbisogni.SkillMention{{URI: "u1", Label: "weld"}}}}},
		Provenance: fabbisogni.Provenance{Source: "q3", File: "campagna.csv", Row: 2, FetchedAt: t0},
	}
	for i := 0; i < 2; i++ {
		if err := w.InsertSurvey(ctx, []fabbisogni.SurveyRecord{rec}); err != nil {
			t.Fatal(err)
		}
	}
	got := counts(t, w)
	for _, table := range []string{"firms", "contacts", "hiring_needs", "hiring_need_skills"} {
		if got[table] != 1 {
			t.Errorf("%s = %d, want 1", table, got[table])
		}
	}
}

func TestUnreachableIsRetryable(t *testing.T) {
	cfg := warehouse.DefaultConfig()
	cfg.Addr = "127.0.0.1:1" // nothing listens there
	cfg.DialTimeout = time.Second
	_, err := warehouse.Open(t.Context(), cfg)
	if err == nil {
		t.Fatal("open of a closed port succeeded")
	}
	if !warehouse.IsRetryable(err) || fabbisogni.ErrorCode(err) != fabbisogni.EUnavailable {
		t.Fatalf("err %v (code %q) not classified as retryable", err, fabbisogni.ErrorCode(err))
	}
}

// wantRows checks the number of rows each query returns.
func wantRows(t *testing.T, w *warehouse.Warehouse, rows map[string]int) {
	t.Helper()
	for q, want := range rows {
		if n, err := w.RunQuery(t.Context(), q); err != nil || n != want {
			t.Errorf("%s: %d rows (err %v), want %d", q, n, err, want)
		}
	}
}

func counts(t *testing.T, w *warehouse.Warehouse) map[string]uint64 {
	t.Helper()
	cs, err := w.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]uint64{}
	for _, c := range cs {
		m[c.Table] = c.Rows
	}
	return m
}

func TestJobRuns(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 10, 1, 6, 0, 0, 0, time.UTC)
	for i, st := range []string{fabbisogni.JobOK, fabbisogni.JobFailed} {
		r := fabbisogni.JobRun{ID: fmt.Sprint(i), Job: "crawl demo", StartedAt: t0.Add(time.Duration(i) * time.Hour), FinishedAt: t0.Add(time.Duration(i)*time.Hour + time.Minute + 250*time.Millisecond), Status: st, Rows: int64(10 * i)}
		if st == fabbisogni.JobFailed {
			r.Error = "host unreachable"
		}
		if err := w.RecordJobRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := w.RecentJobRuns(ctx, "crawl demo", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Status != fabbisogni.JobFailed || runs[0].Error != "host unreachable" || runs[1].Rows != 0 ||
		runs[0].FinishedAt.Sub(runs[0].StartedAt) != time.Minute+250*time.Millisecond {
		t.Fatalf("runs %+v", runs)
	}
	if none, err := w.RecentJobRuns(ctx, "other", 10); err != nil || len(none) != 0 {
		t.Fatalf("filter by job: %v %v", none, err)
	}
}
