package fabbisogni

import (
	"strings"
	"time"
)

// Firm is an employer contacted by a campaign or seen in a vacancy. Personal
// data of contact persons (names, phones, e-mails) is never part of a Firm.
type Firm struct {
	ID               string `json:"id"`                          // partita IVA (11 digits) when valid, else "cf:" + codice fiscale
	Name             string `json:"name"`                        // normalised ("ROSSI MECCANICA SRL")
	VAT              string `json:"vat,omitempty"`               // partita IVA
	FiscalCode       string `json:"fiscal_code,omitempty"`       // codice fiscale of the firm (11 digits or 16 chars)
	ATECO            string `json:"ateco,omitempty"`             // ATECO 2007 code, e.g. "29.32.09"
	MunicipalityCode string `json:"municipality_code,omitempty"` // ISTAT code of the operating site
	MunicipalityName string `json:"municipality_name,omitempty"`
	ProvinceCode     string `json:"province_code,omitempty"`
	District         string `json:"district,omitempty"`
}

// Validate reports why the firm cannot be stored, or nil.
func (f *Firm) Validate() error {
	if strings.TrimSpace(f.ID) == "" {
		return Errorf(EInvalid, "firm %q: missing id (partita IVA or codice fiscale)", f.Name)
	}
	if strings.TrimSpace(f.Name) == "" {
		return Errorf(EInvalid, "firm %s: missing name", f.ID)
	}
	return nil
}

// Contact outcomes.
const (
	OutcomeReached     = "reached"
	OutcomeRefused     = "refused"
	OutcomeNoAnswer    = "no_answer"
	OutcomeWrongNumber = "wrong_number"
	OutcomeCallBack    = "call_back"
)

// ContactOutcome is one contact of a campaign with a firm.
type ContactOutcome struct {
	ID       string    `json:"id"` // stable: campaign + firm + date + channel
	FirmID   string    `json:"firm_id"`
	Campaign string    `json:"campaign"`
	Date     time.Time `json:"date"`
	Channel  string    `json:"channel,omitempty"` // "telefono", "email", "visita", ...
	Outcome  string    `json:"outcome"`           // one of the Outcome constants
}

// Validate reports why the contact cannot be stored, or nil.
func (c *ContactOutcome) Validate() error {
	switch c.Outcome {
	case OutcomeReached, OutcomeRefused, OutcomeNoAnswer, OutcomeWrongNumber, OutcomeCallBack:
	default:
		return Errorf(EInvalid, "contact %s: unknown outcome %q", c.ID, c.Outcome)
	}
	if c.FirmID == "" {
		return Errorf(EInvalid, "contact %s: missing firm id", c.ID)
	}
	if c.Date.IsZero() {
		return Errorf(EInvalid, "contact %s: missing date", c.ID)
	}
	return nil
}

// Hiring horizons.
const (
	Horizon3Months  = "within_3m"
	Horizon12Months = "3_12m"
	HorizonBeyond   = "beyond_12m"
)

// HiringNeed is a hiring intention a firm declared in a contact.
type HiringNeed struct {
	ID               string      `json:"id"` // stable: file identity + row + need index
	FirmID           string      `json:"firm_id"`
	ContactID        string      `json:"contact_id,omitempty"`
	Campaign         string      `json:"campaign,omitempty"`
	DeclaredAt       time.Time   `json:"declared_at"`
	OccupationText   string      `json:"occupation_text"`       // "Figura professionale ricercata", free text
	Hires            int         `json:"hires"`                 // number of hires planned, >= 1
	Horizon          string      `json:"horizon"`               // one of the Horizon constants
	Contract         string      `json:"contract,omitempty"`    // free text as declared
	SkillsText       string      `json:"skills_text,omitempty"` // "Competenze richieste", free text
	Difficulty       int         `json:"difficulty,omitempty"`  // 0 unknown, 1 low .. 3 high
	DifficultyReason string      `json:"difficulty_reason,omitempty"`
	Extraction       *Extraction `json:"extraction,omitempty"` // set by the NLP stage
}

// Validate reports why the need cannot be stored, or nil.
func (n *HiringNeed) Validate() error {
	switch {
	case n.ID == "":
		return Errorf(EInvalid, "hiring need: missing id")
	case n.FirmID == "":
		return Errorf(EInvalid, "hiring need %s: missing firm id", n.ID)
	case strings.TrimSpace(n.OccupationText) == "":
		return Errorf(EInvalid, "hiring need %s: missing occupation", n.ID)
	case n.Hires < 1:
		return Errorf(EInvalid, "hiring need %s: hires %d, want at least 1", n.ID, n.Hires)
	}
	switch n.Horizon {
	case Horizon3Months, Horizon12Months, HorizonBeyond:
	default:
		return Errorf(EInvalid, "hiring need %s: unknown horizon %q", n.ID, n.Horizon)
	}
	return nil
}

// Text is the text the NLP stage reads for a need.
func (n *HiringNeed) Text() string {
	if n.SkillsText == "" {
		return n.OccupationText
	}
	return n.OccupationText + "\n" + n.SkillsText
}

// SurveyRecord is one firm's answer in a contact campaign: the firm, the
// contact and the needs it declared. It is the message of the survey topics,
// keyed by firm id.
type SurveyRecord struct {
	Firm       Firm           `json:"firm"`
	Contact    ContactOutcome `json:"contact"`
	Needs      []HiringNeed   `json:"needs,omitempty"`
	Provenance Provenance     `json:"provenance"`
}

// Validate checks the firm, the contact and every need.
func (r *SurveyRecord) Validate() error {
	if err := r.Firm.Validate(); err != nil {
		return err
	}
	if err := r.Contact.Validate(); err != nil {
		return err
	}
	for i := range r.Needs {
		if err := r.Needs[i].Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Key is the Kafka key: the firm id.
func (r *SurveyRecord) Key() string { return r.Firm.ID }
