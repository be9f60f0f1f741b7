package fabbisogni

// Extraction is what the NLP stage finds in one text. Its JSON form is the
// stable contract of `fabbisogni extract` (one line per input document).
type Extraction struct {
	ID               string            `json:"id"`
	Language         string            `json:"language"`             // "it", "en" or "other"
	Occupations      []OccupationMatch `json:"occupations"`          // ranked, best first; empty when nothing fits
	ISCOGroup        *ISCOGroup        `json:"isco_group,omitempty"` // fallback group when no 4-digit code is sure enough
	Skills           []SkillMention    `json:"skills"`               // in text order
	Attributes       Attributes        `json:"attributes"`
	TaxonomyVersion  string            `json:"taxonomy_version"`  // e.g. "esco-1.1.1+it-lexicon-1"
	ExtractorVersion string            `json:"extractor_version"` // version of the nlp package's extractor
	Error            string            `json:"error,omitempty"`   // set only on error lines of `fabbisogni extract`
}

// BestISCO returns the most specific ISCO-08 code the extraction is sure of:
// the best occupation's 4-digit code, else the fallback group, else "".
func (e *Extraction) BestISCO() string {
	if e == nil {
		return ""
	}
	if len(e.Occupations) > 0 {
		return e.Occupations[0].ISCO
	}
	if e.ISCOGroup != nil {
		return e.ISCOGroup.Code
	}
	return ""
}

// OccupationMatch is one candidate ESCO occupation for a text.
type OccupationMatch struct {
	URI   string  `json:"uri"`
	ISCO  string  `json:"isco"` // ISCO-08 4-digit code
	Label string  `json:"label"`
	Score float64 `json:"score"` // 0..1
}

// ISCOGroup is an ISCO-08 group (1 to 4 digits) with a confidence score.
type ISCOGroup struct {
	Code  string  `json:"code"`
	Score float64 `json:"score"`
}

// SkillMention is one ESCO skill found in a text, with byte offsets into the
// original text (Start inclusive, End exclusive).
type SkillMention struct {
	URI       string   `json:"uri"`
	Label     string   `json:"label"` // ESCO preferred label
	Text      string   `json:"text"`  // the matched text, text[Start:End]
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Required  bool     `json:"required"` // false: preferred ("gradito", "a plus") or unstated
	Preferred bool     `json:"preferred,omitempty"`
	Negated   bool     `json:"negated"`
	Ambiguous []string `json:"ambiguous,omitempty"` // other candidate URIs when the label is shared and context did not decide
	// Score estimates the share of such mentions a careful human coder
	// codes (0..1): the smoothed share of the gold set's read mentions of
	// this form and concept that were coded (nlp.UnseenFormReliability
	// for a form the gold set never showed), lowered for a match
	// weaker than a lexicon line. Filter on it for precision: on unseen
	// gold batches 29-30, mentions scored 0.9 or more were right 98 times
	// in 100, those under 0.5 about 4 in 10; on 33-36, those scored 0.6 or
	// more 83 to 88 in 100, all mentions 74.
	Score     float64 `json:"score"`
	SkillType string  `json:"skill_type,omitempty"` // "skill/competence" or "knowledge"
}

// Attributes are the structured facts of a posting.
type Attributes struct {
	Contract        []string        `json:"contract,omitempty"`         // "tempo_determinato", "tempo_indeterminato", "apprendistato", "somministrazione", "tirocinio", "part_time", "full_time"
	EQF             int             `json:"eqf,omitempty"`              // education level required, EQF 1-8; 0 unknown
	Education       string          `json:"education,omitempty"`        // as written ("diploma", "laurea magistrale")
	ExperienceYears float64         `json:"experience_years,omitempty"` // minimum years of experience asked
	DrivingLicences []string        `json:"driving_licences,omitempty"` // "B", "C", "CE", "CQC", "ADR"
	Forklift        bool            `json:"forklift,omitempty"`         // patentino muletto / carrellista
	Shifts          bool            `json:"shifts,omitempty"`           // shift, night or continuous-cycle work ("turni", "ciclo continuo", "shift work")
	Languages       []LanguageLevel `json:"languages,omitempty"`
	Certificates    []string        `json:"certificates,omitempty"` // "formazione_sicurezza", "haccp"
}

// LanguageLevel is a language asked for, with its CEFR level when stated.
type LanguageLevel struct {
	Language string `json:"language"` // ISO 639-1 ("en", "de")
	CEFR     string `json:"cefr,omitempty"`
}
