package warehouse

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	chdriver "github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/fabbisogni/fabbisogni"
)

// InsertVacancies writes enriched vacancies and their skill mentions in one
// INSERT per table, both sent at once on two connections. Rows are keyed by
// vacancy id with the fetch time as version, so inserting the same vacancies
// again changes no FINAL count. Errors are classified:
// fabbisogni.ErrorCode(err) == EUnavailable means retry the whole batch
// later.
//
// Each INSERT is streamed in chunks of insertChunk vacancies, built column
// by column (typed slices, no per-value boxing) into buffers reused from
// chunk to chunk; ClickHouse squashes the blocks of one INSERT into one part.
// So a large batch costs the server one part to merge, not one per chunk,
// and the client holds only one chunk's encoded columns at a time instead
// of regrowing buffers for the whole batch.
func (w *Warehouse) InsertVacancies(ctx context.Context, vs []fabbisogni.Vacancy) error {
	if len(vs) == 0 {
		return nil
	}
	order := byID(vs)
	vc := &vacancyColumns{vs: vs, order: order}
	sk := &vacancySkills{vs: vs, order: order}
	return w.sendAll(ctx,
		chunkedInsert{"vacancies", "INSERT INTO vacancies (vacancy_id, source, url, title, description, firm_name, firm_id, municipality_code, municipality_name, province_code, district, ateco, date_posted, valid_through, openings, employment_type, contract, language, isco, isco_group, occupation_uri, occupation_label, occupation_score, eqf, experience_years, driving_licences, forklift, shifts, languages, certificates, taxonomy_version, extractor_version, fetched_at, content_hash, canonical_id, version)",
			len(vs), vc.chunk},
		chunkedInsert{"vacancy_skills", "INSERT INTO vacancy_skills (vacancy_id, skill_uri, skill_label, skill_type, matched_text, start_offset, end_offset, required, preferred, negated, ambiguous, score, district, date_posted, openings, version)",
			len(vs), sk.chunk},
	)
}

// byID returns the indexes of vs in the order of vacancy id. Rows are sent
// in the order of the tables' sorting keys: ClickHouse then finds each part
// already sorted and skips sorting it and permuting every column, which is
// more of its CPU than sorting ids costs here.
func byID(vs []fabbisogni.Vacancy) []int {
	order := make([]int, len(vs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(vs[a].ID, vs[b].ID) })
	return order
}

// insertChunk is how many records of a batch are encoded and sent to
// ClickHouse at a time, within one INSERT.
const insertChunk = 2048

// vacancyColumns builds the vacancies columns of vs, a chunk at a time.
type vacancyColumns struct {
	vs                                                                                          []fabbisogni.Vacancy
	order                                                                                       []int // indexes of vs in the order rows are sent
	id, source, url, title, desc, firmName, firmID, munCode, munName, provCode, district, ateco []string
	posted, valid, fetched                                                                      []time.Time
	openings                                                                                    []uint32
	empType, lang, isco, group, occURI, occLabel, taxV, exV, hash, canon                        []string
	contract, licences, langs, certs                                                            [][]string
	occScore, expYears                                                                          []float32
	eqf, forklift, shifts                                                                       []uint8
	version                                                                                     []uint64
}

// chunk returns the columns of the vacancies order[lo:hi], in the order of
// the INSERT's column list. The slices are reused by the next call.
func (c *vacancyColumns) chunk(lo, hi int) (int, []any) {
	c.id, c.source, c.url, c.title, c.desc, c.firmName, c.firmID = c.id[:0], c.source[:0], c.url[:0], c.title[:0], c.desc[:0], c.firmName[:0], c.firmID[:0]
	c.munCode, c.munName, c.provCode, c.district, c.ateco = c.munCode[:0], c.munName[:0], c.provCode[:0], c.district[:0], c.ateco[:0]
	c.posted, c.valid, c.fetched, c.openings = c.posted[:0], c.valid[:0], c.fetched[:0], c.openings[:0]
	c.empType, c.lang, c.isco, c.group, c.occURI, c.occLabel, c.taxV, c.exV, c.hash, c.canon = c.empType[:0], c.lang[:0], c.isco[:0], c.group[:0], c.occURI[:0], c.occLabel[:0], c.taxV[:0], c.exV[:0], c.hash[:0], c.canon[:0]
	c.contract, c.licences, c.langs, c.certs = c.contract[:0], c.licences[:0], c.langs[:0], c.certs[:0]
	c.occScore, c.expYears, c.eqf, c.forklift, c.shifts, c.version = c.occScore[:0], c.expYears[:0], c.eqf[:0], c.forklift[:0], c.shifts[:0], c.version[:0]
	for _, i := range c.order[lo:hi] {
		v := &c.vs[i]
		x := v.Extraction
		if x == nil {
			x = &fabbisogni.Extraction{}
		}
		occ := fabbisogni.OccupationMatch{}
		if len(x.Occupations) > 0 {
			occ = x.Occupations[0]
		}
		group := ""
		if x.ISCOGroup != nil {
			group = x.ISCOGroup.Code
		}
		c.id, c.source, c.url, c.title, c.desc = append(c.id, v.ID), append(c.source, v.Provenance.Source), append(c.url, v.Provenance.URL), append(c.title, v.Title), append(c.desc, v.Description)
		c.firmName, c.firmID, c.munCode, c.munName = append(c.firmName, v.FirmName), append(c.firmID, v.FirmID), append(c.munCode, v.MunicipalityCode), append(c.munName, v.MunicipalityName)
		c.provCode, c.district, c.ateco = append(c.provCode, v.ProvinceCode), append(c.district, v.District), append(c.ateco, v.ATECO)
		c.posted, c.valid, c.openings, c.empType = append(c.posted, day(v.DatePosted)), append(c.valid, day(v.ValidThrough)), append(c.openings, uint32(max(v.Openings, 0))), append(c.empType, v.EmploymentType)
		c.contract, c.lang, c.isco, c.group = append(c.contract, nonNil(x.Attributes.Contract)), append(c.lang, x.Language), append(c.isco, occ.ISCO), append(c.group, group)
		c.occURI, c.occLabel, c.occScore = append(c.occURI, occ.URI), append(c.occLabel, occ.Label), append(c.occScore, float32(occ.Score))
		c.eqf, c.expYears, c.licences, c.forklift = append(c.eqf, uint8(x.Attributes.EQF)), append(c.expYears, float32(x.Attributes.ExperienceYears)), append(c.licences, nonNil(x.Attributes.DrivingLicences)), append(c.forklift, b2u(x.Attributes.Forklift))
		c.shifts = append(c.shifts, b2u(x.Attributes.Shifts))
		c.langs, c.certs, c.taxV, c.exV = append(c.langs, languages(x.Attributes.Languages)), append(c.certs, nonNil(x.Attributes.Certificates)), append(c.taxV, x.TaxonomyVersion), append(c.exV, x.ExtractorVersion)
		c.fetched, c.hash, c.canon, c.version = append(c.fetched, v.Provenance.FetchedAt.UTC()), append(c.hash, v.Provenance.Hash), append(c.canon, v.CanonicalID), append(c.version, uint64(v.Provenance.FetchedAt.UnixNano()))
	}
	return hi - lo, []any{c.id, c.source, c.url, c.title, c.desc, c.firmName, c.firmID, c.munCode, c.munName, c.provCode, c.district, c.ateco,
		c.posted, c.valid, c.openings, c.empType, c.contract, c.lang, c.isco, c.group, c.occURI, c.occLabel, c.occScore, c.eqf, c.expYears,
		c.licences, c.forklift, c.shifts, c.langs, c.certs, c.taxV, c.exV, c.fetched, c.hash, c.canon, c.version}
}

// vacancySkills builds the vacancy_skills columns of vs, a chunk of
// vacancies at a time, in the table's key order: vacancies by id (order),
// a vacancy's skills by URI and start offset.
type vacancySkills struct {
	vs    []fabbisogni.Vacancy
	order []int
	sk    []int // a vacancy's skill indexes, sorted
	skillColumns
}

func (c *vacancySkills) chunk(lo, hi int) (int, []any) {
	c.reset()
	for _, i := range c.order[lo:hi] {
		v := &c.vs[i]
		if v.Extraction == nil {
			continue
		}
		ss := v.Extraction.Skills
		c.sk = c.sk[:0]
		for j := range ss {
			c.sk = append(c.sk, j)
		}
		slices.SortStableFunc(c.sk, func(a, b int) int {
			if c := strings.Compare(ss[a].URI, ss[b].URI); c != 0 {
				return c
			}
			return cmp.Compare(max(ss[a].Start, 0), max(ss[b].Start, 0))
		})
		date, weight, ver := day(v.DatePosted), uint32(max(v.Openings, 0)), uint64(v.Provenance.FetchedAt.UnixNano())
		for _, j := range c.sk {
			c.add(v.ID, ss[j], v.District, date, weight, ver)
		}
	}
	return len(c.owner), c.columns()
}

// skillColumns accumulates skill mention rows column by column.
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

// reset empties the columns, keeping their capacity.
func (c *skillColumns) reset() {
	c.owner, c.uri, c.label, c.typ, c.text, c.district = c.owner[:0], c.uri[:0], c.label[:0], c.typ[:0], c.text[:0], c.district[:0]
	c.start, c.end, c.weight = c.start[:0], c.end[:0], c.weight[:0]
	c.required, c.preferred, c.negated, c.ambig = c.required[:0], c.preferred[:0], c.negated[:0], c.ambig[:0]
	c.score, c.date, c.version = c.score[:0], c.date[:0], c.version[:0]
}

// columns returns the rows in the order: owner id, skill_uri, skill_label,
// skill_type, matched_text, start_offset, end_offset, required, preferred,
// negated, ambiguous, score, district, date, weight, version.
func (c *skillColumns) columns() []any {
	return []any{c.owner, c.uri, c.label, c.typ, c.text, c.start, c.end,
		c.required, c.preferred, c.negated, c.ambig, c.score, c.district, c.date, c.weight, c.version}
}

// chunkedInsert is one INSERT whose rows come from n source records, a
// chunk of them at a time: chunk(lo, hi) returns the rows of records
// [lo, hi) as typed column slices in the order of the query's column list.
type chunkedInsert struct {
	table string
	query string
	n     int
	chunk func(lo, hi int) (rows int, cols []any)
}

// send runs the INSERT (nothing when it has no rows): the batch is prepared
// at the first chunk with rows, each chunk is flushed to the server as one
// block, and Send ends the INSERT.
func (w *Warehouse) send(ctx context.Context, ci chunkedInsert) error {
	var b chdriver.Batch
	total := 0
	for lo := 0; lo < ci.n; lo += insertChunk {
		rows, cols := ci.chunk(lo, min(lo+insertChunk, ci.n))
		if rows == 0 {
			continue
		}
		if b == nil {
			var err error
			if b, err = w.conn.PrepareBatch(ctx, ci.query); err != nil {
				return classify(fmt.Errorf("warehouse: prepare %s batch: %w", ci.table, err))
			}
			defer b.Abort()
		}
		for i, col := range cols {
			if err := b.Column(i).Append(col); err != nil {
				return fmt.Errorf("warehouse: %s batch column %d: %w", ci.table, i, err)
			}
		}
		total += rows
		if err := ctx.Err(); err != nil { // Flush, unlike Send, does not watch ctx
			return classify(fmt.Errorf("warehouse: send %s batch rows=%d: %w", ci.table, total, err))
		}
		if err := b.Flush(); err != nil {
			return classify(fmt.Errorf("warehouse: send %s batch rows=%d: %w", ci.table, total, err))
		}
	}
	if b == nil {
		return nil
	}
	if err := b.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send %s batch rows=%d: %w", ci.table, total, err))
	}
	return nil
}

// sendAll sends the inserts at once, each on its own connection, and
// returns the first error (a retryable one if any was: the whole set is
// then retried, which the ReplacingMergeTree keys make harmless).
func (w *Warehouse) sendAll(ctx context.Context, cis ...chunkedInsert) error {
	errs := make([]error, len(cis))
	var wg sync.WaitGroup
	for i := range cis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.send(ctx, cis[i])
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
