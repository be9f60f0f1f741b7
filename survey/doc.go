// Package survey reads the exports of firm contact campaigns (CSV and XLSX
// files, and pulls from a campaign tool's HTTP JSON API) into
// fabbisogni.SurveyRecord values: the firm, the contact outcome and the
// hiring needs it declared.
//
// Every row is validated on its own (partita IVA and codice fiscale check
// characters, ATECO code, ISTAT municipality, dates in Italian formats,
// counts); a bad row becomes a RowError naming file, sheet, row, column,
// value and reason, and the rest of the file still goes through.
//
// Personal data of the people contacted (names, phone numbers, e-mail
// addresses) is read only to be dropped: the Referente, Telefono and Email
// columns never reach a record, and the same data found inside free text
// is masked before it leaves ImportFile, in records and in RowError values
// alike.
package survey
