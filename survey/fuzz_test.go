package survey

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

var (
	fuzzOnce sync.Once
	fuzzIm   *Importer
	fuzzErr  error
)

func fuzzImporter(tb testing.TB) *Importer {
	tb.Helper()
	dir := testenv.SharedData(tb)
	fuzzOnce.Do(func() {
		gaz, err := fabbisogni.LoadGazetteer(filepath.Join(dir, "istat", "Elenco-comuni-italiani.csv"))
		if err != nil {
			fuzzErr = err
			return
		}
		at, err := LoadATECO(filepath.Join(dir, "istat", "ateco2007-2022.xml"))
		if err != nil {
			fuzzErr = err
			return
		}
		cfg := DefaultConfig()
		cfg.Gazetteer, cfg.ATECO = gaz, at
		cfg.Now = func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }
		fuzzIm, fuzzErr = NewImporter(cfg)
	})
	if fuzzErr != nil {
		tb.Fatal(fuzzErr)
	}
	return fuzzIm
}

const fuzzHeader = "Ragione sociale;Partita IVA;Codice fiscale;Codice ATECO;Comune / Sede operativa;Esito contatto;Data contatto;Canale;Figura professionale ricercata;N. assunzioni previste;Entro quando / Periodo;Tipo contratto;Competenze richieste;Difficoltà di reperimento;Motivo difficoltà;Note;Referente;Telefono;Email\n"

// FuzzParseRow feeds one data row under the standard header. Invariants:
// no panic; every row is either emitted or rejected; an emitted record
// validates; a reject names its row and a reason; the contact person's
// e-mail never comes out.
func FuzzParseRow(f *testing.F) {
	for _, s := range []string{
		"Rossi Meccanica srl;12345678903;;29.32.09;Moncalieri (TO);Raggiunta;2 settembre 2026;Tel.;Operatore CNC;2;entro 3 mesi;;CNC;Alta;;;Mario Quagliotti;011 555 0101;m.q@example.it",
		"Lanificio;01234567897;RSSMRA85T10A562S;13.20;Biella;Rifiuta;02/09/26;;;;;;;;;nota;;;",
		";;;;;;;;Saldatore;1;Q1 2027;;;;;;;;",
		"\"a;b\";\"12345678903\";x;99;Torino;ok;46267;;x;-3;oltre;;;;;;;;",
		"X;IT12345678903;12345678903;2932.09;Comune di Torino;raggiunta;2026-09-02T10:00:00Z;PEC;Y;2-3;dicembre 2026;;;sì;;;;;",
	} {
		f.Add(s)
	}
	im := fuzzImporter(f)
	f.Fuzz(func(t *testing.T, line string) {
		body := fuzzHeader + line + "\n"
		var emitted, rejected int
		st, err := im.Import(context.Background(), "fuzz.csv", strings.NewReader(body),
			func(_ context.Context, r fabbisogni.SurveyRecord) error {
				emitted++
				if err := r.Validate(); err != nil {
					t.Errorf("emitted an invalid record: %v", err)
				}
				return nil
			},
			func(e RowError) {
				rejected++
				if e.Row < 2 || e.Reason == "" || e.File != "fuzz.csv" {
					t.Errorf("reject without position or reason: %#v", e)
				}
			})
		if err != nil {
			return // a line that breaks the header is a whole-file error
		}
		if st.Accepted != emitted || st.Rejected != rejected || st.Rows != emitted+rejected {
			t.Errorf("stats %+v, emitted %d rejected %d", st, emitted, rejected)
		}
	})
}

// FuzzParseFields checks the field parsers never panic and keep their
// promises.
func FuzzParseFields(f *testing.F) {
	for _, s := range []string{"02/09/2026", "2 settembre 2026", "entro 3 mesi", "Q1 2027", "-2", "1-2", "29.32.09", "RSSMRA85T10A562S", "sig.ra Rossi 333 1234567"} {
		f.Add(s)
	}
	contact := time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := parseDate(s); err == nil && (d.Year() < 1899 || d.Year() > 2100) {
			t.Errorf("parseDate(%q) = %v", s, d)
		}
		if h, err := parseHorizon(s, contact); err == nil && h != fabbisogni.Horizon3Months && h != fabbisogni.Horizon12Months && h != fabbisogni.HorizonBeyond {
			t.Errorf("parseHorizon(%q) = %q", s, h)
		}
		if n, err := parseHires(s); err == nil && n < 1 {
			t.Errorf("parseHires(%q) = %d", s, n)
		}
		parseOutcome(s)
		parseDifficulty(s)
		normATECO(s)
		ValidPartitaIVA(s)
		ValidCodiceFiscale(s)
		NormalizeFirmName(s)
		sc := newScrubber([]string{s})
		if out := sc.clean(s + " a@b.it"); strings.Contains(out, "a@b.it") {
			t.Errorf("clean kept an e-mail: %q", out)
		}
	})
}
