package warehouse

import (
	"context"
	"fmt"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// JobSeeker is one pseudonymised job-seeker profile as stored: the
// warehouse's view of survey.JobSeeker (cmd converts), with the skills nlp
// found in its free text.
type JobSeeker struct {
	ID               string
	MunicipalityCode string
	MunicipalityName string
	ProvinceCode     string
	District         string
	ISCO             string // last job, 1 to 4 digits
	Education        string
	EducationLevel   int // ISCED 2011, 0 unknown
	SkillsText       string
	RegisteredAt     time.Time
	Extraction       *fabbisogni.Extraction // skills coded by nlp; nil when none
	Provenance       fabbisogni.Provenance
}

// InsertJobSeekers writes profiles and their skills in one batch per table.
// The version is the import time, so re-importing the same export again
// changes no FINAL count, and a newer export replaces each profile.
func (w *Warehouse) InsertJobSeekers(ctx context.Context, js []JobSeeker) error {
	if len(js) == 0 {
		return nil
	}
	pb, err := w.conn.PrepareBatch(ctx, "INSERT INTO job_seekers (seeker_id, municipality_code, municipality_name, province_code, district, isco, isco_group, education, education_level, skills_text, registered_at, language, taxonomy_version, extractor_version, source, file, row, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare job_seekers batch: %w", err))
	}
	defer pb.Abort()
	sb, err := w.conn.PrepareBatch(ctx, "INSERT INTO job_seeker_skills (seeker_id, skill_uri, skill_label, skill_type, matched_text, start_offset, end_offset, negated, score, district, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare job_seeker_skills batch: %w", err))
	}
	defer sb.Abort()
	skills := 0
	for i := range js {
		s := &js[i]
		p := &s.Provenance
		x := s.Extraction
		if x == nil {
			x = &fabbisogni.Extraction{}
		}
		version := uint64(p.FetchedAt.UnixNano())
		group := ""
		if len(s.ISCO) >= 2 {
			group = s.ISCO[:2]
		}
		err := pb.Append(s.ID, s.MunicipalityCode, s.MunicipalityName, s.ProvinceCode, s.District, s.ISCO, group, s.Education,
			uint8(min(max(s.EducationLevel, 0), 255)), s.SkillsText, day(s.RegisteredAt), x.Language, x.TaxonomyVersion, x.ExtractorVersion,
			p.Source, p.File, uint32(max(p.Row, 0)), version)
		if err != nil {
			return fmt.Errorf("warehouse: append job seeker %s: %w", s.ID, err)
		}
		for _, m := range x.Skills {
			if err := sb.Append(s.ID, m.URI, m.Label, m.SkillType, m.Text, uint32(m.Start), uint32(m.End), b2u(m.Negated), float32(m.Score), s.District, version); err != nil {
				return fmt.Errorf("warehouse: append skill %s of job seeker %s: %w", m.URI, s.ID, err)
			}
			skills++
		}
	}
	if err := pb.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send job_seekers batch rows=%d: %w", len(js), err))
	}
	if skills > 0 {
		if err := sb.Send(); err != nil {
			return classify(fmt.Errorf("warehouse: send job_seeker_skills batch rows=%d: %w", skills, err))
		}
	}
	return nil
}
