package survey

import (
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

func TestValidPartitaIVA(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"12345678903", true},
		{"IT 12345678903", true},
		{"123 456 789 03", true},
		{"12345678901", false}, // check digit
		{"1234567890", false},  // 10 digits
		{"1234567890A", false},
		{"00000000000", false},
		{"", false},
	} {
		if got := ValidPartitaIVA(tc.in); got != tc.want {
			t.Errorf("ValidPartitaIVA(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidCodiceFiscale(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"RSSMRA85T10A562S", true},
		{"rssmra85t10a562s", true},
		{"RSSMRA85T10A562T", false}, // check letter
		{"RSSMRA85T10A56", false},
		{"RSSMRA85Z10A562S", false}, // no month Z
		{"12345678903", true},       // a legal entity's
		{"12345678901", false},
	} {
		if got := ValidCodiceFiscale(tc.in); got != tc.want {
			t.Errorf("ValidCodiceFiscale(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestNormalizeFirmName(t *testing.T) {
	for in, want := range map[string]string{
		"Rossi Meccanica S.r.l.":          "ROSSI MECCANICA SRL",
		"rossi meccanica srl":             "ROSSI MECCANICA SRL",
		"Rossi  Meccanica s. r. l.":       "ROSSI MECCANICA SRL",
		"ROSSI MECCANICA S.R.L":           "ROSSI MECCANICA SRL",
		"Lanificio Alfa S.p.A.":           "LANIFICIO ALFA SPA",
		"Cantina Beta Soc. Coop.":         "CANTINA BETA SOC COOP",
		"Fratelli Gamma & C. S.n.c.":      "FRATELLI GAMMA & C SNC",
		"Agricola Delta Società Agricola": "AGRICOLA DELTA SOC AGR",
	} {
		if got := NormalizeFirmName(in); got != want {
			t.Errorf("NormalizeFirmName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"02/09/2026", "2/9/26", "2026-09-02", "2 settembre 2026", "02.09.2026", "02-09-2026", "mercoledì 2 settembre 2026", "2026-09-02T10:30:00Z", "02/09/2026 10:30", "46267"} {
		got, err := parseDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "31/02/2026", "2026-13-01", "ieri", "2 brumaio 2026", "02/09"} {
		if got, err := parseDate(in); err == nil {
			t.Errorf("parseDate(%q) = %v, want an error", in, got)
		}
	}
}

func TestParseHorizon(t *testing.T) {
	contact := time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"Entro 3 mesi":         fabbisogni.Horizon3Months,
		"subito":               fabbisogni.Horizon3Months,
		"1-3 mesi":             fabbisogni.Horizon3Months,
		"entro fine anno":      fabbisogni.Horizon3Months,
		"dicembre 2026":        fabbisogni.Horizon3Months,
		"3-6 mesi":             fabbisogni.Horizon12Months,
		"6-12 mesi":            fabbisogni.Horizon12Months,
		"Q1 2027":              fabbisogni.Horizon12Months,
		"primo trimestre 2027": fabbisogni.Horizon12Months,
		"1° trimestre 2027":    fabbisogni.Horizon12Months,
		"marzo 2027":           fabbisogni.Horizon12Months,
		"entro 31/03/2027":     fabbisogni.Horizon12Months,
		"oltre 12 mesi":        fabbisogni.HorizonBeyond,
		"più di un anno":       fabbisogni.HorizonBeyond,
		"2028":                 fabbisogni.HorizonBeyond,
		"18 mesi":              fabbisogni.HorizonBeyond,
	} {
		got, err := parseHorizon(in, contact)
		if err != nil || got != want {
			t.Errorf("parseHorizon(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "boh", "gennaio 2020"} {
		if got, err := parseHorizon(in, contact); err == nil {
			t.Errorf("parseHorizon(%q) = %q, want an error", in, got)
		}
	}
}

func TestParseHires(t *testing.T) {
	for in, want := range map[string]int{"3": 3, "3 unità": 3, "2-3": 2, "due": 2, "1,0": 1, "10 persone": 10} {
		if got, err := parseHires(in); err != nil || got != want {
			t.Errorf("parseHires(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-2", "tanti", "99999"} {
		if got, err := parseHires(in); err == nil {
			t.Errorf("parseHires(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseOutcome(t *testing.T) {
	for in, want := range map[string]string{
		"Raggiunta": fabbisogni.OutcomeReached, "Intervista completata": fabbisogni.OutcomeReached,
		"Nessun fabbisogno": fabbisogni.OutcomeReached, "Rifiuta": fabbisogni.OutcomeRefused,
		"Non interessata": fabbisogni.OutcomeRefused, "Non risponde": fabbisogni.OutcomeNoAnswer,
		"Numero errato": fabbisogni.OutcomeWrongNumber, "Da richiamare": fabbisogni.OutcomeCallBack,
	} {
		if got, err := parseOutcome(in); err != nil || got != want {
			t.Errorf("parseOutcome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parseOutcome("forse"); err == nil {
		t.Error("parseOutcome(forse): no error")
	}
}

func TestScrubber(t *testing.T) {
	sc := newScrubber([]string{"Gualtiero Brusasco", "011 555 0101", "g.brusasco@example.it"})
	for in, want := range map[string]string{
		"Saldatore, chiedere di Brusasco":             "Saldatore, chiedere di [nome]",
		"CV a g.brusasco@example.it o hr@example.com": "CV a [email] o [email]",
		"tel. +39 011 555 0101 oppure 333-1234567":    "tel. [telefono] oppure [telefono]",
		"parlato con la sig.ra Ernestina Capellaro":   "parlato con la sig.ra [nome]",
		"Dott. Rossi responsabile":                    "Dott. [nome] responsabile",
		"Operatore CNC, 2 turni, 40 ore, CCNL 2024":   "Operatore CNC, 2 turni, 40 ore, CCNL 2024",
		"referente GUALTIERO per i colloqui":          "referente [nome] per i colloqui",
	} {
		if got := sc.clean(in); got != want {
			t.Errorf("clean(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

func TestDetectSeparator(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rune
	}{
		{"a;b;c\n1;2;3\n", ';'},
		{"a,b,c\n1,2,3\n", ','},
		{"a\tb\tc\n1\t2,5\t3\n", '\t'},
		{"Titolo\n\na;\"b,c\";d\n1;\"2,5\";3\n", ';'},
	} {
		if got := detectSeparator([]byte(tc.in)); got != tc.want {
			t.Errorf("detectSeparator(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRepairMojibake(t *testing.T) {
	for in, want := range map[string]string{
		"MondovÃ¬":              "Mondovì",
		"DifficoltÃ\u00a0 alta": "Difficoltà alta",
		"Mondovì":               "Mondovì",
		"Ã":                     "Ã",
		"prezzo â‚¬ 10":         "prezzo € 10",
		"plain ascii":           "plain ascii",
	} {
		if got := repairMojibake(in); got != want {
			t.Errorf("repairMojibake(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseOutcomeNegations(t *testing.T) {
	for in, want := range map[string]string{
		"Non contattata": fabbisogni.OutcomeNoAnswer,
		"Non raggiunta":  fabbisogni.OutcomeNoAnswer,
		"OK":             fabbisogni.OutcomeReached,
		"Contattata":     fabbisogni.OutcomeReached,
	} {
		if got, err := parseOutcome(in); err != nil || got != want {
			t.Errorf("parseOutcome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := parseOutcome("non ok"); err == nil && got == fabbisogni.OutcomeReached {
		t.Errorf("parseOutcome(non ok) = reached")
	}
}
