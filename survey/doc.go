// Package survey reads the exports of firm contact campaigns (CSV and XLSX
// files, and pulls from a campaign tool's HTTP JSON API) into
// fabbisogni.SurveyRecord values: the firm, the contact outcome and the
// hiring needs it declared. It also reads pseudonymised job-seeker
// profiles (JobSeeker, the supply side of skill gaps) through the same
// path.
//
// # Inputs
//
// CSV with ';', ',', tab or '|' as separator (detected), UTF-8 with or
// without BOM, UTF-16 with BOM, or Latin-1 / Windows-1252 (detected line by
// line, so one pasted Latin-1 line in a UTF-8 file reads right; UTF-8
// mangled through Windows-1252, "MondovÃ¬", is repaired cell by cell). XLSX
// with any number of sheets, read with excelize's streaming row iterator;
// sheets without a header (instructions) are skipped; vertically merged
// cells give their value to every row of the range. The header row is
// searched in the first Config.MaxHeaderScan rows. Columns are found by
// their headers (Mapping, DefaultMapping, LoadMapping); a firm's needs are
// several rows (later rows may leave the firm cells blank) or numbered
// column groups ("Figura professionale 2").
//
// # Validation
//
// Every row is validated on its own: partita IVA and codice fiscale check
// characters, ATECO code (ISTAT's ateco2007-2022.xml), ISTAT municipality
// (fabbisogni.Gazetteer), contact date in Italian formats and not in the
// future, outcome, number of hires (at least 1), horizon, and rows identical
// to an earlier row. A bad row becomes a RowError naming file, sheet, row,
// column, value and reason; the rest of the file still goes through.
//
// # Identity
//
// Firm ids are the partita IVA (or an entity's 11-digit codice fiscale; a
// sole trader's personal codice fiscale is pseudonymised). Contact ids hash
// campaign, firm, date and channel; need ids hash campaign, file name,
// sheet, row (or the API record's id) and need index. Importing a file again
// yields the same records, so idempotent sinks change nothing.
//
// # Personal data
//
// Names, phone numbers and e-mail addresses of the people contacted (the
// Referente, Telefono and Email columns, and a job seeker's name or codice
// fiscale) are read only to be dropped; the same data found inside free
// text is masked ("[nome]", "[telefono]", "[email]") before it leaves the
// package, in records and in RowError values alike.
package survey
