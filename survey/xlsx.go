package survey

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxStreamLimit is the size of a worksheet's XML above which excelize
// unzips it to a temporary file and streams it instead of holding it in
// memory.
const xlsxStreamLimit = 1 << 20

// xlsx reads every sheet of a workbook with excelize's streaming row
// iterator. A sheet without a header row (instructions, totals) is skipped;
// the workbook is rejected only when no sheet has one. Vertically merged
// cells give their value to every row of the range, so a firm written once
// across its needs' rows reads right.
func (run *fileRun) xlsx(ctx context.Context, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	merges, err := xlsxMerges(b)
	if err != nil {
		return fmt.Errorf("not an XLSX workbook: %w", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipXMLSizeLimit: xlsxStreamLimit})
	if err != nil {
		return fmt.Errorf("not an XLSX workbook: %w", err)
	}
	defer f.Close()
	b = nil //nolint:ineffassign // let the bytes go before the rows are read
	found := false
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
		t := &xlsxTable{sheet: sheet, rows: rows, merges: merges[sheet]}
		ok, err := run.table(ctx, t)
		cerr := rows.Close()
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
		if cerr != nil {
			return fmt.Errorf("sheet %q: %w", sheet, cerr)
		}
		if !ok {
			run.im.log.Info("survey sheet without header skipped", "file", run.file, "sheet", sheet)
		}
		found = found || ok
	}
	if !found {
		return fmt.Errorf("no sheet has a header row in its first %d rows (want headers such as %s)", run.im.cfg.MaxHeaderScan, run.headerHint)
	}
	return nil
}

// cellRange is a merged range, 0-based columns and 1-based rows.
type cellRange struct{ col0, row0, col1, row1 int }

// xlsxTable is one sheet.
type xlsxTable struct {
	sheet  string
	rows   *excelize.Rows
	row    int
	merges []cellRange // not yet reached, sorted by first row
	active []cellRange
	top    map[[2]int]string // top-left values of merged ranges met so far
}

func (t *xlsxTable) Sheet() string { return t.sheet }

func (t *xlsxTable) Next() ([]string, int, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return nil, 0, err
		}
		return nil, 0, io.EOF
	}
	t.row++
	// Raw values: dates as day numbers (parseDate reads them) rather than
	// in whatever display format the cell has.
	cells, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, t.row, &cellsError{row: t.row, err: err}
	}
	// merges are sorted by first row: move the ones starting here into the
	// active set, drop the ones that ended.
	for len(t.merges) > 0 && t.merges[0].row0 <= t.row {
		t.active = append(t.active, t.merges[0])
		t.merges = t.merges[1:]
	}
	keep := t.active[:0]
	for _, m := range t.active {
		if m.row1 >= t.row {
			keep = append(keep, m)
		} else {
			delete(t.top, [2]int{m.col0, m.row0})
		}
	}
	t.active = keep
	for _, m := range t.active {
		if t.row == m.row0 {
			if m.col0 < len(cells) {
				if t.top == nil {
					t.top = map[[2]int]string{}
				}
				t.top[[2]int{m.col0, m.row0}] = cells[m.col0]
			}
			continue
		}
		v := t.top[[2]int{m.col0, m.row0}]
		for c := m.col0; c <= m.col1; c++ {
			for len(cells) <= c {
				cells = append(cells, "")
			}
			if cells[c] == "" {
				cells[c] = v
			}
		}
	}
	return cells, t.row, nil
}

// xlsxMerges reads the merged ranges of every sheet from the workbook's
// XML, token by token, without holding a sheet in memory.
func xlsxMerges(b []byte) (map[string][]cellRange, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	open := func(name string) (io.ReadCloser, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("missing %s", name)
		}
		return f.Open()
	}
	// Sheet names -> relationship ids -> worksheet paths.
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	for name, v := range map[string]any{"xl/workbook.xml": &wb, "xl/_rels/workbook.xml.rels": &rels} {
		rc, err := open(name)
		if err != nil {
			return nil, err
		}
		err = xml.NewDecoder(rc).Decode(v)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	out := map[string][]cellRange{}
	for _, s := range wb.Sheets {
		rc, err := open(target[s.RID])
		if err != nil {
			continue // a chart sheet or a broken link: excelize will say
		}
		ranges, err := scanMerges(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		sort.Slice(ranges, func(i, j int) bool { return ranges[i].row0 < ranges[j].row0 })
		out[s.Name] = ranges
	}
	return out, nil
}

// scanMerges collects the <mergeCell ref="A2:A4"/> elements of a sheet.
func scanMerges(r io.Reader) ([]cellRange, error) {
	d := xml.NewDecoder(r)
	var out []cellRange
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "mergeCell" {
			continue
		}
		for _, a := range se.Attr {
			if a.Name.Local != "ref" {
				continue
			}
			from, to, ok := strings.Cut(a.Value, ":")
			if !ok {
				continue
			}
			c0, r0, err1 := excelize.CellNameToCoordinates(from)
			c1, r1, err2 := excelize.CellNameToCoordinates(to)
			if err := errors.Join(err1, err2); err != nil {
				continue
			}
			out = append(out, cellRange{c0 - 1, r0, c1 - 1, r1})
		}
	}
}
