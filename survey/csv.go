package survey

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// table is one grid of cells: a CSV file or an XLSX sheet, read a row at a
// time.
type table interface {
	// Sheet is the XLSX sheet name, "" for CSV.
	Sheet() string
	// Next returns the next row and its 1-based row number; io.EOF at the
	// end. A *cellsError means this row could not be split into cells and
	// the next call continues with the next row.
	Next() (cells []string, row int, err error)
}

// cellsError is a row that could not be read; the table goes on.
type cellsError struct {
	row int
	err error
}

func (e *cellsError) Error() string { return e.err.Error() }

// csvTable reads a CSV export: encoding (UTF-8 with or without BOM,
// UTF-16 with BOM, or Latin-1 / Windows-1252 line by line) and separator
// (';', ',', tab or '|') detected from the first lines.
type csvTable struct {
	cr       *csv.Reader
	sep      rune
	encoding string
	lastLine int
	stuck    int
}

func newCSVTable(r io.Reader) (*csvTable, error) {
	dec, enc, err := decodeText(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(dec, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	sep := detectSeparator(head)
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	return &csvTable{cr: cr, sep: sep, encoding: enc}, nil
}

func (t *csvTable) Sheet() string { return "" }

func (t *csvTable) Next() ([]string, int, error) {
	rec, err := t.cr.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// csv.Reader resumes after the broken record; give up only when
			// it does not move.
			if pe.StartLine == t.lastLine {
				t.stuck++
				if t.stuck > 3 {
					return nil, 0, fmt.Errorf("csv stuck at line %d: %w", pe.StartLine, err)
				}
			}
			t.lastLine = pe.StartLine
			return nil, pe.StartLine, &cellsError{row: pe.StartLine, err: pe.Err}
		}
		return nil, 0, err
	}
	line, _ := t.cr.FieldPos(0)
	t.lastLine, t.stuck = line, 0
	return rec, line, nil
}

// decodeText returns r decoded to UTF-8 and the name of the encoding found.
func decodeText(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	bom, err := br.Peek(3)
	if err != nil && err != io.EOF {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return &lineDecoder{r: br}, "utf-8-bom", nil
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}), bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text" export: UTF-16 with BOM, tab separated.
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), "utf-16", nil
	}
	return &lineDecoder{r: br}, "utf-8", nil
}

// lineDecoder passes UTF-8 lines through and decodes a line that is not
// valid UTF-8 as Windows-1252 (a superset of Latin-1 for the printable
// range), so a Latin-1 export, or one Latin-1 line pasted into a UTF-8
// export, reads right.
type lineDecoder struct {
	r       *bufio.Reader
	pending []byte
	err     error
	latin1  int // lines decoded as Windows-1252
}

var cp1252 = charmap.Windows1252.NewDecoder()

func (d *lineDecoder) Read(p []byte) (int, error) {
	for len(d.pending) == 0 {
		if d.err != nil {
			return 0, d.err
		}
		line, err := d.r.ReadBytes('\n')
		if err != nil {
			d.err = err
		}
		if len(line) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			if dl, derr := cp1252.Bytes(line); derr == nil {
				line = dl
				d.latin1++
			}
		}
		d.pending = line
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

// detectSeparator picks the separator that splits the sample's lines into
// the same number of cells most often (quotes respected), preferring more
// cells; ';' wins ties as Italian exports use it.
func detectSeparator(sample []byte) rune {
	lines := bytes.Split(sample, []byte{'\n'})
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut short
	}
	if len(lines) > 50 {
		lines = lines[:50]
	}
	best, bestScore := ';', -1
	for _, sep := range []rune{';', '\t', ',', '|'} {
		counts := map[int]int{}
		for _, l := range lines {
			if n := countOutsideQuotes(l, byte(sep)); n > 0 {
				counts[n]++
			}
		}
		mode, freq := 0, 0
		for n, f := range counts {
			if f > freq || f == freq && n > mode {
				mode, freq = n, f
			}
		}
		score := freq*100 + mode
		if freq > 0 && score > bestScore {
			best, bestScore = sep, score
		}
	}
	return best
}

func countOutsideQuotes(l []byte, sep byte) int {
	n, inQ := 0, false
	for _, c := range l {
		switch {
		case c == '"':
			inQ = !inQ
		case c == sep && !inQ:
			n++
		}
	}
	return n
}

// repairMojibake undoes UTF-8 text that was read as Windows-1252 and
// written back as UTF-8 ("MondovÃ¬" -> "Mondovì"), the usual damage of a
// UTF-8 export opened and saved by a spreadsheet. Text that does not
// decode back to valid UTF-8 is left alone.
func repairMojibake(s string) string {
	if !strings.ContainsAny(s, "ÃÂâ") {
		return s
	}
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil || !utf8.Valid(b) || len(b) == len(s) {
		return s
	}
	return string(b)
}
