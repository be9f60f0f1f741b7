package survey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// Importer turns campaign exports into survey records. It is safe for
// concurrent use: each ImportFile call keeps its own state.
type Importer struct {
	cfg    Config
	log    *slog.Logger
	header map[string]Field
}

// NewImporter checks cfg and fills its unset optional fields with defaults.
func NewImporter(cfg Config) (*Importer, error) {
	def := DefaultConfig()
	if cfg.Mapping == nil {
		cfg.Mapping = def.Mapping
	}
	if cfg.SeekerMapping == nil {
		cfg.SeekerMapping = def.SeekerMapping
	}
	if cfg.Districts == nil {
		cfg.Districts = def.Districts
	}
	if cfg.Now == nil {
		cfg.Now = def.Now
	}
	if cfg.MaxHeaderScan == 0 {
		cfg.MaxHeaderScan = def.MaxHeaderScan
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Importer{cfg: cfg, log: log.With("component", "survey")}, nil
}

// ImportFile reads one export (CSV, or XLSX by its .xlsx extension) and
// calls emit for every good row's record and reject for every bad row, in
// file order. It returns an error only when the file as a whole cannot be
// read (missing, not a spreadsheet, no header row anywhere), when emit
// fails, or when ctx ends; Stats then count what was done before. reject may
// be nil.
func (im *Importer) ImportFile(ctx context.Context, path string, emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(RowError)) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("survey: import: %w", err)
	}
	defer f.Close()
	name := filepath.Base(path)
	run := im.surveyRun(name, im.campaignFor(strings.TrimSuffix(name, filepath.Ext(name))), emit, reject)
	var r io.Reader = f
	if im.cfg.Progress != nil {
		if fi, err := f.Stat(); err == nil {
			run.size = fi.Size()
		}
		r = &countingReader{r: f, n: &run.read}
	}
	return run.importTables(ctx, name, r)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// progress calls cfg.Progress every 1,000 rows, and when done.
func (run *fileRun) progress(done bool) {
	if run.im.cfg.Progress == nil || !done && run.stats.Rows%1000 != 0 {
		return
	}
	run.im.cfg.Progress(Progress{File: run.file, Rows: run.stats.Rows, Read: run.read, Size: run.size, Done: done})
}

// Import is ImportFile on an open reader; name is the file's base name, and
// its extension says whether r is XLSX (".xlsx", ".xlsm") or CSV.
func (im *Importer) Import(ctx context.Context, name string, r io.Reader, emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(RowError)) (Stats, error) {
	run := im.surveyRun(name, im.campaignFor(strings.TrimSuffix(name, filepath.Ext(name))), emit, reject)
	return run.importTables(ctx, name, r)
}

// importTables reads r as XLSX or CSV (by name's extension) through run.
func (run *fileRun) importTables(ctx context.Context, name string, r io.Reader) (Stats, error) {
	im := run.im
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		err = run.xlsx(ctx, r)
	default:
		var t *csvTable
		if t, err = newCSVTable(r); err == nil {
			var found bool
			found, err = run.table(ctx, t)
			if err == nil && !found {
				err = fmt.Errorf("no header row in the first %d rows (want headers such as %s)", im.cfg.MaxHeaderScan, run.headerHint)
			}
		}
	}
	s := run.stats
	if err != nil {
		return s, fmt.Errorf("survey: import %s: %w", name, err)
	}
	run.progress(true)
	im.log.Info("survey file imported", "file", name, "rows", s.Rows, "accepted", s.Accepted, "rejected", s.Rejected, "needs", s.Needs)
	return s, nil
}

// campaignFor is the configured campaign, or fallback when none is.
func (im *Importer) campaignFor(fallback string) string {
	if im.cfg.Campaign != "" {
		return im.cfg.Campaign
	}
	return fallback
}

// fileRun is the state of one ImportFile call.
type fileRun struct {
	im     *Importer
	file   string
	reject func(RowError)
	match  func(header []string) (layout, bool)
	// headerHint names the headers a header row needs, for the error.
	headerHint string
	// handle converts a row and emits it; it returns the row's problem, or
	// the emit error.
	handle    func(ctx context.Context, sheet string, row int, key string, rv *rowValues) (*RowError, error)
	campaign  string
	url       string // set for API pulls
	fetchedAt time.Time
	stats     Stats
	read      int64 // bytes read, when counted for Progress
	size      int64
	// seen maps a row's content hash to where it was first seen: the
	// index in sheets << 40 | row. 16 bytes a row plus the map's overhead
	// is the only state that grows with the file.
	seen   map[uint64]uint64
	sheets []string
}

// table reads one table: finds its header, then converts every row. found
// is false when no header row was seen.
func (run *fileRun) table(ctx context.Context, t table) (found bool, err error) {
	var l layout
	scanned := 0
	for scanned < run.im.cfg.MaxHeaderScan {
		cells, _, err := t.Next()
		if err == io.EOF {
			return false, nil
		}
		var ce *cellsError
		if errors.As(err, &ce) {
			scanned++
			continue
		}
		if err != nil {
			return false, err
		}
		scanned++
		if l, found = run.match(cells); found {
			break
		}
	}
	if !found {
		return false, nil
	}
	var prev *rowValues // the last row with a firm, for continuation rows
	for {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		cells, row, err := t.Next()
		if err == io.EOF {
			return true, nil
		}
		var ce *cellsError
		if errors.As(err, &ce) {
			run.stats.Rows++
			run.rejectRow(RowError{File: run.file, Sheet: t.Sheet(), Row: ce.row, Reason: "cannot split the row into cells: " + ce.err.Error()})
			continue
		}
		if err != nil {
			return true, err
		}
		if blank(cells) {
			continue
		}
		run.stats.Rows++
		run.progress(false)
		rv := l.values(cells)
		if rv.isContinuation() && prev != nil {
			rv.inherit(prev)
		}
		if rv.hasFirm() {
			p := rv
			prev = &p
		}
		if err := run.process(ctx, t.Sheet(), row, fmt.Sprint(row), rv); err != nil {
			return true, err
		}
	}
}

// process checks one resolved row for duplicates, converts it and hands it
// to emit or reject. key identifies the row within the file for need ids
// (the row number, or the record id of an API item). Only an emit error is
// returned.
func (run *fileRun) process(ctx context.Context, sheet string, row int, key string, rv rowValues) error {
	if !run.im.cfg.KeepDuplicates {
		h := rv.hash()
		if first, dup := run.seen[h]; dup {
			run.stats.Duplicates++
			fsheet, frow := run.sheets[first>>40], int(first&(1<<40-1))
			where := fmt.Sprintf("row %d", frow)
			if fsheet != "" {
				where = fmt.Sprintf("sheet %q row %d", fsheet, frow)
			}
			run.rejectRow(RowError{File: run.file, Sheet: sheet, Row: row, Reason: "duplicate of " + where})
			return nil
		}
		if len(run.sheets) == 0 || run.sheets[len(run.sheets)-1] != sheet {
			run.sheets = append(run.sheets, sheet)
		}
		run.seen[h] = uint64(len(run.sheets)-1)<<40 | uint64(row)
	}
	rerr, err := run.handle(ctx, sheet, row, key, &rv)
	if err != nil {
		return fmt.Errorf("row %d: emit: %w", row, err)
	}
	if rerr != nil {
		rerr.File, rerr.Sheet, rerr.Row = run.file, sheet, row
		run.rejectRow(*rerr)
		return nil
	}
	run.stats.Accepted++
	return nil
}

// surveyRun prepares a run over a campaign export.
func (im *Importer) surveyRun(file, campaign string, emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(RowError)) *fileRun {
	if reject == nil {
		reject = func(RowError) {}
	}
	run := &fileRun{
		im: im, file: file, campaign: campaign, reject: reject,
		fetchedAt: im.cfg.Now().UTC(), seen: map[uint64]uint64{},
		match: im.cfg.Mapping.matchHeader, headerHint: "Ragione sociale, Partita IVA",
	}
	run.handle = func(ctx context.Context, sheet string, row int, key string, rv *rowValues) (*RowError, error) {
		rec, rerr := im.record(run, sheet, row, key, rv)
		if rerr != nil {
			return rerr, nil
		}
		if err := emit(ctx, rec); err != nil {
			return nil, err
		}
		run.stats.Needs += len(rec.Needs)
		return nil, nil
	}
	return run
}

func (run *fileRun) rejectRow(e RowError) {
	run.stats.Rejected++
	run.reject(e)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cell is one value with the header it came from.
type cell struct {
	header string
	value  string
}

// rowValues is a row resolved through the layout.
type rowValues struct {
	firm     map[Field]cell
	needs    []map[Field]cell // one per need group, in group order
	personal []string
}

func (l *layout) values(cells []string) rowValues {
	rv := rowValues{firm: map[Field]cell{}}
	groupIdx := map[int]int{}
	for i, g := range l.groups {
		groupIdx[g] = i
		rv.needs = append(rv.needs, map[Field]cell{})
	}
	for _, c := range l.cols {
		v := ""
		if c.index < len(cells) {
			v = strings.TrimSpace(strings.ReplaceAll(repairMojibake(cells[c.index]), "\u00a0", " "))
		}
		switch {
		case personalFields[c.field]:
			if v != "" {
				rv.personal = append(rv.personal, v)
			}
		case needFields[c.field]:
			rv.needs[groupIdx[c.group]][c.field] = cell{c.header, v}
		default:
			rv.firm[c.field] = cell{c.header, v}
		}
	}
	return rv
}

// hasFirm reports whether the row names a firm.
func (rv *rowValues) hasFirm() bool {
	return rv.firm[FieldName].value != "" || rv.firm[FieldVAT].value != "" || rv.firm[FieldFiscalCode].value != ""
}

// isContinuation is a row that declares a need but leaves every firm and
// contact cell empty: a further need of the firm above, written under
// merged or blanked cells.
func (rv *rowValues) isContinuation() bool {
	for _, c := range rv.firm {
		if c.value != "" {
			return false
		}
	}
	for _, n := range rv.needs {
		for _, c := range n {
			if c.value != "" {
				return true
			}
		}
	}
	return false
}

// inherit copies the firm and contact cells (and the personal values, so
// they are masked too) of the row above.
func (rv *rowValues) inherit(prev *rowValues) {
	for f, c := range prev.firm {
		if f == FieldNote {
			continue
		}
		rv.firm[f] = c
	}
	rv.personal = append(rv.personal, prev.personal...)
}

// hash identifies the row's content, personal columns left out.
func (rv *rowValues) hash() uint64 {
	h := fnv.New64a()
	keys := make([]Field, 0, len(rv.firm))
	for f := range rv.firm {
		keys = append(keys, f)
	}
	slices.Sort(keys)
	for _, f := range keys {
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write([]byte(rv.firm[f].value))
		h.Write([]byte{0})
	}
	for _, n := range rv.needs {
		for _, f := range needFieldOrder {
			h.Write([]byte(n[f].value))
			h.Write([]byte{0})
		}
	}
	return h.Sum64()
}

var needFieldOrder = []Field{FieldOccupation, FieldHires, FieldHorizon, FieldContract, FieldSkills, FieldDifficulty, FieldDifficultyReason}

// stableID is a short hex digest of its parts.
func stableID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0x1f})
	}
	return prefix + hex.EncodeToString(h.Sum(nil))[:20]
}

// record converts one row, or says why it cannot.
func (im *Importer) record(run *fileRun, sheet string, row int, key string, rv *rowValues) (fabbisogni.SurveyRecord, *RowError) {
	sc := newScrubber(rv.personal)
	bad := func(c cell, reason string) *RowError {
		return &RowError{Column: c.header, Value: sc.cleanValue(c.value), Reason: reason}
	}
	var rec fabbisogni.SurveyRecord

	// Firm.
	name := rv.firm[FieldName]
	if name.value == "" {
		return rec, bad(name, "missing firm name")
	}
	firm := fabbisogni.Firm{Name: NormalizeFirmName(name.value)}
	vat, cf := rv.firm[FieldVAT], rv.firm[FieldFiscalCode]
	vat.value, cf.value = unscientific(vat.value), unscientific(cf.value)
	if vat.value != "" {
		p, ok := normPartitaIVA(vat.value)
		if !ok {
			return rec, bad(vat, describePartitaIVA(vat.value))
		}
		firm.VAT, firm.ID = p, p
	}
	if cf.value != "" {
		c, ok := normCodiceFiscale(cf.value)
		if !ok {
			// A 16-character codice fiscale is a person's: never echo it.
			return rec, &RowError{Column: cf.header, Value: maskCF(cf.value), Reason: "codice fiscale is not valid (wrong length, shape or check character)"}
		}
		if len(c) == 11 {
			firm.FiscalCode = c
		}
		if firm.ID == "" {
			if len(c) == 11 {
				firm.ID = c
			} else {
				// A sole trader's personal codice fiscale: pseudonymised, so
				// the person's name and birth date do not travel.
				firm.ID = stableID("cf:", c)
			}
		}
	}
	if firm.ID == "" {
		return rec, bad(vat, "missing partita IVA and codice fiscale")
	}
	if a := rv.firm[FieldATECO]; a.value != "" {
		code, _, ok := im.cfg.ATECO.Lookup(a.value)
		if !ok {
			return rec, bad(a, "not an ATECO 2007 (2022 update) code")
		}
		firm.ATECO = code
	}
	if m := rv.firm[FieldMunicipality]; m.value != "" {
		mun, err := lookupPlace(im.cfg.Gazetteer, m.value, rv.firm[FieldProvince].value)
		if err != nil {
			return rec, bad(m, err.Error())
		}
		firm.MunicipalityCode, firm.MunicipalityName, firm.ProvinceCode = mun.Code, mun.Name, mun.ProvinceCode
		firm.District = im.cfg.Districts.Locate(mun.Code, mun.ProvinceCode)
	}

	// Contact.
	oc := rv.firm[FieldOutcome]
	outcome, err := parseOutcome(oc.value)
	if err != nil {
		return rec, bad(oc, err.Error())
	}
	dc := rv.firm[FieldDate]
	date, err := parseDate(dc.value)
	if err != nil {
		return rec, bad(dc, err.Error())
	}
	if date.After(im.cfg.Now().Add(24 * time.Hour)) {
		return rec, bad(dc, "contact date is in the future")
	}
	channel := normChannel(sc.clean(rv.firm[FieldChannel].value))
	contact := fabbisogni.ContactOutcome{
		ID:       stableID("c-", run.campaign, firm.ID, date.Format("2006-01-02"), channel),
		FirmID:   firm.ID,
		Campaign: run.campaign,
		Date:     date,
		Channel:  channel,
		Outcome:  outcome,
	}

	// Needs.
	var needs []fabbisogni.HiringNeed
	for gi, n := range rv.needs {
		empty := true
		for _, c := range n {
			if c.value != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		occ := n[FieldOccupation]
		if occ.value == "" {
			return rec, bad(occ, "missing occupation for a declared need")
		}
		if outcome != fabbisogni.OutcomeReached && outcome != fabbisogni.OutcomeCallBack {
			return rec, bad(oc, "needs declared but the outcome says the firm was not interviewed")
		}
		hires, err := parseHires(n[FieldHires].value)
		if err != nil {
			return rec, bad(n[FieldHires], err.Error())
		}
		horizon, err := parseHorizon(n[FieldHorizon].value, date)
		if err != nil {
			return rec, bad(n[FieldHorizon], err.Error())
		}
		diff, err := parseDifficulty(n[FieldDifficulty].value)
		if err != nil {
			return rec, bad(n[FieldDifficulty], err.Error())
		}
		needs = append(needs, fabbisogni.HiringNeed{
			ID:               stableID("n-", run.campaign, run.file, sheet, key, fmt.Sprint(gi)),
			FirmID:           firm.ID,
			ContactID:        contact.ID,
			Campaign:         run.campaign,
			DeclaredAt:       date,
			OccupationText:   sc.clean(occ.value),
			Hires:            hires,
			Horizon:          horizon,
			Contract:         sc.clean(n[FieldContract].value),
			SkillsText:       sc.clean(n[FieldSkills].value),
			Difficulty:       diff,
			DifficultyReason: sc.clean(n[FieldDifficultyReason].value),
		})
	}
	rec = fabbisogni.SurveyRecord{
		Firm: firm, Contact: contact, Needs: needs,
		Provenance: fabbisogni.Provenance{
			Source: run.campaign, File: run.file, URL: run.url, Sheet: sheet, Row: row,
			FetchedAt: run.fetchedAt, Hash: fmt.Sprintf("%016x", rv.hash()),
		},
	}
	if err := rec.Validate(); err != nil {
		return rec, &RowError{Reason: err.Error()}
	}
	return rec, nil
}

var reCAP = regexp.MustCompile(`^\d{5}\s+`)

// lookupPlace codes a municipality as operators write it: a name, "Name
// (TO)", "10024 Moncalieri", or an address ending with the municipality
// ("Via Roma 1, Moncalieri"). The gazetteer's error for the whole value is
// returned when no part is a municipality.
func lookupPlace(g *fabbisogni.Gazetteer, value, province string) (fabbisogni.Municipality, error) {
	v := reCAP.ReplaceAllString(strings.TrimSpace(value), "")
	m, err := g.Lookup(v, province)
	if err == nil || fabbisogni.ErrorCode(err) != fabbisogni.ENotFound {
		return m, err
	}
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '-' || r == '/' })
	for i := len(parts) - 1; i >= 0 && len(parts) > 1; i-- {
		p := reCAP.ReplaceAllString(strings.TrimSpace(parts[i]), "")
		if p == "" {
			continue
		}
		if m, perr := g.Lookup(p, province); perr == nil {
			return m, nil
		}
	}
	return m, err
}

// describePartitaIVA says what is wrong with a partita IVA.
func describePartitaIVA(s string) string {
	c := strings.TrimPrefix(compactID(s), "IT")
	for _, r := range c {
		if r < '0' || r > '9' {
			return "partita IVA must be 11 digits"
		}
	}
	if len(c) == 9 || len(c) == 10 {
		return fmt.Sprintf("partita IVA has %d digits, want 11 (if the export came from a spreadsheet, the column may have lost its leading zeros: format it as text)", len(c))
	}
	if len(c) != 11 {
		return fmt.Sprintf("partita IVA has %d digits, want 11", len(c))
	}
	return "partita IVA check digit is wrong"
}

var reScientific = regexp.MustCompile(`^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]{1,2}$`)

// unscientific writes back as digits a number a spreadsheet turned into
// scientific notation ("1.2345678903E+10" -> "12345678903").
func unscientific(s string) string {
	t := strings.TrimSpace(s)
	if !reScientific.MatchString(t) {
		return s
	}
	f, err := strconv.ParseFloat(strings.Replace(t, ",", ".", 1), 64)
	if err != nil || f >= 1e15 {
		return s
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// maskCF keeps the shape of a codice fiscale without its letters and
// digits: enough to see a wrong length.
func maskCF(s string) string {
	c := compactID(s)
	if len(c) == 11 {
		return c // a legal entity's number, not personal
	}
	return fmt.Sprintf("[%d caratteri]", len([]rune(c)))
}

// normChannel writes the usual channels one way.
func normChannel(s string) string {
	k := fabbisogni.PlaceKey(s)
	switch {
	case k == "":
		return ""
	case strings.HasPrefix(k, "tel") || strings.Contains(k, "telefon") || k == "phone" || k == "call center":
		return "telefono"
	case k == "pec":
		return "pec"
	case strings.Contains(k, "mail"):
		return "email"
	case strings.Contains(k, "visita") || strings.Contains(k, "in presenza") || strings.Contains(k, "sopralluogo"):
		return "visita"
	case strings.Contains(k, "video") || strings.Contains(k, "teams") || strings.Contains(k, "zoom") || strings.Contains(k, "meet"):
		return "videochiamata"
	case strings.Contains(k, "web") || strings.Contains(k, "online") || strings.Contains(k, "questionario"):
		return "online"
	}
	return k
}
