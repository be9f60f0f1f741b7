package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// The generator makes enriched vacancies shaped like the extract stage's
// output on the demo corpus: an Italian posting of 600-1000 bytes, a coded
// occupation, 3-6 skill mentions with offsets into the text, attributes and
// provenance. It is deterministic for a seed, so the sink and the Kafka
// engine are fed the same records.

type place struct{ code, name, province, district string }

var places = []place{
	{"001272", "Torino", "001", "Torino"}, {"001156", "Moncalieri", "001", "Torino"},
	{"001090", "Collegno", "001", "Torino"}, {"001219", "Rivoli", "001", "Torino"},
	{"096004", "Biella", "096", "Biella"}, {"096020", "Cossato", "096", "Biella"},
	{"004078", "Cuneo", "004", "Cuneo"}, {"004089", "Fossano", "004", "Cuneo"},
	{"004003", "Alba", "004", "Alba-Bra"}, {"004029", "Bra", "004", "Alba-Bra"},
	{"006003", "Alessandria", "006", "Alessandria"}, {"003106", "Novara", "003", "Novara"},
}

type occ struct{ uri, isco, label, title string }

var occupations = []occ{
	{"http://data.europa.eu/esco/occupation/2e3d3f3e-1d8c-4b1a-9f0c-3c6b3f1a7a01", "7223", "operatore di macchine utensili", "Operatore CNC"},
	{"http://data.europa.eu/esco/occupation/5c6a7d1b-9e3f-4f8a-8b1e-2d4c6e8a0b02", "7212", "saldatore", "Saldatore a filo"},
	{"http://data.europa.eu/esco/occupation/8f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a03", "8322", "autista di furgoni", "Autista patente C"},
	{"http://data.europa.eu/esco/occupation/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c04", "4321", "magazziniere", "Magazziniere con patentino muletto"},
	{"http://data.europa.eu/esco/occupation/b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d05", "7318", "tessitore", "Addetto alla tessitura"},
	{"http://data.europa.eu/esco/occupation/c3d4e5f6-a7b8-4c9d-0e1f-2a3b4c5d6e06", "7512", "pasticcere", "Pasticcere di laboratorio"},
	{"http://data.europa.eu/esco/occupation/d4e5f6a7-b8c9-4d0e-1f2a-3b4c5d6e7f07", "2512", "sviluppatore software", "Sviluppatore Java"},
	{"http://data.europa.eu/esco/occupation/e5f6a7b8-c9d0-4e1f-2a3b-4c5d6e7f8a08", "3313", "contabile", "Impiegato contabile"},
	{"http://data.europa.eu/esco/occupation/f6a7b8c9-d0e1-4f2a-3b4c-5d6e7f8a9b09", "7233", "manutentore meccanico", "Manutentore meccanico industriale"},
	{"http://data.europa.eu/esco/occupation/0a1b2c3d-4e5f-4a6b-7c8d-9e0f1a2b3c10", "5120", "cuoco", "Cuoco capopartita"},
}

type skill struct{ uri, label, typ, phrase string }

var skills = []skill{
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0001", "programmare macchine CNC", "skill/competence", "programmazione di macchine CNC"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0002", "leggere disegni tecnici", "skill/competence", "lettura del disegno tecnico"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0003", "utilizzare strumenti di misura", "skill/competence", "uso di calibro e micrometro"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0004", "saldatura MIG/MAG", "skill/competence", "saldatura a filo MIG/MAG"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0005", "condurre carrelli elevatori", "skill/competence", "conduzione del carrello elevatore"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0006", "gestire le scorte", "skill/competence", "gestione delle scorte di magazzino"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0007", "normativa HACCP", "knowledge", "conoscenza delle norme HACCP"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0008", "Java", "knowledge", "programmazione in Java"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0009", "SQL", "knowledge", "interrogazione di basi dati SQL"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0010", "contabilità generale", "knowledge", "tenuta della contabilità generale"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0011", "lavorare in squadra", "skill/competence", "capacità di lavorare in squadra"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0012", "manutenzione preventiva", "skill/competence", "manutenzione preventiva degli impianti"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0013", "telai per tessitura", "knowledge", "regolazione dei telai"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0014", "inglese", "knowledge", "buona conoscenza della lingua inglese"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0015", "sicurezza sul lavoro", "knowledge", "formazione sulla sicurezza sul lavoro"},
	{"http://data.europa.eu/esco/skill/0b1c2d3e-0016", "pasticceria", "skill/competence", "preparazione di impasti e creme"},
}

var firms = []string{"Meccanica Subalpina S.r.l.", "Lanificio Valle Cervo S.p.A.", "Dolciaria Fossanese S.r.l.",
	"Logistica Granda S.c.a.r.l.", "Torino Software Lab S.r.l.", "Carpenterie Riunite S.n.c.", "Agrialimentare Langhe S.p.A."}

var fillers = []string{
	"L'azienda, realtà consolidata del territorio, cerca una persona da inserire nel proprio organico.",
	"La risorsa lavorerà su turni a ciclo continuo, dal lunedì al venerdì.",
	"Si offre contratto a tempo determinato con possibilità di trasformazione.",
	"È previsto un periodo di affiancamento con personale esperto.",
	"Costituirà titolo preferenziale l'esperienza maturata in ruoli analoghi.",
	"Sede di lavoro raggiungibile con i mezzi pubblici, mensa aziendale interna.",
	"Retribuzione commisurata all'esperienza, secondo il CCNL di settore.",
	"Si richiede disponibilità immediata e flessibilità oraria.",
	"Il candidato ideale è preciso, affidabile e orientato al risultato.",
	"Inviare il curriculum vitae autorizzando il trattamento dei dati personali.",
}

var contracts = [][]string{{"tempo_determinato"}, {"tempo_indeterminato"}, {"apprendistato"}, {"somministrazione", "full_time"}, {"tempo_determinato", "part_time"}}

// vacancy builds the i-th record. id and fetched are set by the caller.
func vacancy(r *rand.Rand, id string, fetched time.Time) fabbisogni.Vacancy {
	o := occupations[r.IntN(len(occupations))]
	p := places[r.IntN(len(places))]
	title := o.title
	var desc strings.Builder
	for range 3 + r.IntN(3) {
		desc.WriteString(fillers[r.IntN(len(fillers))])
		desc.WriteByte('\n')
	}
	nskills := 3 + r.IntN(4)
	picked := r.Perm(len(skills))[:nskills]
	mentions := make([]fabbisogni.SkillMention, 0, nskills)
	for j, k := range picked {
		s := skills[k]
		lead := "Requisiti: "
		if j%2 == 1 {
			lead = "Si richiede "
		}
		desc.WriteString(lead)
		// Offsets are into Vacancy.Text(): title + "\n" + description.
		start := len(title) + 1 + desc.Len()
		desc.WriteString(s.phrase)
		desc.WriteString(".\n")
		preferred := r.IntN(4) == 0
		mentions = append(mentions, fabbisogni.SkillMention{
			URI: s.uri, Label: s.label, Text: s.phrase, Start: start, End: start + len(s.phrase),
			Required: !preferred, Preferred: preferred, Score: 0.6 + float64(r.IntN(40))/100, SkillType: s.typ,
		})
	}
	for range 1 + r.IntN(2) {
		desc.WriteString(fillers[r.IntN(len(fillers))])
		desc.WriteByte('\n')
	}
	posted := time.Date(2026, time.Month(1+r.IntN(11)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	ctr := contracts[r.IntN(len(contracts))]
	attrs := fabbisogni.Attributes{Contract: ctr, EQF: 3 + r.IntN(4), Education: "diploma", ExperienceYears: float64(r.IntN(5))}
	if o.isco == "8322" {
		attrs.DrivingLicences = []string{"C", "CQC"}
	}
	if o.isco == "4321" {
		attrs.Forklift = true
	}
	if r.IntN(3) == 0 {
		attrs.Languages = []fabbisogni.LanguageLevel{{Language: "en", CEFR: "B1"}}
	}
	if r.IntN(2) == 0 {
		attrs.Certificates = []string{"formazione_sicurezza"}
	}
	v := fabbisogni.Vacancy{
		ID: id, Title: title, Description: desc.String(),
		FirmName: firms[r.IntN(len(firms))], FirmID: fmt.Sprintf("%011d", r.Int64N(1e11)),
		MunicipalityCode: p.code, MunicipalityName: p.name, ProvinceCode: p.province, District: p.district,
		ATECO:      fmt.Sprintf("%02d.%02d", 10+r.IntN(80), r.IntN(100)),
		DatePosted: posted, ValidThrough: posted.AddDate(0, 2, 0), Openings: 1 + r.IntN(3),
		EmploymentType: "FULL_TIME",
		Provenance: fabbisogni.Provenance{Source: "bench-board", URL: "https://lavoro.example.it/offerte/" + id,
			FetchedAt: fetched, Hash: fmt.Sprintf("%016x", r.Uint64())},
		Extraction: &fabbisogni.Extraction{
			ID: id, Language: "it",
			Occupations: []fabbisogni.OccupationMatch{{URI: o.uri, ISCO: o.isco, Label: o.label, Score: 0.7 + float64(r.IntN(30))/100}},
			ISCOGroup:   &fabbisogni.ISCOGroup{Code: o.isco[:3], Score: 0.9},
			Skills:      mentions, Attributes: attrs,
			TaxonomyVersion: "esco-1.1.1+it-lexicon-1", ExtractorVersion: "nlp-bench",
		},
	}
	return v
}

// flatRow is one vacancy as a flat JSONEachRow object for ClickHouse's
// Kafka engine, which in 18.16 cannot read nested objects: the columns the
// warehouse writes to `vacancies` (mapped the same way as
// warehouse.InsertVacancies) plus the skill mentions as parallel arrays
// that a materialized view ARRAY JOINs into `vacancy_skills`.
type flatRow struct {
	VacancyID        string    `json:"vacancy_id"`
	Source           string    `json:"source"`
	URL              string    `json:"url"`
	Title            string    `json:"title"`
	Description      string    `json:"description"`
	FirmName         string    `json:"firm_name"`
	FirmID           string    `json:"firm_id"`
	MunicipalityCode string    `json:"municipality_code"`
	MunicipalityName string    `json:"municipality_name"`
	ProvinceCode     string    `json:"province_code"`
	District         string    `json:"district"`
	ATECO            string    `json:"ateco"`
	DatePosted       string    `json:"date_posted"`
	ValidThrough     string    `json:"valid_through"`
	Openings         uint32    `json:"openings"`
	EmploymentType   string    `json:"employment_type"`
	Contract         []string  `json:"contract"`
	Language         string    `json:"language"`
	ISCO             string    `json:"isco"`
	ISCOGroup        string    `json:"isco_group"`
	OccupationURI    string    `json:"occupation_uri"`
	OccupationLabel  string    `json:"occupation_label"`
	OccupationScore  float32   `json:"occupation_score"`
	EQF              uint8     `json:"eqf"`
	ExperienceYears  float32   `json:"experience_years"`
	DrivingLicences  []string  `json:"driving_licences"`
	Forklift         uint8     `json:"forklift"`
	Shifts           uint8     `json:"shifts"`
	Languages        []string  `json:"languages"`
	Certificates     []string  `json:"certificates"`
	TaxonomyVersion  string    `json:"taxonomy_version"`
	ExtractorVersion string    `json:"extractor_version"`
	FetchedAt        string    `json:"fetched_at"`
	ContentHash      string    `json:"content_hash"`
	CanonicalID      string    `json:"canonical_id"`
	Version          uint64    `json:"version"`
	SkillURI         []string  `json:"s_uri"`
	SkillLabel       []string  `json:"s_label"`
	SkillType        []string  `json:"s_type"`
	SkillText        []string  `json:"s_text"`
	SkillStart       []uint32  `json:"s_start"`
	SkillEnd         []uint32  `json:"s_end"`
	SkillRequired    []int     `json:"s_required"`
	SkillPreferred   []int     `json:"s_preferred"`
	SkillNegated     []int     `json:"s_negated"`
	SkillAmbiguous   []int     `json:"s_ambiguous"`
	SkillScore       []float32 `json:"s_score"`
}

// flatColumns is the Kafka table's column list, in flatRow's order.
const flatColumns = `vacancy_id String, source String, url String, title String, description String,
	firm_name String, firm_id String, municipality_code String, municipality_name String, province_code String,
	district String, ateco String, date_posted Date, valid_through Date, openings UInt32, employment_type String,
	contract Array(String), language String, isco String, isco_group String, occupation_uri String,
	occupation_label String, occupation_score Float32, eqf UInt8, experience_years Float32,
	driving_licences Array(String), forklift UInt8, shifts UInt8, languages Array(String), certificates Array(String),
	taxonomy_version String, extractor_version String, fetched_at DateTime, content_hash String,
	canonical_id String, version UInt64,
	s_uri Array(String), s_label Array(String), s_type Array(String), s_text Array(String),
	s_start Array(UInt32), s_end Array(UInt32), s_required Array(UInt8), s_preferred Array(UInt8),
	s_negated Array(UInt8), s_ambiguous Array(UInt8), s_score Array(Float32)`

func dateOf(t time.Time) string {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return "1970-01-01"
	}
	return t.UTC().Format("2006-01-02")
}

func u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// flatJSON renders v as one JSONEachRow line (newline-terminated).
func flatJSON(v *fabbisogni.Vacancy) ([]byte, error) {
	x := v.Extraction
	if x == nil {
		x = &fabbisogni.Extraction{}
	}
	var o fabbisogni.OccupationMatch
	if len(x.Occupations) > 0 {
		o = x.Occupations[0]
	}
	group := ""
	if x.ISCOGroup != nil {
		group = x.ISCOGroup.Code
	}
	langs := make([]string, 0, len(x.Attributes.Languages))
	for _, l := range x.Attributes.Languages {
		if l.CEFR != "" {
			langs = append(langs, l.Language+":"+l.CEFR)
		} else {
			langs = append(langs, l.Language)
		}
	}
	f := flatRow{
		VacancyID: v.ID, Source: v.Provenance.Source, URL: v.Provenance.URL, Title: v.Title, Description: v.Description,
		FirmName: v.FirmName, FirmID: v.FirmID, MunicipalityCode: v.MunicipalityCode, MunicipalityName: v.MunicipalityName,
		ProvinceCode: v.ProvinceCode, District: v.District, ATECO: v.ATECO,
		DatePosted: dateOf(v.DatePosted), ValidThrough: dateOf(v.ValidThrough), Openings: uint32(max(v.Openings, 0)),
		EmploymentType: v.EmploymentType, Contract: orEmpty(x.Attributes.Contract), Language: x.Language,
		ISCO: o.ISCO, ISCOGroup: group, OccupationURI: o.URI, OccupationLabel: o.Label, OccupationScore: float32(o.Score),
		EQF: uint8(x.Attributes.EQF), ExperienceYears: float32(x.Attributes.ExperienceYears),
		DrivingLicences: orEmpty(x.Attributes.DrivingLicences), Forklift: u8(x.Attributes.Forklift), Shifts: u8(x.Attributes.Shifts), Languages: langs,
		Certificates: orEmpty(x.Attributes.Certificates), TaxonomyVersion: x.TaxonomyVersion, ExtractorVersion: x.ExtractorVersion,
		FetchedAt: v.Provenance.FetchedAt.UTC().Format("2006-01-02 15:04:05"), ContentHash: v.Provenance.Hash,
		CanonicalID: v.CanonicalID, Version: uint64(v.Provenance.FetchedAt.UnixNano()),
	}
	n := len(x.Skills)
	f.SkillURI, f.SkillLabel, f.SkillType, f.SkillText = make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	f.SkillStart, f.SkillEnd, f.SkillScore = make([]uint32, 0, n), make([]uint32, 0, n), make([]float32, 0, n)
	f.SkillRequired, f.SkillPreferred, f.SkillNegated, f.SkillAmbiguous = make([]int, 0, n), make([]int, 0, n), make([]int, 0, n), make([]int, 0, n)
	for _, s := range x.Skills {
		f.SkillURI = append(f.SkillURI, s.URI)
		f.SkillLabel = append(f.SkillLabel, s.Label)
		f.SkillType = append(f.SkillType, s.SkillType)
		f.SkillText = append(f.SkillText, s.Text)
		f.SkillStart = append(f.SkillStart, uint32(s.Start))
		f.SkillEnd = append(f.SkillEnd, uint32(s.End))
		f.SkillRequired = append(f.SkillRequired, int(u8(s.Required)))
		f.SkillPreferred = append(f.SkillPreferred, int(u8(s.Preferred)))
		f.SkillNegated = append(f.SkillNegated, int(u8(s.Negated)))
		f.SkillAmbiguous = append(f.SkillAmbiguous, int(u8(len(s.Ambiguous) > 0)))
		f.SkillScore = append(f.SkillScore, float32(s.Score))
	}
	b, err := json.Marshal(&f)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
