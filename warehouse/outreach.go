package warehouse

import (
	"context"
	"fmt"
	"time"
)

// OutreachRow is one firm of the outreach_priority view.
type OutreachRow struct {
	District         string
	FirmID           string // partita IVA / id of campaign firms, "" for firms seen only posting
	FirmName         string
	ATECO            string
	RecentPostings   uint64  // vacancies posted in the last 90 days
	PostedWorkers    uint64  // workers they request
	DeclaredHires    uint64  // hires declared for the next 12 months
	ForecastHires    float64 // the firm's share of the district's next-quarter forecast
	ExpectedHires    float64 // PostedWorkers + max(DeclaredHires, ForecastHires)
	HardToFill       uint64  // needs declared difficult + vacancies open over 45 days + reposts
	Contacts         uint64
	LastContact      time.Time // zero when never contacted
	LastOutcome      string
	NeverContacted   bool
	DaysSinceContact int64
	Score            float64
	Why              string
}

// Outreach returns the firms of a district ("" for all) ranked by
// outreach_priority's score, at most limit per district (0: all).
func (w *Warehouse) Outreach(ctx context.Context, district string, limit int) ([]OutreachRow, error) {
	q := `
SELECT district, firm_id, firm_name, ateco, recent_postings, posted_workers, declared_hires, forecast_hires, expected_hires,
       hard_to_fill, contacts, last_contact, last_outcome, never_contacted, days_since_contact, score, why
FROM outreach_priority
WHERE (? = '' OR district = ?)
ORDER BY district, score DESC, expected_hires DESC, firm_name`
	if limit > 0 {
		q += fmt.Sprintf("\nLIMIT %d BY district", limit)
	}
	rows, err := w.conn.Query(ctx, q, district, district)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: outreach district=%q: %w", district, err))
	}
	defer rows.Close()
	var out []OutreachRow
	for rows.Next() {
		var r OutreachRow
		var never uint8
		var days int64
		if err := rows.Scan(&r.District, &r.FirmID, &r.FirmName, &r.ATECO, &r.RecentPostings, &r.PostedWorkers, &r.DeclaredHires, &r.ForecastHires,
			&r.ExpectedHires, &r.HardToFill, &r.Contacts, &r.LastContact, &r.LastOutcome, &never, &days, &r.Score, &r.Why); err != nil {
			return nil, fmt.Errorf("warehouse: outreach: scan: %w", err)
		}
		r.NeverContacted, r.DaysSinceContact = never == 1, days
		if r.NeverContacted {
			r.LastContact = time.Time{}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
