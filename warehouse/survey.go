package warehouse

import (
	"context"
	"fmt"

	"github.com/fabbisogni/fabbisogni"
)

// InsertSurvey writes enriched survey records: their firms, contacts,
// hiring needs and the skills found in the needs. Personal data never
// reaches this function: survey records carry none. Keys are natural (firm
// id, contact id, need id), so inserting the same records again changes no
// FINAL count.
func (w *Warehouse) InsertSurvey(ctx context.Context, rs []fabbisogni.SurveyRecord) error {
	if len(rs) == 0 {
		return nil
	}
	fb, err := w.conn.PrepareBatch(ctx, "INSERT INTO firms (firm_id, name, vat, fiscal_code, ateco, municipality_code, municipality_name, province_code, district, source, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare firms batch: %w", err))
	}
	defer fb.Abort()
	cb, err := w.conn.PrepareBatch(ctx, "INSERT INTO contacts (contact_id, firm_id, campaign, contact_date, channel, outcome, district, source, file, row, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare contacts batch: %w", err))
	}
	defer cb.Abort()
	nb, err := w.conn.PrepareBatch(ctx, "INSERT INTO hiring_needs (need_id, firm_id, contact_id, campaign, declared_at, occupation_text, hires, horizon, contract, skills_text, difficulty, difficulty_reason, district, municipality_code, ateco, language, isco, isco_group, occupation_uri, occupation_label, occupation_score, taxonomy_version, extractor_version, source, file, row, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare hiring_needs batch: %w", err))
	}
	defer nb.Abort()
	sb, err := w.conn.PrepareBatch(ctx, "INSERT INTO hiring_need_skills (need_id, skill_uri, skill_label, skill_type, matched_text, start_offset, end_offset, required, preferred, negated, ambiguous, score, district, declared_at, hires, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare hiring_need_skills batch: %w", err))
	}
	defer sb.Abort()
	var needs, skills int
	for i := range rs {
		r := &rs[i]
		f, c, p := &r.Firm, &r.Contact, &r.Provenance
		version := uint64(p.FetchedAt.UnixNano())
		if err := fb.Append(f.ID, f.Name, f.VAT, f.FiscalCode, f.ATECO, f.MunicipalityCode, f.MunicipalityName, f.ProvinceCode, f.District, p.Source, version); err != nil {
			return fmt.Errorf("warehouse: append firm %s: %w", f.ID, err)
		}
		if err := cb.Append(c.ID, c.FirmID, c.Campaign, day(c.Date), c.Channel, c.Outcome, f.District, p.Source, p.File, uint32(max(p.Row, 0)), version); err != nil {
			return fmt.Errorf("warehouse: append contact %s: %w", c.ID, err)
		}
		for j := range r.Needs {
			n := &r.Needs[j]
			x := n.Extraction
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
			err := nb.Append(n.ID, n.FirmID, n.ContactID, n.Campaign, day(n.DeclaredAt), n.OccupationText, uint32(max(n.Hires, 0)), n.Horizon,
				n.Contract, n.SkillsText, uint8(max(n.Difficulty, 0)), n.DifficultyReason, f.District, f.MunicipalityCode, f.ATECO,
				x.Language, occ.ISCO, group, occ.URI, occ.Label, float32(occ.Score), x.TaxonomyVersion, x.ExtractorVersion,
				p.Source, p.File, uint32(max(p.Row, 0)), version)
			if err != nil {
				return fmt.Errorf("warehouse: append hiring need %s: %w", n.ID, err)
			}
			needs++
			for _, s := range x.Skills {
				err := sb.Append(n.ID, s.URI, s.Label, s.SkillType, s.Text, uint32(s.Start), uint32(s.End),
					b2u(s.Required), b2u(s.Preferred), b2u(s.Negated), b2u(len(s.Ambiguous) > 0), float32(s.Score),
					f.District, day(n.DeclaredAt), uint32(max(n.Hires, 0)), version)
				if err != nil {
					return fmt.Errorf("warehouse: append skill %s of need %s: %w", s.URI, n.ID, err)
				}
				skills++
			}
		}
	}
	if err := fb.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send firms batch rows=%d: %w", len(rs), err))
	}
	if err := cb.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send contacts batch rows=%d: %w", len(rs), err))
	}
	if needs > 0 {
		if err := nb.Send(); err != nil {
			return classify(fmt.Errorf("warehouse: send hiring_needs batch rows=%d: %w", needs, err))
		}
	}
	if skills > 0 {
		if err := sb.Send(); err != nil {
			return classify(fmt.Errorf("warehouse: send hiring_need_skills batch rows=%d: %w", skills, err))
		}
	}
	return nil
}
