// Command gencampaign writes the sample contact-campaign exports of
// testdata/survey: invented firms of the three districts (automotive around
// Torino, textile around Biella, agri-food around Cuneo and Fossano) with
// partite IVA whose check digit is computed here, real ATECO codes and
// real municipalities, invented contact persons with fake phone numbers and
// example.* e-mail addresses, and a fixed set of deliberately bad rows.
//
//	go run ./survey/internal/gencampaign -firms 60 -out testdata/survey/campagna-autunno-2026.csv
//
// Output is deterministic for a given -seed. It prints, on stderr, the
// number of rows, bad rows by kind, and the needs the good rows declare.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

type district struct {
	prov      string // ISTAT province code, also the tax office code of the partita IVA
	abbr      string
	towns     []string
	ateco     []string
	suffixes  []string
	occs      []need
	reasons   []string
	firmWords []string
}

type need struct{ occ, skills, contract string }

var districts = []district{
	{
		prov: "001", abbr: "TO",
		towns:     []string{"Torino", "Moncalieri", "Nichelino", "Rivoli", "Collegno", "Grugliasco", "Orbassano", "Beinasco", "Chieri", "Settimo Torinese", "Venaria Reale", "Pinerolo", "Ivrea", "Chivasso", "Carmagnola", "Volvera", "Rivalta di Torino", "Avigliana", "Leinì", "San Mauro Torinese", "Druento", "Trofarello"},
		ateco:     []string{"29.32.09", "29.32.01", "29.31.00", "29.20.00", "29.10.00", "28.41.00", "28.99.20", "25.62.00", "25.61.00", "25.50.00", "22.29.09", "27.90.09", "28.15.10"},
		firmWords: []string{"Meccanica", "Componenti Auto", "Stampaggi", "Automotive", "Carrozzerie", "Ingranaggi", "Torneria", "Tecnoplast", "Cablaggi", "Robotica"},
		occs: []need{
			{"Operatore CNC", "programmazione CNC, lettura disegno tecnico, strumenti di misura", "tempo determinato 12 mesi"},
			{"Saldatore a filo", "saldatura MIG/MAG, lettura disegno, patentino saldatura", "somministrazione"},
			{"Manutentore meccatronico", "PLC Siemens, pneumatica, oleodinamica, manutenzione preventiva", "tempo indeterminato"},
			{"Addetto al montaggio", "assemblaggio componenti, uso avvitatori, controllo qualità", "tempo determinato"},
			{"Tecnico qualità", "metrologia, FMEA, norme IATF 16949, uso CMM", "tempo indeterminato"},
			{"Progettista meccanico", "CATIA V5, disegno 3D, tolleranze geometriche, inglese tecnico", "tempo indeterminato"},
			{"Programmatore PLC", "PLC Siemens TIA Portal, robot ABB, sicurezza macchine", "tempo indeterminato"},
			{"Carrellista", "patentino carrello elevatore, gestione magazzino, SAP", "somministrazione"},
			{"Attrezzista stampaggio", "attrezzaggio presse, cambio stampi, lettura disegno", "apprendistato"},
			{"Collaudatore elettrico", "cablaggi, multimetro, schemi elettrici, diagnosi guasti", "tempo determinato 6 mesi"},
		},
		reasons: []string{"pochi candidati con esperienza", "concorrenza di altre aziende del settore", "competenze tecniche specifiche", "turni notturni poco graditi"},
	},
	{
		prov: "096", abbr: "BI",
		towns:     []string{"Biella", "Cossato", "Vigliano Biellese", "Candelo", "Valdilana", "Gaglianico", "Sandigliano", "Occhieppo Inferiore", "Pollone", "Mongrando", "Lessona", "Masserano", "Tollegno", "Andorno Micca", "Pralungo", "Ponderano", "Verrone"},
		ateco:     []string{"13.10.00", "13.20.00", "13.30.00", "13.91.00", "13.96.20", "13.99.90", "14.13.10", "14.39.00", "14.19.10", "28.94.10"},
		firmWords: []string{"Lanificio", "Tessitura", "Filatura", "Tintoria", "Finissaggio", "Maglificio", "Pettinatura", "Tessuti", "Filati", "Confezioni"},
		occs: []need{
			{"Tessitore", "conduzione telai, controllo difetti del tessuto, cambio articolo", "tempo indeterminato"},
			{"Rammendatrice", "rammendo a mano, controllo pezze, precisione", "tempo determinato"},
			{"Tecnico di tintoria", "ricette colore, colorimetria, gestione autoclavi", "tempo indeterminato"},
			{"Addetto al finissaggio", "conduzione macchine di finissaggio, follatura, garzatura", "apprendistato"},
			{"Filatore", "conduzione filatoi, controllo titolo del filato, manutenzione ordinaria", "tempo determinato 12 mesi"},
			{"Disegnatore tessile", "CAD tessile, armature, messa in carta, inglese", "tempo indeterminato"},
			{"Magazziniere", "gestione magazzino, carrello elevatore, spedizioni", "somministrazione"},
			{"Addetto controllo qualità tessile", "prove di laboratorio, dinamometro, norme ISO", "tempo determinato"},
			{"Manutentore telai", "meccanica dei telai, elettropneumatica, ricambi", "tempo indeterminato"},
		},
		reasons: []string{"figure non più formate dalle scuole", "età media alta del personale", "lavoro su turni", "zona poco servita dai trasporti"},
	},
	{
		prov: "004", abbr: "CN",
		towns:     []string{"Cuneo", "Fossano", "Alba", "Bra", "Savigliano", "Saluzzo", "Mondovì", "Borgo San Dalmazzo", "Busca", "Dronero", "Centallo", "Genola", "Cherasco", "Racconigi", "Caraglio", "Boves", "Sommariva del Bosco", "Cervasca"},
		ateco:     []string{"10.13.00", "10.51.20", "10.71.10", "10.72.00", "10.82.00", "10.39.00", "10.91.00", "11.02.10", "01.24.00", "01.21.00", "01.41.00", "01.46.00", "28.93.00"},
		firmWords: []string{"Salumificio", "Caseificio", "Dolciaria", "Frutta", "Cantina", "Mangimi", "Conserve", "Panificio", "Agricola", "Carni"},
		occs: []need{
			{"Operaio addetto alla linea di confezionamento", "conduzione linea, igiene HACCP, controllo peso", "stagionale"},
			{"Casaro", "lavorazione latte, stagionatura, igiene alimentare", "tempo indeterminato"},
			{"Addetto alla raccolta frutta", "raccolta, cernita, lavoro all'aperto", "stagionale"},
			{"Macellaio sezionatore", "sezionatura carni, uso coltelli, HACCP", "tempo indeterminato"},
			{"Tecnologo alimentare", "sicurezza alimentare, BRC IFS, analisi di laboratorio", "tempo indeterminato"},
			{"Conduttore di macchine agricole", "patente trattore, manutenzione mezzi, potatura", "tempo determinato"},
			{"Pasticcere", "lievitati, cioccolato, laboratorio artigianale", "apprendistato"},
			{"Cantiniere", "vinificazione, imbottigliamento, pulizia vasche", "stagionale"},
			{"Manutentore elettromeccanico", "impianti di refrigerazione, PLC, quadri elettrici", "tempo indeterminato"},
			{"Autista patente C", "patente C e CQC, consegne, cronotachigrafo", "tempo determinato"},
		},
		reasons: []string{"stagionalità del lavoro", "scarsità di candidati nella zona", "orari disagiati", "competenze specialistiche"},
	},
}

var (
	firmSurnames = []string{"Aimone", "Barbero", "Bertola", "Bosio", "Chiabrera", "Dematteis", "Fenoglio", "Gallesio", "Garelli", "Giordanengo", "Lingua", "Manassero", "Marengo", "Mellano", "Olivero", "Peano", "Quaranta", "Ravera", "Rinaudo", "Sciolla", "Testa", "Tomatis", "Vallauri", "Viale", "Zocco", "Ferrero", "Cerrato", "Sella", "Zegna", "Botto", "Piana", "Ormezzano", "Vitale", "Bocca", "Ghirardi"}
	// Contact persons: invented, from lists disjoint from the firm names.
	givenNames     = []string{"Mariangela", "Gianpiero", "Loredana", "Ottavio", "Ernestina", "Rodolfo", "Graziella", "Evaristo", "Donatella", "Ermanno", "Rosalba", "Teodoro", "Clelia", "Gualtiero", "Ivonne", "Settimio"}
	personSurnames = []string{"Quagliotti", "Brusasco", "Ferrandino", "Capellaro", "Sperandeo", "Tubaldo", "Gianoglio", "Marchisone", "Vercellotti", "Pittavino", "Scaglione", "Borsotto", "Camurati", "Defilippi", "Lusardi", "Nervo"}
	legalForms     = []string{"S.r.l.", "SRL", "s.r.l.", "S.p.A.", "Srl", "S.n.c.", "S.a.s.", "s.r.l", "SPA", "Soc. Coop."}
	channels       = []string{"Telefono", "telefonico", "Email", "Visita in azienda", "Tel.", "PEC", "Videochiamata"}
	horizons       = []string{"Entro 3 mesi", "entro 3 mesi", "3-6 mesi", "6-12 mesi", "Subito", "entro fine anno", "oltre 12 mesi", "Q1 2027", "marzo 2027", "1-3 mesi", "entro 6 mesi", "primo trimestre 2027"}
	difficulties   = []string{"Alta", "Media", "Bassa", "Sì", "No", "", "alta", "media"}
)

var header = []string{"Ragione sociale", "Partita IVA", "Codice fiscale", "Codice ATECO", "Comune / Sede operativa", "Esito contatto", "Data contatto", "Canale", "Figura professionale ricercata", "N. assunzioni previste", "Entro quando / Periodo", "Tipo contratto", "Competenze richieste", "Difficoltà di reperimento", "Motivo difficoltà", "Note", "Referente", "Telefono", "Email"}

type row map[string]string

func main() {
	firms := flag.Int("firms", 60, "number of good firms")
	seed := flag.Uint64("seed", 2026, "random seed")
	out := flag.String("out", "", "sample mode: output CSV file (default stdout)")
	dir := flag.String("dir", "", "corpus mode: write the CSV, XLSX and numbered-groups exports into this folder")
	seekers := flag.String("seekers", "", "write a pseudonymised job-seeker export of -firms profiles to this file")
	flag.Parse()
	rng := rand.New(rand.NewPCG(*seed, 7))
	if *seekers != "" {
		if err := writeSeekers(rng, *firms, *seekers); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if *dir != "" {
		if err := corpus(rng, *firms, *dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	rows, bad := generate(rng, rand.New(rand.NewPCG(*seed, 8)), *firms, false)
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := writeCSV(w, rows, ';', false, -1); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "rows=%d bad=%v\n", len(rows), bad)
}

// writeCSV writes a title line, a blank line, the header and the rows.
// With bom it starts with a UTF-8 byte order mark; the row at latin1Row
// (0-based, -1 for none) is written in Latin-1, as when one line is pasted
// from another tool.
func writeCSV(w io.Writer, rows []row, sep rune, bom bool, latin1Row int) error {
	if bom {
		w.Write([]byte{0xEF, 0xBB, 0xBF})
	}
	var buf bytes.Buffer
	line := func(rec []string) {
		buf.Reset()
		cw := csv.NewWriter(&buf)
		cw.Comma = sep
		cw.Write(rec)
		cw.Flush()
	}
	line([]string{"Campagna fabbisogni occupazionali - autunno 2026 - esportazione CRM"})
	w.Write(buf.Bytes())
	w.Write([]byte("\n"))
	line(header)
	w.Write(buf.Bytes())
	for i, r := range rows {
		rec := make([]string, len(header))
		for j, h := range header {
			rec[j] = r[h]
		}
		line(rec)
		b := buf.Bytes()
		if i == latin1Row {
			l, err := charmap.ISO8859_1.NewEncoder().Bytes(b)
			if err != nil {
				return fmt.Errorf("row %d not encodable in Latin-1: %w", i, err)
			}
			b = l
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// corpus writes the three exports of the same campaign.
func corpus(rng *rand.Rand, n int, dir string) error {
	rows, bad := generate(rng, rng, n, true)
	// 1. CSV: ';', UTF-8 with BOM, title lines above the header, one row
	// with an accented municipality in Latin-1.
	latin := -1
	for i, r := range rows {
		if strings.ContainsAny(r["Comune / Sede operativa"], "ìè") && r["Ragione sociale"] != "" {
			latin = i
			break
		}
	}
	// And one row damaged the way a spreadsheet damages UTF-8 it reads as
	// Windows-1252 ("MondovÃ¬"); written on a copy so the XLSX stays clean.
	csvRows := rows
	moji := -1
	for i, r := range rows {
		if i != latin && strings.ContainsAny(r["Comune / Sede operativa"], "ìè") && r["Ragione sociale"] != "" {
			moji = i
			break
		}
	}
	if moji >= 0 {
		csvRows = append([]row(nil), rows...)
		r := row{}
		for h, v := range rows[moji] {
			r[h] = v
		}
		for _, h := range []string{"Comune / Sede operativa", "Competenze richieste", "Difficoltà di reperimento", "Motivo difficoltà"} {
			b, err := charmap.Windows1252.NewDecoder().Bytes([]byte(r[h]))
			if err != nil {
				return err
			}
			r[h] = string(b)
		}
		csvRows[moji] = r
	}
	f, err := os.Create(filepath.Join(dir, "campagna-2026-tre-distretti.csv"))
	if err != nil {
		return err
	}
	if err := writeCSV(f, csvRows, ';', true, latin); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// 2. XLSX: an instructions sheet, one sheet per district, the firm's
	// cells merged across its needs' rows, dates as date cells.
	if err := writeXLSX(filepath.Join(dir, "campagna-2026-tre-distretti.xlsx"), rows); err != nil {
		return err
	}
	// 3. Numbered column groups: one row per firm, needs side by side, tab
	// separated, Latin-1, for the first third of the firms.
	groups, gBad := groupRows(rows, n/3)
	if err := writeGroups(filepath.Join(dir, "campagna-2026-gruppi.txt"), groups); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "rows=%d bad=%v groups: rows=%d bad=%d latin1 row index=%d mojibake row index=%d\n", len(rows), bad, len(groups), gBad, latin, moji)
	return nil
}

func writeXLSX(path string, rows []row) error {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", "Istruzioni")
	x.SetCellValue("Istruzioni", "A1", "Esportazione della campagna fabbisogni: un foglio per distretto.")
	x.SetCellValue("Istruzioni", "A2", "Le celle dell'azienda sono unite quando l'azienda dichiara più fabbisogni.")
	dateStyle, err := x.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	for di, name := range []string{"Torino", "Biella", "Cuneo"} {
		if _, err := x.NewSheet(name); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(name)
		if err != nil {
			return err
		}
		sw.SetRow("A1", []any{"Campagna fabbisogni autunno 2026 - " + name})
		hdr := make([]any, len(header))
		for i, h := range header {
			hdr[i] = h
		}
		sw.SetRow("A3", hdr)
		rowNum := 4
		var group []row
		flush := func() error {
			if len(group) == 0 {
				return nil
			}
			merge := len(group) > 1 && group[0]["Ragione sociale"] != "" && group[1]["Ragione sociale"] == ""
			for k, r := range group {
				vals := make([]any, len(header))
				for j, h := range header {
					v := r[h]
					if merge && k > 0 && isFirmColumn(h) {
						vals[j] = nil
						continue
					}
					if h == "Data contatto" && v != "" {
						if t, ok := parseGenDate(v); ok && dateCell(r["_firm"]) {
							vals[j] = excelize.Cell{StyleID: dateStyle, Value: t}
							continue
						}
					}
					if merge && k > 0 && v == "" && isFirmColumn(h) {
						continue
					}
					vals[j] = v
				}
				cell, _ := excelize.CoordinatesToCellName(1, rowNum)
				if err := sw.SetRow(cell, vals); err != nil {
					return err
				}
				rowNum++
			}
			if merge {
				for j, h := range header {
					if !isFirmColumn(h) {
						continue
					}
					top, _ := excelize.CoordinatesToCellName(j+1, rowNum-len(group))
					bottom, _ := excelize.CoordinatesToCellName(j+1, rowNum-1)
					if err := sw.MergeCell(top, bottom); err != nil {
						return err
					}
				}
			}
			group = nil
			return nil
		}
		for _, r := range rows {
			if r["_district"] != fmt.Sprint(di) {
				continue
			}
			if len(group) > 0 && (group[0]["_firm"] != r["_firm"] || r["_dup"] != "") {
				if err := flush(); err != nil {
					return err
				}
			}
			group = append(group, r)
		}
		if err := flush(); err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return x.SaveAs(path)
}

// isFirmColumn: the firm, contact and personal columns, merged across a
// firm's need rows.
// dateCell decides, by firm, whether the contact date is a date cell or
// text as typed.
func dateCell(firm string) bool {
	n, err := strconv.Atoi(firm)
	return err == nil && n%3 != 0
}

func isFirmColumn(h string) bool {
	switch h {
	case "Figura professionale ricercata", "N. assunzioni previste", "Entro quando / Periodo", "Tipo contratto", "Competenze richieste", "Difficoltà di reperimento", "Motivo difficoltà":
		return false
	}
	return true
}

func parseGenDate(s string) (time.Time, bool) {
	for _, l := range []string{"02/01/2006", "2/1/06", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	for i, m := range months {
		var d, y int
		if _, err := fmt.Sscanf(s, "%d "+m+" %d", &d, &y); err == nil {
			return time.Date(y, time.Month(i+1), d, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

var needHeaders = []string{"Figura professionale", "N. assunzioni", "Periodo", "Tipo contratto", "Competenze richieste", "Difficoltà di reperimento", "Motivo difficoltà"}
var needSource = []string{"Figura professionale ricercata", "N. assunzioni previste", "Entro quando / Periodo", "Tipo contratto", "Competenze richieste", "Difficoltà di reperimento", "Motivo difficoltà"}

// groupRows folds the first firms' rows into one row per firm with up to
// three numbered need groups; it returns them and how many are bad.
func groupRows(rows []row, firms int) ([]row, int) {
	var out []row
	bad := 0
	index := map[string]int{}
	for _, r := range rows {
		id := r["_firm"]
		if strings.HasPrefix(id, "bad-") || r["_dup"] != "" {
			if len(out) < firms {
				out = append(out, flatten(r, 1))
				bad++
			}
			continue
		}
		k, ok := index[id]
		if !ok {
			if len(out) >= firms {
				continue
			}
			g := row{}
			for h, v := range r {
				if !slices.Contains(needSource, h) {
					g[h] = v
				}
			}
			out = append(out, g)
			k = len(out) - 1
			index[id] = k
		}
		if r["Figura professionale ricercata"] == "" {
			continue
		}
		n := 1
		for out[k][fmt.Sprintf("Figura professionale %d", n)] != "" {
			n++
		}
		for i, h := range needSource {
			out[k][fmt.Sprintf("%s %d", needHeaders[i], n)] = r[h]
		}
	}
	return out, bad
}

func flatten(r row, n int) row {
	g := row{}
	for h, v := range r {
		if i := slices.Index(needSource, h); i >= 0 {
			g[fmt.Sprintf("%s %d", needHeaders[i], n)] = v
		} else {
			g[h] = v
		}
	}
	return g
}

func writeGroups(path string, rows []row) error {
	hdr := []string{"Ragione sociale", "Partita IVA", "Codice ATECO", "Comune / Sede operativa", "Esito contatto", "Data contatto", "Canale"}
	for n := 1; n <= 3; n++ {
		for _, h := range needHeaders {
			hdr = append(hdr, fmt.Sprintf("%s %d", h, n))
		}
	}
	hdr = append(hdr, "Note", "Referente", "Telefono", "Email")
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Comma = '\t'
	cw.Write(hdr)
	for _, r := range rows {
		rec := make([]string, len(hdr))
		for i, h := range hdr {
			rec[i] = r[h]
		}
		cw.Write(rec)
	}
	cw.Flush()
	b, err := charmap.ISO8859_1.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// partitaIVA returns 11 digits: a 7-digit number, the 3-digit tax office
// (the province code) and the check digit.
func partitaIVA(rng *rand.Rand, office string) string {
	base := fmt.Sprintf("%07d%s", 1+rng.IntN(9999998), office)
	return base + string(rune('0'+checkDigit(base)))
}

func checkDigit(ten string) int {
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(ten[i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

var months = []string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

// date writes a day of September-October 2026 in one of the formats the
// operators' tools use.
func date(rng *rand.Rand) string {
	m := 9 + rng.IntN(2)
	d := 1 + rng.IntN(30)
	switch rng.IntN(5) {
	case 0:
		return fmt.Sprintf("%d/%d/26", d, m)
	case 1:
		return fmt.Sprintf("2026-%02d-%02d", m, d)
	case 2:
		return fmt.Sprintf("%d %s 2026", d, months[m-1])
	}
	return fmt.Sprintf("%02d/%02d/2026", d, m)
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// generate returns the rows of n good firms and the deliberately bad rows.
// inject draws the contact persons typed into free text; the sample passes
// a generator of its own so that its firms stay the ones other packages'
// tests count (91 rows, 83 good), the corpus passes rng.
func generate(rng, inject *rand.Rand, n int, distinct bool) ([]row, map[string]int) {
	var rows []row
	usedNames := map[string]bool{}
	for i := 0; i < n; i++ {
		d := districts[i%len(districts)]
		var name string
		for {
			name = pick(rng, firmSurnames) + " " + pick(rng, d.firmWords)
			if !usedNames[name] {
				usedNames[name] = true
				break
			}
			name += " " + pick(rng, []string{"Nord", "Due", "Piemonte", "Italia", "Group", "Sud"})
			if !usedNames[name] {
				usedNames[name] = true
				break
			}
		}
		name += " " + pick(rng, legalForms)
		piva := partitaIVA(rng, d.prov)
		town := pick(rng, d.towns)
		if rng.IntN(3) == 0 {
			town += " (" + d.abbr + ")"
		}
		given, surname := pick(rng, givenNames), pick(rng, personSurnames)
		person := given + " " + surname
		phone := fmt.Sprintf("+39 %s %03d %04d", map[string]string{"001": "011", "096": "015", "004": "0171"}[d.prov], rng.IntN(1000), rng.IntN(10000))
		if rng.IntN(3) == 0 {
			phone = fmt.Sprintf("3%02d %07d", 20+rng.IntN(80), rng.IntN(10000000))
		}
		email := strings.ToLower(given[:1]+"."+surname) + "@" + strings.ToLower(strings.Fields(name)[0]) + ".example.it"
		base := row{
			"Ragione sociale": name, "Partita IVA": piva, "Codice ATECO": pick(rng, d.ateco),
			"Comune / Sede operativa": town, "Data contatto": date(rng), "Canale": pick(rng, channels),
			"Referente": person, "Telefono": phone, "Email": email,
		}
		if rng.IntN(4) == 0 {
			base["Codice fiscale"] = piva
		}
		// Outcome: most firms are reached.
		switch r := rng.IntN(20); {
		case r < 13:
			base["Esito contatto"] = pick(rng, []string{"Raggiunta", "Contattata", "Intervista completata", "raggiunto"})
		case r < 15:
			base["Esito contatto"] = pick(rng, []string{"Rifiuta", "Non interessata"})
		case r < 17:
			base["Esito contatto"] = pick(rng, []string{"Non risponde", "Nessuna risposta"})
		case r < 18:
			base["Esito contatto"] = "Numero errato"
		default:
			base["Esito contatto"] = "Da richiamare"
		}
		// Notes, some with personal data the import must mask.
		switch rng.IntN(6) {
		case 0:
			base["Note"] = fmt.Sprintf("Richiamare la sig.ra %s al %s", surname, phone)
		case 1:
			base["Note"] = "Inviare la scheda a " + email
		case 2:
			base["Note"] = fmt.Sprintf("Parlato con %s, responsabile del personale", person)
		case 3:
			base["Note"] = "Interessata ai corsi dell'accademia"
		}
		reached := base["Esito contatto"] != "Rifiuta" && base["Esito contatto"] != "Non interessata" &&
			base["Esito contatto"] != "Non risponde" && base["Esito contatto"] != "Nessuna risposta" &&
			base["Esito contatto"] != "Numero errato" && base["Esito contatto"] != "Da richiamare"
		nNeeds := 0
		if reached {
			nNeeds = []int{0, 1, 1, 1, 2, 2, 3}[rng.IntN(7)]
		}
		if nNeeds == 0 {
			if reached {
				base["Note"] = strings.TrimSpace(base["Note"] + " Nessun fabbisogno nei prossimi mesi.")
			}
			base["_firm"], base["_district"] = fmt.Sprint(i), fmt.Sprint(i%len(districts))
			rows = append(rows, base)
			continue
		}
		continuation := rng.IntN(2) == 0 // later needs under blank firm cells
		usedOcc := map[string]bool{}
		for k := 0; k < nNeeds; k++ {
			r := row{"_firm": fmt.Sprint(i), "_district": fmt.Sprint(i % len(districts))}
			if k == 0 || !continuation {
				for h, v := range base {
					r[h] = v
				}
			}
			nd := pick(rng, d.occs)
			for distinct && usedOcc[nd.occ] {
				nd = pick(rng, d.occs)
			}
			usedOcc[nd.occ] = true
			r["Figura professionale ricercata"] = nd.occ
			r["N. assunzioni previste"] = pick(rng, []string{"1", "2", "3", "1", "2", "4", "5", "2 unità", "due", "1-2"})
			r["Entro quando / Periodo"] = pick(rng, horizons)
			r["Tipo contratto"] = nd.contract
			r["Competenze richieste"] = nd.skills
			// Operators sometimes type the contact person into free text.
			switch inject.IntN(8) {
			case 0:
				r["Competenze richieste"] += "; CV a " + email
			case 1:
				r["Competenze richieste"] += fmt.Sprintf(" (dettagli dal sig. %s, tel. %s)", surname, phone)
			case 2:
				r["Figura professionale ricercata"] += " - riferimento " + person
			}
			diff := pick(rng, difficulties)
			r["Difficoltà di reperimento"] = diff
			if diff == "Alta" || diff == "alta" || diff == "Sì" || diff == "Media" {
				r["Motivo difficoltà"] = pick(rng, d.reasons)
			}
			rows = append(rows, r)
		}
	}
	// Deliberately bad rows, each a firm of its own, placed among the good.
	bad := map[string]int{}
	addBad := func(kind string, mutate func(r row)) {
		d := districts[len(bad)%len(districts)]
		r := row{
			"Ragione sociale": pick(rng, firmSurnames) + " " + pick(rng, d.firmWords) + " Errata " + kind + " S.r.l.",
			"Partita IVA":     partitaIVA(rng, d.prov), "Codice ATECO": pick(rng, d.ateco),
			"Comune / Sede operativa": pick(rng, d.towns), "Esito contatto": "Raggiunta",
			"Data contatto": date(rng), "Canale": "Telefono",
			"Figura professionale ricercata": d.occs[0].occ, "N. assunzioni previste": "2",
			"Entro quando / Periodo": "entro 3 mesi", "Tipo contratto": d.occs[0].contract,
			"Competenze richieste": d.occs[0].skills,
			"Referente":            pick(rng, givenNames) + " " + pick(rng, personSurnames),
			"Telefono":             fmt.Sprintf("333 %07d", rng.IntN(10000000)),
			"Email":                "ufficio.personale@example.com",
		}
		mutate(r)
		r["_firm"], r["_district"] = "bad-"+kind, fmt.Sprint(len(bad)%len(districts))
		bad[kind]++
		at := 3 + rng.IntN(len(rows)-3)
		for at < len(rows) && rows[at]["Ragione sociale"] == "" { // not inside a firm's continuation rows
			at++
		}
		rows = append(rows[:at], append([]row{r}, rows[at:]...)...)
	}
	addBad("piva-check", func(r row) {
		p := []byte(r["Partita IVA"])
		p[10] = '0' + (p[10]-'0'+1)%10
		r["Partita IVA"] = string(p)
	})
	addBad("piva-length", func(r row) { r["Partita IVA"] = r["Partita IVA"][:10] })
	addBad("ateco", func(r row) { r["Codice ATECO"] = "29.99.99" })
	addBad("missing-count", func(r row) { r["N. assunzioni previste"] = "" })
	addBad("negative-count", func(r row) { r["N. assunzioni previste"] = "-2" })
	addBad("date", func(r row) { r["Data contatto"] = "31/02/2026" })
	addBad("municipality", func(r row) { r["Comune / Sede operativa"] = "Torinello Superiore" })
	// A row exported twice.
	for i := len(rows) / 2; i < len(rows); i++ {
		if rows[i]["Ragione sociale"] != "" && rows[i]["Figura professionale ricercata"] != "" && !strings.Contains(rows[i]["Ragione sociale"], "Errata") {
			dup := row{}
			for h, v := range rows[i] {
				dup[h] = v
			}
			dup["_dup"] = "1"
			rows = append(rows[:i+1], append([]row{dup}, rows[i+1:]...)...)
			bad["duplicate"]++
			break
		}
	}
	return rows, bad
}
