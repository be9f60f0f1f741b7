package survey_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/survey"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// One small export written every way the operators' tools write it: the
// importer must read the same two records from each.
func TestImportEncodingsAndSeparators(t *testing.T) {
	rows := [][]string{
		{"Esportazione del 30/09/2026"},
		{},
		{"Denominazione", "P.IVA", "ATECO", "Località", "Prov.", "Esito", "Data", "Qualifica", "Numero assunzioni", "Tempistica", "Difficoltà"},
		{"Caseificio Mondovì S.r.l.", "12345678903", "10.51.20", "Mondovì", "CN", "Raggiunta", "02/09/2026", "Casaro è richiesto", "2", "entro 3 mesi", "Alta"},
		{"Tessitura Biellese s.p.a.", "01234567897", "132000", "Biella", "BI", "Raggiunta", "2/9/26", "Tessitore", "1", "6-12 mesi", "Media"},
	}
	encode := func(sep rune) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.Comma = sep
		w.WriteAll(rows)
		return b.String()
	}
	latin1 := func(s string) []byte { b, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(s)); return b }
	utf16 := func(s string) []byte {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"semicolon-utf8", []byte(encode(';'))},
		{"comma-utf8-bom", append([]byte{0xEF, 0xBB, 0xBF}, encode(',')...)},
		{"tab-latin1", latin1(encode('\t'))},
		{"semicolon-latin1-crlf", latin1(strings.ReplaceAll(encode(';'), "\n", "\r\n"))},
		{"tab-utf16", utf16(encode('\t'))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name+".csv")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			recs, rejects, st := importAll(t, MustImporter(t), path)
			if st.Accepted != 2 || st.Rejected != 0 {
				t.Fatalf("stats %+v, rejects %v", st, rejects)
			}
			if recs[0].Firm.MunicipalityName != "Mondovì" || recs[0].Firm.Name != "CASEIFICIO MONDOVÌ SRL" || recs[0].Needs[0].OccupationText != "Casaro è richiesto" {
				t.Errorf("record 0: %+v %+v", recs[0].Firm, recs[0].Needs)
			}
			if recs[1].Firm.ATECO != "13.20.00" || recs[1].Needs[0].Horizon != fabbisogni.Horizon12Months || recs[1].Needs[0].Difficulty != 2 {
				t.Errorf("record 1: %+v %+v", recs[1].Firm, recs[1].Needs)
			}
		})
	}
}

func TestImportNoHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vuoto.csv")
	os.WriteFile(path, []byte("a;b;c\n1;2;3\n"), 0o600)
	_, err := MustImporter(t).ImportFile(context.Background(), path, func(context.Context, fabbisogni.SurveyRecord) error { return nil }, nil)
	if err == nil || !strings.Contains(err.Error(), "vuoto.csv") || !strings.Contains(err.Error(), "no header row") {
		t.Errorf("err = %v", err)
	}
	if _, err := MustImporter(t).ImportFile(context.Background(), filepath.Join(t.TempDir(), "missing.csv"), nil, nil); err == nil {
		t.Error("missing file: no error")
	}
}

func TestLoadMapping(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mapping.json")
	os.WriteFile(path, []byte(`{"ragione_sociale": ["Nome ditta"], "assunzioni": ["Quanti"], "periodo": ["Quando"]}`), 0o600)
	m, err := survey.LoadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	gaz, at := reference(t)
	cfg := survey.DefaultConfig()
	cfg.Mapping, cfg.Gazetteer, cfg.ATECO = m, gaz, at
	im, err := survey.NewImporter(cfg)
	if err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "ditte.csv")
	os.WriteFile(csvPath, []byte("Nome ditta;Partita IVA;Comune;Esito;Data;Figura professionale;Quanti;Quando\n"+
		"Rossi srl;12345678903;Chieri;Raggiunta;2026-09-02;Carrellista;4;subito\n"), 0o600)
	recs, _, st := importAll(t, im, csvPath)
	// No Campaign configured: the campaign is named after the file.
	if st.Accepted != 1 || recs[0].Firm.Name != "ROSSI SRL" || recs[0].Needs[0].Hires != 4 || recs[0].Contact.Campaign != "ditte" || recs[0].Provenance.Source != "ditte" {
		t.Errorf("stats %+v records %+v", st, recs)
	}
	os.WriteFile(path, []byte(`{"nome": ["X"]}`), 0o600)
	if _, err := survey.LoadMapping(path); err == nil || !strings.Contains(err.Error(), `unknown field "nome"`) {
		t.Errorf("err = %v", err)
	}
	os.WriteFile(path, []byte(`{"note": ["Partita IVA"]}`), 0o600)
	if _, err := survey.LoadMapping(path); err == nil || !strings.Contains(err.Error(), "names both") {
		t.Errorf("err = %v", err)
	}
}

func TestRejectsWriter(t *testing.T) {
	var b bytes.Buffer
	rw := survey.NewRejectsWriter(&b)
	rw.Reject(survey.RowError{File: "a.xlsx", Sheet: "Torino", Row: 7, Column: "Partita IVA", Value: "123", Reason: "partita IVA has 3 digits, want 11"})
	rw.Reject(survey.RowError{File: "a.xlsx", Sheet: "Torino", Row: 9, Reason: "duplicate of row 8"})
	if err := rw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "file;sheet;row;column;value;reason\na.xlsx;Torino;7;Partita IVA;123;partita IVA has 3 digits, want 11\na.xlsx;Torino;9;;;duplicate of row 8\n"
	if b.String() != want || rw.Count() != 2 {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestLookupPlaceForms(t *testing.T) {
	body := "Ragione sociale;Partita IVA;Comune / Sede operativa;Esito contatto;Data contatto\n" +
		"A srl;12345678903;10024 Moncalieri;Raggiunta;2026-09-02\n" +
		"B srl;01234567897;Via Italia 12, Biella;Raggiunta;2026-09-02\n" +
		"C srl;00743110157;Fossano (CN);Raggiunta;2026-09-02\n" +
		"D srl;02345678904;Via Roma 3, Nessunluogo;Raggiunta;2026-09-02\n"
	var codes []string
	var rejects []survey.RowError
	_, err := MustImporter(t).Import(context.Background(), "luoghi.csv", strings.NewReader(body), func(_ context.Context, r fabbisogni.SurveyRecord) error {
		codes = append(codes, r.Firm.MunicipalityCode)
		return nil
	}, func(e survey.RowError) { rejects = append(rejects, e) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(codes, ",") != "001156,096004,004089" {
		t.Errorf("codes %v", codes)
	}
	if len(rejects) != 1 || !strings.Contains(rejects[0].Reason, "not in the ISTAT list") {
		t.Errorf("rejects %v", rejects)
	}
}
