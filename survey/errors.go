package survey

import (
	"fmt"
	"strings"
)

// RowError is one rejected row: where it is and why. Value is the offending
// cell with personal data masked; it is safe to log, to write to a rejects
// report and to publish to the dead-letter topic.
type RowError struct {
	File   string // base name of the file
	Sheet  string // XLSX sheet, "" for CSV
	Row    int    // 1-based row (line) in the file or sheet, header included
	Column string // header of the offending column as the file writes it, "" for the whole row
	Value  string // the offending value, personal data masked
	Reason string // what is wrong, lower case
}

// Error names file, sheet, row, column, value and reason:
// `survey: campagna.csv row 12 column "Partita IVA" value "01234567891": partita IVA check digit is wrong`.
func (e RowError) Error() string {
	var b strings.Builder
	b.WriteString("survey: ")
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, " sheet %q", e.Sheet)
	}
	fmt.Fprintf(&b, " row %d", e.Row)
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	if e.Column != "" || e.Value != "" {
		fmt.Fprintf(&b, " value %q", e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Stats counts what one import did.
type Stats struct {
	Rows       int // data rows read (header, preamble and blank rows not counted)
	Accepted   int // rows turned into records and emitted
	Rejected   int // rows handed to reject (duplicates included)
	Needs      int // hiring needs in the accepted records
	Duplicates int // rows rejected because an earlier row of the file was identical
}

// Add sums two Stats.
func (s Stats) Add(o Stats) Stats {
	return Stats{s.Rows + o.Rows, s.Accepted + o.Accepted, s.Rejected + o.Rejected, s.Needs + o.Needs, s.Duplicates + o.Duplicates}
}
