package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

// seekerProfiles are plausible (ISCO-08 code, education, skills) triples
// for the three districts.
var seekerProfiles = []struct{ isco, edu, skills string }{
	{"7223", "Diploma di istituto tecnico", "tornio CNC, fresatrice, lettura disegno tecnico"},
	{"7212", "Qualifica professionale IeFP", "saldatura MIG/MAG, carpenteria metallica"},
	{"8211", "Licenza media", "montaggio componenti, avvitatori, lavoro su turni"},
	{"7233", "Diploma di istituto tecnico", "manutenzione meccanica, pneumatica, PLC di base"},
	{"3115", "Laurea triennale in ingegneria meccanica", "CATIA, disegno 3D, controllo qualità"},
	{"7318", "Diploma professionale", "tessitura, controllo pezze, rammendo"},
	{"8151", "Licenza media", "conduzione filatoi, cambio spole"},
	{"8152", "Qualifica professionale IeFP", "conduzione telai, cambio articolo"},
	{"7512", "Qualifica professionale", "pasticceria, lievitati, laboratorio"},
	{"7513", "Diploma di istituto agrario", "lavorazione latte, caseificazione"},
	{"9211", "Licenza media", "raccolta frutta, potatura, lavoro all'aperto"},
	{"8160", "Diploma", "linea di confezionamento, HACCP"},
	{"8332", "Licenza media", "patente C, CQC, consegne"},
	{"2145", "Laurea magistrale in chimica", "analisi di laboratorio, sicurezza alimentare"},
	{"4321", "Diploma di ragioneria", "gestione magazzino, SAP, carrello elevatore"},
}

// codiceFiscale builds a syntactically valid personal codice fiscale with
// its check letter (for the deliberately bad, not pseudonymised row).
func codiceFiscale(rng *rand.Rand) string {
	letters := "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 0, 16)
	for i := 0; i < 6; i++ {
		b = append(b, letters[rng.IntN(26)])
	}
	b = append(b, fmt.Sprintf("%02d", 60+rng.IntN(40))...)
	b = append(b, "ABCDEHLMPRST"[rng.IntN(12)])
	b = append(b, fmt.Sprintf("%02d", 1+rng.IntN(28))...)
	b = append(b, 'L')
	b = append(b, fmt.Sprintf("%03d", rng.IntN(1000))...)
	odd := [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i, c := range b {
		v := int(c - 'A')
		if c >= '0' && c <= '9' {
			v = int(c - '0')
		}
		if i%2 == 0 {
			sum += odd[v]
		} else {
			sum += v
		}
	}
	return string(append(b, byte('A'+sum%26)))
}

// writeSeekers writes a pseudonymised job-seeker export of n profiles plus
// 5 bad rows: an id that is a codice fiscale, an unknown municipality, an
// ISCO code with letters, a registration date that does not exist, and a
// duplicated row. Some rows carry a contact person's name in a Nominativo
// column (an operator's mistake the import must drop).
func writeSeekers(rng *rand.Rand, n int, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Comma = ';'
	w.Write([]string{"ID candidato", "Comune di domicilio", "Provincia", "ISCO ultima occupazione", "Titolo di studio", "Competenze dichiarate", "Data iscrizione", "Nominativo"})
	var rows [][]string
	for i := 0; i < n; i++ {
		d := districts[i%len(districts)]
		p := seekerProfiles[rng.IntN(len(seekerProfiles))]
		name := ""
		if rng.IntN(10) == 0 {
			name = pick(rng, givenNames) + " " + pick(rng, personSurnames)
		}
		skills := p.skills
		if name != "" && rng.IntN(2) == 0 {
			skills += "; segnalato da " + name
		}
		rows = append(rows, []string{
			fmt.Sprintf("PSN-%08x", rng.Uint32()), strings.Split(pick(rng, d.towns), " (")[0], d.abbr, p.isco, p.edu, skills,
			fmt.Sprintf("%02d/%02d/2026", 1+rng.IntN(28), 1+rng.IntN(9)), name,
		})
	}
	bad := func(mut func(r []string)) {
		r := append([]string(nil), rows[rng.IntN(len(rows))]...)
		r[0] = fmt.Sprintf("PSN-%08x", rng.Uint32())
		mut(r)
		at := rng.IntN(len(rows))
		rows = append(rows[:at], append([][]string{r}, rows[at:]...)...)
	}
	bad(func(r []string) { r[0] = codiceFiscale(rng) })
	bad(func(r []string) { r[1] = "Biellina Alta" })
	bad(func(r []string) { r[3] = "72A3" })
	bad(func(r []string) { r[6] = "30/02/2026" })
	at := len(rows) / 2
	rows = append(rows[:at+1], append([][]string{append([]string(nil), rows[at]...)}, rows[at+1:]...)...)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}
