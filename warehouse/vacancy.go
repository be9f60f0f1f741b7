package warehouse

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// InsertVacancies writes enriched vacancies and their skill mentions in one
// batch per table, both sent at once on two connections. Rows are keyed by
// vacancy id with the fetch time as version, so inserting the same vacancies
// again changes no FINAL count. Errors are classified:
// fabbisogni.ErrorCode(err) == EUnavailable means retry the whole batch
// later. The batches are built column by column (typed slices), which
// spares clickhouse-go the per-value boxing and buffer regrowth of
// row-by-row appends.
func (w *Warehouse) InsertVacancies(ctx context.Context, vs []fabbisogni.Vacancy) error {
	if len(vs) == 0 {
		return nil
	}
	n := len(vs)
	var (
		id, source, url, title, desc, firmName, firmID, munCode, munName, provCode, district, ateco = mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n)
		posted, valid, fetched                                                                      = mk[time.Time](n), mk[time.Time](n), mk[time.Time](n)
		openings                                                                                    = mk[uint32](n)
		empType, lang, isco, group, occURI, occLabel, taxV, exV, hash, canon                        = mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n), mk[string](n)
		contract, licences, langs, certs                                                            = mk[[]string](n), mk[[]string](n), mk[[]string](n), mk[[]string](n)
		occScore, expYears                                                                          = mk[float32](n), mk[float32](n)
		eqf, forklift                                                                               = mk[uint8](n), mk[uint8](n)
		version                                                                                     = mk[uint64](n)
	)
	var sk skillColumns
	for i := range vs {
		v := &vs[i]
		x := v.Extraction
		if x == nil {
			x = &fabbisogni.Extraction{}
		}
		occ := fabbisogni.OccupationMatch{}
		if len(x.Occupations) > 0 {
			occ = x.Occupations[0]
		}
		if x.ISCOGroup != nil {
			group[i] = x.ISCOGroup.Code
		}
		ver := uint64(v.Provenance.FetchedAt.UnixNano())
		id[i], source[i], url[i], title[i], desc[i] = v.ID, v.Provenance.Source, v.Provenance.URL, v.Title, v.Description
		firmName[i], firmID[i], munCode[i], munName[i], provCode[i], district[i], ateco[i] = v.FirmName, v.FirmID, v.MunicipalityCode, v.MunicipalityName, v.ProvinceCode, v.District, v.ATECO
		posted[i], valid[i], openings[i], empType[i], contract[i] = day(v.DatePosted), day(v.ValidThrough), uint32(max(v.Openings, 0)), v.EmploymentType, nonNil(x.Attributes.Contract)
		lang[i], isco[i], occURI[i], occLabel[i], occScore[i] = x.Language, occ.ISCO, occ.URI, occ.Label, float32(occ.Score)
		eqf[i], expYears[i], licences[i], forklift[i] = uint8(x.Attributes.EQF), float32(x.Attributes.ExperienceYears), nonNil(x.Attributes.DrivingLicences), b2u(x.Attributes.Forklift)
		langs[i], certs[i], taxV[i], exV[i] = languages(x.Attributes.Languages), nonNil(x.Attributes.Certificates), x.TaxonomyVersion, x.ExtractorVersion
		fetched[i], hash[i], canon[i], version[i] = v.Provenance.FetchedAt.UTC(), v.Provenance.Hash, v.CanonicalID, ver
		for _, s := range x.Skills {
			sk.add(v.ID, s, v.District, day(v.DatePosted), uint32(max(v.Openings, 0)), ver)
		}
	}
	return w.sendAll(ctx,
		columnBatch{"vacancies", "INSERT INTO vacancies (vacancy_id, source, url, title, description, firm_name, firm_id, municipality_code, municipality_name, province_code, district, ateco, date_posted, valid_through, openings, employment_type, contract, language, isco, isco_group, occupation_uri, occupation_label, occupation_score, eqf, experience_years, driving_licences, forklift, languages, certificates, taxonomy_version, extractor_version, fetched_at, content_hash, canonical_id, version)",
			n, []any{id, source, url, title, desc, firmName, firmID, munCode, munName, provCode, district, ateco, posted, valid, openings, empType, contract, lang, isco, group, occURI, occLabel, occScore, eqf, expYears, licences, forklift, langs, certs, taxV, exV, fetched, hash, canon, version}},
		sk.batch("vacancy_skills", "INSERT INTO vacancy_skills (vacancy_id, skill_uri, skill_label, skill_type, matched_text, start_offset, end_offset, required, preferred, negated, ambiguous, score, district, date_posted, openings, version)"),
	)
}

func mk[T any](n int) []T { return make([]T, n) }

// skillColumns accumulates skill mention rows (of vacancies or of needs)
// column by column.
type skillColumns struct {
	owner, uri, label, typ, text, district []string
	start, end, weight                     []uint32
	required, preferred, negated, ambig    []uint8
	score                                  []float32
	date                                   []time.Time
	version                                []uint64
}

func (c *skillColumns) add(owner string, s fabbisogni.SkillMention, district string, date time.Time, weight uint32, version uint64) {
	c.owner, c.uri, c.label, c.typ, c.text = append(c.owner, owner), append(c.uri, s.URI), append(c.label, s.Label), append(c.typ, s.SkillType), append(c.text, s.Text)
	c.start, c.end = append(c.start, uint32(max(s.Start, 0))), append(c.end, uint32(max(s.End, 0)))
	c.required, c.preferred, c.negated, c.ambig = append(c.required, b2u(s.Required)), append(c.preferred, b2u(s.Preferred)), append(c.negated, b2u(s.Negated)), append(c.ambig, b2u(len(s.Ambiguous) > 0))
	c.score, c.district, c.date, c.weight, c.version = append(c.score, float32(s.Score)), append(c.district, district), append(c.date, date), append(c.weight, weight), append(c.version, version)
}

// batch returns the rows as a column batch for query, whose column list
// must be: owner id, skill_uri, skill_label, skill_type, matched_text,
// start_offset, end_offset, required, preferred, negated, ambiguous, score,
// district, date, weight, version.
func (c *skillColumns) batch(table, query string) columnBatch {
	return columnBatch{table, query, len(c.owner), []any{c.owner, c.uri, c.label, c.typ, c.text, c.start, c.end,
		c.required, c.preferred, c.negated, c.ambig, c.score, c.district, c.date, c.weight, c.version}}
}

// columnBatch is one INSERT given as typed column slices, in the order of
// the query's column list.
type columnBatch struct {
	table string
	query string
	rows  int
	cols  []any
}

// send inserts the batch (nothing when it has no rows).
func (w *Warehouse) send(ctx context.Context, cb columnBatch) error {
	if cb.rows == 0 {
		return nil
	}
	b, err := w.conn.PrepareBatch(ctx, cb.query)
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare %s batch rows=%d: %w", cb.table, cb.rows, err))
	}
	defer b.Abort()
	for i, col := range cb.cols {
		if err := b.Column(i).Append(col); err != nil {
			return fmt.Errorf("warehouse: %s batch column %d: %w", cb.table, i, err)
		}
	}
	if err := b.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send %s batch rows=%d: %w", cb.table, cb.rows, err))
	}
	return nil
}

// sendAll sends the batches at once, each on its own connection, and
// returns the first error (a retryable one if any was: the whole set is
// then retried, which the ReplacingMergeTree keys make harmless).
func (w *Warehouse) sendAll(ctx context.Context, cbs ...columnBatch) error {
	errs := make([]error, len(cbs))
	var wg sync.WaitGroup
	for i := range cbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.send(ctx, cbs[i])
		}()
	}
	wg.Wait()
	var first error
	for _, err := range errs {
		if err == nil {
			continue
		}
		if IsRetryable(err) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// day maps a zero time to the epoch, the smallest Date ClickHouse stores.
func day(t time.Time) time.Time {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC()
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func languages(ls []fabbisogni.LanguageLevel) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if l.CEFR != "" {
			out = append(out, l.Language+":"+l.CEFR)
		} else {
			out = append(out, l.Language)
		}
	}
	return out
}

// StoredVacancies returns the id, title, description, firm, place and
// canonical id of every vacancy (latest version): to seed near-duplicate
// detection, for re-extraction after a taxonomy change, and for checks.
func (w *Warehouse) StoredVacancies(ctx context.Context) ([]fabbisogni.Vacancy, error) {
	rows, err := w.conn.Query(ctx, "SELECT vacancy_id, title, description, firm_name, municipality_code, municipality_name, canonical_id FROM vacancies FINAL ORDER BY vacancy_id")
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: read vacancies: %w", err))
	}
	defer rows.Close()
	var out []fabbisogni.Vacancy
	for rows.Next() {
		var v fabbisogni.Vacancy
		if err := rows.Scan(&v.ID, &v.Title, &v.Description, &v.FirmName, &v.MunicipalityCode, &v.MunicipalityName, &v.CanonicalID); err != nil {
			return nil, fmt.Errorf("warehouse: read vacancies: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
