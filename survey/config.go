package survey

import (
	"errors"
	"log/slog"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// Config configures an Importer.
type Config struct {
	// Campaign names the contact campaign; it is the Provenance.Source of
	// every record and part of contact and need ids. Empty (the default)
	// names each file's campaign after the file: its base name without
	// extension (for a pull, the endpoint's host and path).
	Campaign string
	// Mapping maps the export's headers to fields. Default DefaultMapping().
	Mapping Mapping
	// SeekerMapping maps the headers of job-seeker exports
	// (ImportSeekersFile). Default DefaultSeekerMapping().
	SeekerMapping Mapping
	// Gazetteer codes municipalities to ISTAT codes. Required.
	Gazetteer *fabbisogni.Gazetteer
	// ATECO checks sector codes. Required.
	ATECO *ATECO
	// Districts places firms in a district by municipality. Default
	// fabbisogni.DefaultDistricts().
	Districts fabbisogni.Districts
	// Now is the clock: Provenance.FetchedAt, and contact dates later than
	// Now plus a day are rejected. Default time.Now.
	Now func() time.Time
	// Logger receives one line per file (rows, accepted, rejected). Nil
	// discards.
	Logger *slog.Logger
	// Progress, if set, is called every 1,000 rows and at the end of each
	// file, from the goroutine that called ImportFile (for a terminal
	// progress bar). Default nil.
	Progress func(Progress)
	// MaxHeaderScan is how many rows are searched for the header row.
	// Default 30.
	MaxHeaderScan int
	// KeepDuplicates turns off the rejection of rows identical to an earlier
	// row of the same file. Default false (duplicates are rejected).
	KeepDuplicates bool
}

// DefaultConfig returns a Config with every default set except Gazetteer and
// ATECO, which are loaded from files (fabbisogni.LoadGazetteer, LoadATECO).
func DefaultConfig() Config {
	return Config{
		Mapping:       DefaultMapping(),
		SeekerMapping: DefaultSeekerMapping(),
		Districts:     fabbisogni.DefaultDistricts(),
		Now:           time.Now,
		MaxHeaderScan: 30,
	}
}

// Validate reports what is missing or wrong in the config.
func (c *Config) Validate() error {
	var errs []error
	if c.Gazetteer == nil {
		errs = append(errs, errors.New("survey: config: nil Gazetteer (fabbisogni.LoadGazetteer)"))
	}
	if c.ATECO == nil {
		errs = append(errs, errors.New("survey: config: nil ATECO (survey.LoadATECO)"))
	}
	if err := c.Mapping.Validate(); err != nil {
		errs = append(errs, err)
	}
	if c.MaxHeaderScan < 1 {
		errs = append(errs, errors.New("survey: config: MaxHeaderScan must be at least 1"))
	}
	return errors.Join(errs...)
}

// Progress reports how far an import has got.
type Progress struct {
	File string
	Rows int   // data rows read so far
	Read int64 // bytes of the file read so far (an XLSX is read whole before its rows)
	Size int64 // size of the file, 0 when unknown
	Done bool  // the file is finished
}
