package survey

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/fabbisogni/fabbisogni"
)

// Field is a column of a campaign export, whatever its header says.
type Field string

// Fields of a campaign export. The need fields (Occupation to
// DifficultyReason) may repeat in numbered column groups ("Figura
// professionale 1", "N. assunzioni 1", "Figura professionale 2", ...), one
// group per declared need.
const (
	FieldName             Field = "ragione_sociale"
	FieldVAT              Field = "partita_iva"
	FieldFiscalCode       Field = "codice_fiscale"
	FieldATECO            Field = "ateco"
	FieldMunicipality     Field = "comune"
	FieldProvince         Field = "provincia"
	FieldOutcome          Field = "esito"
	FieldDate             Field = "data_contatto"
	FieldChannel          Field = "canale"
	FieldOccupation       Field = "figura"
	FieldHires            Field = "assunzioni"
	FieldHorizon          Field = "periodo"
	FieldContract         Field = "contratto"
	FieldSkills           Field = "competenze"
	FieldDifficulty       Field = "difficolta"
	FieldDifficultyReason Field = "motivo_difficolta"
	FieldNote             Field = "note"
	// Personal data: read to be dropped, and to mask the same values inside
	// free text.
	FieldPerson Field = "referente"
	FieldPhone  Field = "telefono"
	FieldEmail  Field = "email"
)

// needFields are the fields of one declared need.
var needFields = map[Field]bool{
	FieldOccupation: true, FieldHires: true, FieldHorizon: true, FieldContract: true,
	FieldSkills: true, FieldDifficulty: true, FieldDifficultyReason: true,
}

// personalFields hold personal data of contact persons.
var personalFields = map[Field]bool{FieldPerson: true, FieldPhone: true, FieldEmail: true, FieldPersonalID: true}

// Mapping lists, for each field, the headers that name it. Headers are
// compared folded: case, accents, punctuation and spacing do not matter
// ("N. assunzioni previste" matches "n assunzioni previste"). A header that
// no field claims is ignored.
type Mapping map[Field][]string

// DefaultMapping understands the usual Italian headers of campaign exports
// and a few English ones.
func DefaultMapping() Mapping {
	return Mapping{
		FieldName:             {"Ragione sociale", "Denominazione", "Azienda", "Impresa", "Nome azienda", "Company"},
		FieldVAT:              {"Partita IVA", "P. IVA", "P.IVA", "PIVA", "Part. IVA", "VAT", "VAT number"},
		FieldFiscalCode:       {"Codice fiscale", "C.F.", "CF", "Cod. fiscale"},
		FieldATECO:            {"Codice ATECO", "ATECO", "Cod. ATECO", "Attività ATECO", "Settore ATECO"},
		FieldMunicipality:     {"Comune / Sede operativa", "Comune", "Sede operativa", "Comune sede operativa", "Località", "Comune sede"},
		FieldProvince:         {"Provincia", "Prov.", "Prov", "Sigla provincia"},
		FieldOutcome:          {"Esito contatto", "Esito", "Esito chiamata", "Outcome"},
		FieldDate:             {"Data contatto", "Data", "Data chiamata", "Data intervista", "Contact date"},
		FieldChannel:          {"Canale", "Modalità contatto", "Canale contatto", "Channel"},
		FieldOccupation:       {"Figura professionale ricercata", "Figura professionale", "Profilo ricercato", "Qualifica", "Mansione", "Occupation"},
		FieldHires:            {"N. assunzioni previste", "Numero assunzioni previste", "N. assunzioni", "Assunzioni previste", "Numero assunzioni", "N. figure", "Hires"},
		FieldHorizon:          {"Entro quando / Periodo", "Entro quando", "Periodo", "Periodo assunzione", "Tempistica", "Horizon"},
		FieldContract:         {"Tipo contratto", "Tipologia contrattuale", "Contratto", "Contract"},
		FieldSkills:           {"Competenze richieste", "Competenze", "Skills"},
		FieldDifficulty:       {"Difficoltà di reperimento", "Difficoltà reperimento", "Difficoltà", "Difficulty"},
		FieldDifficultyReason: {"Motivo difficoltà", "Motivo della difficoltà", "Motivazione difficoltà", "Difficulty reason"},
		FieldNote:             {"Note", "Annotazioni", "Commenti", "Notes"},
		FieldPerson:           {"Referente", "Nome referente", "Persona di contatto", "Contatto", "Interlocutore", "Referente aziendale"},
		FieldPhone:            {"Telefono", "Tel.", "Tel", "Cellulare", "Recapito telefonico", "Phone"},
		FieldEmail:            {"Email", "E-mail", "Mail", "Indirizzo email", "PEC"},
	}
}

// LoadMapping reads a mapping from a JSON file: an object from field name
// ("ragione_sociale", "partita_iva", ... as the Field constants) to a list
// of headers. Fields the file leaves out keep their DefaultMapping headers;
// the file's headers are tried before the default ones.
func LoadMapping(path string) (Mapping, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("survey: load mapping: %w", err)
	}
	var raw map[string][]string
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("survey: load mapping %s: %w", path, err)
	}
	m := DefaultMapping()
	for k, hs := range raw {
		f := Field(k)
		if _, ok := m[f]; !ok {
			return nil, fmt.Errorf("survey: load mapping %s: unknown field %q", path, k)
		}
		m[f] = append(append([]string(nil), hs...), m[f]...)
	}
	return m, m.Validate()
}

// Validate reports a mapping that cannot find firms: it must name the firm
// name and at least one identifier, and no header may name two fields.
func (m Mapping) Validate() error {
	if len(m[FieldName]) == 0 {
		return fmt.Errorf("survey: mapping: no headers for %s", FieldName)
	}
	if len(m[FieldVAT]) == 0 && len(m[FieldFiscalCode]) == 0 {
		return fmt.Errorf("survey: mapping: no headers for %s or %s", FieldVAT, FieldFiscalCode)
	}
	seen := map[string]Field{}
	for f, hs := range m {
		for _, h := range hs {
			k := headerKey(h)
			if g, ok := seen[k]; ok && g != f {
				return fmt.Errorf("survey: mapping: header %q names both %s and %s", h, g, f)
			}
			seen[k] = f
		}
	}
	return nil
}

// column is where a field sits in the export.
type column struct {
	field  Field
	group  int // 0 for firm fields and an un-numbered need group; n for "... n"
	index  int
	header string
}

// layout is the resolved header row.
type layout struct {
	cols   []column // in index order
	byName map[Field]int
	groups []int // need group numbers present, ascending
	width  int
}

// headerKey folds a header for matching.
func headerKey(h string) string {
	return fabbisogni.PlaceKey(h)
}

// matchHeader resolves a row as the header row of a campaign export, or
// returns ok false when it does not look like one (fewer than three known
// headers, or neither the firm name nor an identifier).
func (m Mapping) matchHeader(row []string) (layout, bool) {
	l := m.resolve(row)
	_, hasName := l.byName[FieldName]
	_, hasVAT := l.byName[FieldVAT]
	_, hasCF := l.byName[FieldFiscalCode]
	if len(l.cols) < 3 || !hasName || !(hasVAT || hasCF) {
		return layout{}, false
	}
	return l, true
}

// resolve maps a row of headers to fields.
func (m Mapping) resolve(row []string) layout {
	keys := map[string]Field{}
	for f, hs := range m {
		for _, h := range hs {
			keys[headerKey(h)] = f
		}
	}
	l := layout{byName: map[Field]int{}, width: len(row)}
	groupSet := map[int]bool{}
	for i, h := range row {
		k := headerKey(h)
		if k == "" {
			continue
		}
		f, ok := keys[k]
		group := 0
		if !ok {
			// Numbered need groups: "figura professionale 2", "n assunzioni 2".
			if j := strings.LastIndexByte(k, ' '); j > 0 {
				if n, err := strconv.Atoi(k[j+1:]); err == nil && n > 0 && n < 100 {
					if g, ok2 := keys[k[:j]]; ok2 && needFields[g] {
						f, ok, group = g, true, n
					}
				}
			}
		}
		if !ok {
			continue
		}
		if !needFields[f] {
			if _, dup := l.byName[f]; dup {
				continue // the first column with a header wins
			}
			l.byName[f] = i
		}
		l.cols = append(l.cols, column{field: f, group: group, index: i, header: strings.TrimSpace(h)})
		if needFields[f] {
			groupSet[group] = true
		}
	}
	for g := 0; g < 100; g++ {
		if groupSet[g] {
			l.groups = append(l.groups, g)
		}
	}
	return l
}
