// Package fabbisogni holds the domain of the Fabbisogni pipeline: vacancies,
// firms, contact outcomes, declared hiring needs, occupations, skill mentions
// and districts, with their validation and error codes. It imports only the
// standard library; every other package depends on it and not the reverse.
package fabbisogni

import (
	"fmt"
	"strings"
	"time"
)

// Provenance says where a record came from, so that every row in the
// warehouse can be traced back to a URL or a file row, and re-extracted when
// the taxonomy or the extractor changes.
type Provenance struct {
	Source    string    `json:"source"`                 // configured source name ("jobboard-demo", "campagna-2026-q3")
	URL       string    `json:"url,omitempty"`          // page or API URL the record was read from
	File      string    `json:"file,omitempty"`         // file the record was read from
	Sheet     string    `json:"sheet,omitempty"`        // XLSX sheet, when File is a workbook
	Row       int       `json:"row,omitempty"`          // 1-based row in File (header included)
	FetchedAt time.Time `json:"fetched_at"`             // when the source was read
	Offset    int64     `json:"offset,omitempty"`       // byte offset in File, where known
	Hash      string    `json:"content_hash,omitempty"` // hash of the source content (page body, row)
}

// Vacancy is one published job vacancy as collected by the crawler, before
// (raw) or after (enriched) the NLP stage.
type Vacancy struct {
	ID                   string      `json:"id"`                              // stable id: source + the source's own id, or a hash of the URL
	Title                string      `json:"title"`                           // the posting's title, as published
	Description          string      `json:"description"`                     // clean text; list items one a line
	FirmName             string      `json:"firm_name,omitempty"`             // hiring organisation as published
	FirmID               string      `json:"firm_id,omitempty"`               // partita IVA when known, else empty
	MunicipalityCode     string      `json:"municipality_code,omitempty"`     // ISTAT municipality code (6 digits), when coded
	MunicipalityName     string      `json:"municipality_name,omitempty"`     // place of work as published
	ProvinceCode         string      `json:"province_code,omitempty"`         // ISTAT province code (3 digits), when known
	District             string      `json:"district,omitempty"`              // district name, from the source hint or the municipality
	ATECO                string      `json:"ateco,omitempty"`                 // firm's ATECO code, when known
	DatePosted           time.Time   `json:"date_posted"`                     // publication date (zero if unknown)
	ValidThrough         time.Time   `json:"valid_through"`                   // expiry date (zero if unknown)
	Openings             int         `json:"openings"`                        // workers requested (totalJobOpenings); 1 if unstated
	EmploymentType       string      `json:"employment_type,omitempty"`       // as published (FULL_TIME, "tempo determinato", ...)
	OccupationalCategory string      `json:"occupational_category,omitempty"` // as published, if any
	PublishedSkills      []string    `json:"published_skills,omitempty"`      // skills listed by the publisher (JSON-LD "skills")
	SalaryMin            float64     `json:"salary_min,omitempty"`
	SalaryMax            float64     `json:"salary_max,omitempty"`
	SalaryCurrency       string      `json:"salary_currency,omitempty"`
	SalaryUnit           string      `json:"salary_unit,omitempty"`  // HOUR, MONTH, YEAR
	CanonicalID          string      `json:"canonical_id,omitempty"` // set when this is a near-duplicate of another vacancy (another board, a repost)
	Provenance           Provenance  `json:"provenance"`
	Extraction           *Extraction `json:"extraction,omitempty"` // set by the NLP stage
}

// Validate reports the first reason the vacancy cannot be processed, or nil.
func (v *Vacancy) Validate() error {
	switch {
	case strings.TrimSpace(v.ID) == "":
		return Errorf(EInvalid, "vacancy: missing id (url %q)", v.Provenance.URL)
	case strings.TrimSpace(v.Title) == "" && strings.TrimSpace(v.Description) == "":
		return Errorf(EInvalid, "vacancy %s: neither title nor description", v.ID)
	case v.Openings < 0:
		return Errorf(EInvalid, "vacancy %s: negative openings %d", v.ID, v.Openings)
	case v.Provenance.Source == "":
		return Errorf(EInvalid, "vacancy %s: missing provenance source", v.ID)
	}
	return nil
}

// Text is the text the NLP stage reads: title and description.
func (v *Vacancy) Text() string {
	if v.Title == "" {
		return v.Description
	}
	return v.Title + "\n" + v.Description
}

// Key is the Kafka key of the vacancy: its id, so one vacancy always lands on
// one partition.
func (v *Vacancy) Key() string { return v.ID }

// String is for logs.
func (v *Vacancy) String() string { return fmt.Sprintf("vacancy %s %q", v.ID, v.Title) }
