package warehouse

import (
	"context"
	"fmt"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// InsertVacancies writes enriched vacancies and their skill mentions in one
// batch per table. Rows are keyed by vacancy id with the fetch time as
// version, so inserting the same vacancies again changes no FINAL count.
// Errors are classified: fabbisogni.ErrorCode(err) == EUnavailable means
// retry the whole batch later.
func (w *Warehouse) InsertVacancies(ctx context.Context, vs []fabbisogni.Vacancy) error {
	if len(vs) == 0 {
		return nil
	}
	b, err := w.conn.PrepareBatch(ctx, "INSERT INTO vacancies (vacancy_id, source, url, title, description, firm_name, firm_id, municipality_code, municipality_name, province_code, district, ateco, date_posted, valid_through, openings, employment_type, contract, language, isco, isco_group, occupation_uri, occupation_label, occupation_score, eqf, experience_years, driving_licences, forklift, languages, certificates, taxonomy_version, extractor_version, fetched_at, content_hash, canonical_id, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare vacancies batch rows=%d: %w", len(vs), err))
	}
	defer b.Abort()
	sb, err := w.conn.PrepareBatch(ctx, "INSERT INTO vacancy_skills (vacancy_id, skill_uri, skill_label, skill_type, matched_text, start_offset, end_offset, required, preferred, negated, ambiguous, score, district, date_posted, openings, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare vacancy_skills batch: %w", err))
	}
	defer sb.Abort()
	skills := 0
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
		group := ""
		if x.ISCOGroup != nil {
			group = x.ISCOGroup.Code
		}
		version := uint64(v.Provenance.FetchedAt.UnixNano())
		err := b.Append(v.ID, v.Provenance.Source, v.Provenance.URL, v.Title, v.Description, v.FirmName, v.FirmID,
			v.MunicipalityCode, v.MunicipalityName, v.ProvinceCode, v.District, v.ATECO,
			day(v.DatePosted), day(v.ValidThrough), uint32(max(v.Openings, 0)), v.EmploymentType, nonNil(x.Attributes.Contract),
			x.Language, occ.ISCO, group, occ.URI, occ.Label, float32(occ.Score),
			uint8(x.Attributes.EQF), float32(x.Attributes.ExperienceYears), nonNil(x.Attributes.DrivingLicences), b2u(x.Attributes.Forklift),
			languages(x.Attributes.Languages), nonNil(x.Attributes.Certificates), x.TaxonomyVersion, x.ExtractorVersion,
			v.Provenance.FetchedAt.UTC(), v.Provenance.Hash, v.CanonicalID, version)
		if err != nil {
			return fmt.Errorf("warehouse: append vacancy %s: %w", v.ID, err)
		}
		for _, s := range x.Skills {
			err := sb.Append(v.ID, s.URI, s.Label, s.SkillType, s.Text, uint32(s.Start), uint32(s.End),
				b2u(s.Required), b2u(s.Preferred), b2u(s.Negated), b2u(len(s.Ambiguous) > 0), float32(s.Score),
				v.District, day(v.DatePosted), uint32(max(v.Openings, 0)), version)
			if err != nil {
				return fmt.Errorf("warehouse: append skill %s of vacancy %s: %w", s.URI, v.ID, err)
			}
			skills++
		}
	}
	if err := b.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send vacancies batch rows=%d: %w", len(vs), err))
	}
	if skills > 0 {
		if err := sb.Send(); err != nil {
			return classify(fmt.Errorf("warehouse: send vacancy_skills batch rows=%d: %w", skills, err))
		}
	}
	return nil
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
