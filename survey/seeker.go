package survey

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// Fields of a job-seeker profile export (the supply side of skill gaps).
const (
	FieldSeekerID     Field = "id_candidato"
	FieldISCO         Field = "isco"
	FieldEducation    Field = "titolo_studio"
	FieldSeekerSkills Field = "competenze_candidato"
	FieldRegistered   Field = "data_iscrizione"
	// FieldPersonalID is a person's codice fiscale: personal data, dropped.
	FieldPersonalID Field = "codice_fiscale_persona"
)

// DefaultSeekerMapping understands the usual headers of a pseudonymised
// job-seeker export. Name, codice fiscale, phone and e-mail columns are
// recognised only to be dropped (and masked in free text).
func DefaultSeekerMapping() Mapping {
	return Mapping{
		FieldSeekerID:     {"ID", "ID candidato", "Codice anonimo", "ID pseudonimo", "Pseudonimo", "Identificativo", "Codice candidato"},
		FieldMunicipality: {"Comune", "Comune di domicilio", "Comune domicilio", "Comune di residenza", "Domicilio", "Località"},
		FieldProvince:     {"Provincia", "Prov.", "Prov", "Sigla provincia"},
		FieldISCO:         {"ISCO", "ISCO ultima occupazione", "Codice ISCO", "ISCO-08", "ISCO ultimo lavoro", "Ultima professione (ISCO)"},
		FieldEducation:    {"Titolo di studio", "Istruzione", "Livello di istruzione", "Titolo studio", "Education"},
		FieldSeekerSkills: {"Competenze", "Competenze dichiarate", "Competenze possedute", "Skills"},
		FieldRegistered:   {"Data iscrizione", "Data DID", "Data registrazione", "Iscritto dal"},
		FieldPerson:       {"Nome", "Cognome", "Nominativo", "Nome e cognome"},
		FieldPersonalID:   {"Codice fiscale", "CF", "C.F."},
		FieldPhone:        {"Telefono", "Tel.", "Cellulare", "Recapito telefonico"},
		FieldEmail:        {"Email", "E-mail", "Mail"},
	}
}

// JobSeeker is one pseudonymised job-seeker profile: who is available,
// where, with which last occupation, education and skills. It carries no
// name, codice fiscale, phone or e-mail.
//
// It is local to survey until the root package gets a supply type; the
// fields are the ones issue 7 asks for.
type JobSeeker struct {
	ID               string                `json:"id"` // the export's opaque id
	MunicipalityCode string                `json:"municipality_code,omitempty"`
	MunicipalityName string                `json:"municipality_name,omitempty"`
	ProvinceCode     string                `json:"province_code,omitempty"`
	District         string                `json:"district,omitempty"`
	LastISCO         string                `json:"last_isco,omitempty"`       // ISCO-08 code, 1 to 4 digits
	Education        string                `json:"education,omitempty"`       // as declared
	EducationLevel   int                   `json:"education_level,omitempty"` // ISCED 2011 level, 0 unknown
	SkillsText       string                `json:"skills_text,omitempty"`     // free text, personal data masked; coded by nlp
	RegisteredAt     time.Time             `json:"registered_at,omitzero"`
	Provenance       fabbisogni.Provenance `json:"provenance"`
}

// Validate reports why the profile cannot be stored.
func (s *JobSeeker) Validate() error {
	if s.ID == "" {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "job seeker: missing id")
	}
	if s.MunicipalityCode == "" && s.ProvinceCode == "" {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "job seeker %s: no place", s.ID)
	}
	return nil
}

// ImportSeekersFile reads a pseudonymised job-seeker export (CSV or XLSX,
// the same encodings, separators, header search, duplicate check and
// per-row errors as campaign exports; columns by cfg.SeekerMapping) and
// calls emit for every good profile and reject for every bad row. A row
// whose id is a codice fiscale, an e-mail or a phone number is rejected:
// the file is not pseudonymised.
func (im *Importer) ImportSeekersFile(ctx context.Context, path string, emit func(context.Context, JobSeeker) error, reject func(RowError)) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("survey: import seekers: %w", err)
	}
	defer f.Close()
	name := filepath.Base(path)
	if reject == nil {
		reject = func(RowError) {}
	}
	run := &fileRun{
		im: im, file: name, campaign: im.campaignFor(strings.TrimSuffix(name, filepath.Ext(name))), reject: reject,
		fetchedAt: im.cfg.Now().UTC(), seen: map[uint64]uint64{},
		headerHint: "ID candidato, Comune, ISCO",
	}
	run.match = func(row []string) (layout, bool) {
		l := im.cfg.SeekerMapping.resolve(row)
		_, hasID := l.byName[FieldSeekerID]
		return l, hasID && len(l.cols) >= 3
	}
	run.handle = func(ctx context.Context, sheet string, row int, _ string, rv *rowValues) (*RowError, error) {
		s, rerr := im.seeker(run, sheet, row, rv)
		if rerr != nil {
			return rerr, nil
		}
		return nil, emit(ctx, s)
	}
	return run.importTables(ctx, name, f)
}

var reISCO = regexp.MustCompile(`^[0-9]{1,4}$`)

func (im *Importer) seeker(run *fileRun, sheet string, row int, rv *rowValues) (JobSeeker, *RowError) {
	sc := newScrubber(rv.personal)
	bad := func(c cell, reason string) *RowError {
		return &RowError{Column: c.header, Value: sc.cleanValue(c.value), Reason: reason}
	}
	idc := rv.firm[FieldSeekerID]
	id := strings.TrimSpace(idc.value)
	switch {
	case id == "":
		return JobSeeker{}, bad(idc, "missing id")
	case len(compactID(id)) == 16 && ValidCodiceFiscale(id):
		return JobSeeker{}, &RowError{Column: idc.header, Value: maskCF(id), Reason: "id is a codice fiscale: the export must be pseudonymised"}
	case reEmail.MatchString(id) || countDigits(id) >= 8 && rePhone.FindString(id) == id:
		return JobSeeker{}, &RowError{Column: idc.header, Value: maskField, Reason: "id is an e-mail or phone number: the export must be pseudonymised"}
	}
	s := JobSeeker{ID: id}
	m := rv.firm[FieldMunicipality]
	if m.value == "" {
		return s, bad(m, "missing municipality")
	}
	mun, err := lookupPlace(im.cfg.Gazetteer, m.value, rv.firm[FieldProvince].value)
	if err != nil {
		return s, bad(m, err.Error())
	}
	s.MunicipalityCode, s.MunicipalityName, s.ProvinceCode = mun.Code, mun.Name, mun.ProvinceCode
	s.District = im.cfg.Districts.Locate(mun.Code, mun.ProvinceCode)
	if ic := rv.firm[FieldISCO]; ic.value != "" {
		code := strings.TrimSpace(ic.value)
		if !reISCO.MatchString(code) {
			return s, bad(ic, "not an ISCO-08 code (1 to 4 digits)")
		}
		s.LastISCO = code
	}
	ed := rv.firm[FieldEducation]
	s.Education = sc.clean(ed.value)
	s.EducationLevel = iscedLevel(ed.value)
	s.SkillsText = sc.clean(rv.firm[FieldSeekerSkills].value)
	if rc := rv.firm[FieldRegistered]; rc.value != "" {
		d, err := parseDate(rc.value)
		if err != nil {
			return s, bad(rc, err.Error())
		}
		if d.After(im.cfg.Now().Add(24 * time.Hour)) {
			return s, bad(rc, "registration date is in the future")
		}
		s.RegisteredAt = d
	}
	s.Provenance = fabbisogni.Provenance{Source: run.campaign, File: run.file, Sheet: sheet, Row: row, FetchedAt: run.fetchedAt, Hash: fmt.Sprintf("%016x", rv.hash())}
	if err := s.Validate(); err != nil {
		return s, &RowError{Reason: err.Error()}
	}
	return s, nil
}

// iscedLevel maps Italian education titles to ISCED 2011 levels.
func iscedLevel(s string) int {
	k := fabbisogni.PlaceKey(s)
	switch {
	case k == "":
		return 0
	case strings.Contains(k, "dottorato"):
		return 8
	case strings.Contains(k, "magistrale") || strings.Contains(k, "specialistica") || strings.Contains(k, "vecchio ordinamento") || strings.Contains(k, "master di ii"):
		return 7
	case strings.Contains(k, "laurea") || strings.Contains(k, "triennale"):
		return 6
	case strings.HasPrefix(k, "its") || strings.Contains(k, " its ") || strings.Contains(k, "istruzione tecnica superiore"):
		return 5
	case strings.Contains(k, "diploma") || strings.Contains(k, "maturita") || strings.Contains(k, "qualifica") || strings.Contains(k, "iefp"):
		return 3
	case strings.Contains(k, "licenza media") || strings.Contains(k, "scuola media") || strings.Contains(k, "secondaria di primo grado"):
		return 2
	case strings.Contains(k, "licenza elementare") || strings.Contains(k, "primaria"):
		return 1
	case strings.Contains(k, "nessun"):
		return 0
	}
	return 0
}
