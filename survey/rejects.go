package survey

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// RejectsWriter writes rejected rows as a CSV report (';' separated, UTF-8,
// header file;sheet;row;column;value;reason) that an operator opens in a
// spreadsheet to fix the export. Values are already masked. It is safe for
// concurrent use.
type RejectsWriter struct {
	mu  sync.Mutex
	cw  *csv.Writer
	n   int
	err error
}

// NewRejectsWriter writes the header to w.
func NewRejectsWriter(w io.Writer) *RejectsWriter {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	rw := &RejectsWriter{cw: cw}
	rw.err = cw.Write([]string{"file", "sheet", "row", "column", "value", "reason"})
	return rw
}

// Reject writes one rejected row; it has the signature ImportFile wants.
// The first write error is kept and returned by Flush.
func (rw *RejectsWriter) Reject(e RowError) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.err != nil {
		return
	}
	rw.err = rw.cw.Write([]string{e.File, e.Sheet, strconv.Itoa(e.Row), e.Column, e.Value, e.Reason})
	rw.n++
}

// Count is the number of rejects written.
func (rw *RejectsWriter) Count() int {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	return rw.n
}

// Flush writes buffered rows and returns the first error met.
func (rw *RejectsWriter) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.cw.Flush()
	if rw.err == nil {
		rw.err = rw.cw.Error()
	}
	if rw.err != nil {
		return fmt.Errorf("survey: rejects report: %w", rw.err)
	}
	return nil
}
