package warehouse

import (
	"context"
	"fmt"
	"time"
)

// Demand measures: what a monthly demand series counts.
const (
	MeasureVacancies = "vacancies" // new vacancies posted in the month
	MeasureWorkers   = "workers"   // workers requested by those vacancies
	MeasureDeclared  = "declared"  // hires firms declared in surveys that month
)

// Unknown stands for a missing district, sector or ISCO code in demand
// cells and forecasts, so that they still add up to the totals.
const Unknown = "na"

// DemandCell is the demand of one month in one district, ATECO division
// and ISCO-08 minor group (3 digits; Unknown when the occupation was not
// coded to that depth).
type DemandCell struct {
	Measure  string
	District string
	Sector   string
	ISCO3    string
	Month    time.Time // first day, UTC
	Value    float64
}

// demandSQL reads the latest version of every vacancy and declared need
// (FINAL) and counts per month; rows without a date and near-duplicate
// vacancies (canonical_id set) are left out.
// vacancySectors is the canonical vacancies with the ATECO sector of the
// firm they were matched to (view vacancy_firms) where they carry none.
const vacancySectors = `(
        SELECT district, isco, isco_group, date_posted, openings, if(ateco != '', ateco, firm_ateco) AS ateco
        FROM (SELECT vacancy_id, district, isco, isco_group, date_posted, openings, ateco
              FROM vacancies FINAL WHERE canonical_id = '' AND date_posted > toDate('1971-01-01'))
        ANY LEFT JOIN (SELECT vacancy_id, ateco AS firm_ateco FROM vacancy_firms) USING vacancy_id)`

const demandSQL = `
SELECT measure, district, sector, isco3, month, value FROM (
    SELECT 'vacancies' AS measure, d AS district, s AS sector, i AS isco3, toStartOfMonth(date_posted) AS month, toFloat64(count()) AS value
    FROM (SELECT if(district = '', 'na', district) AS d, if(length(ateco) >= 2, substring(ateco, 1, 2), 'na') AS s,
                 if(length(if(isco != '', isco, isco_group)) >= 3, substring(if(isco != '', isco, isco_group), 1, 3), 'na') AS i, date_posted
          FROM ` + vacancySectors + `)
    GROUP BY measure, district, sector, isco3, month
    UNION ALL
    SELECT 'workers' AS measure, d AS district, s AS sector, i AS isco3, toStartOfMonth(date_posted) AS month, toFloat64(sum(greatest(openings, 1))) AS value
    FROM (SELECT if(district = '', 'na', district) AS d, if(length(ateco) >= 2, substring(ateco, 1, 2), 'na') AS s,
                 if(length(if(isco != '', isco, isco_group)) >= 3, substring(if(isco != '', isco, isco_group), 1, 3), 'na') AS i, date_posted, openings
          FROM ` + vacancySectors + `)
    GROUP BY measure, district, sector, isco3, month
    UNION ALL
    SELECT 'declared' AS measure, d AS district, s AS sector, i AS isco3, toStartOfMonth(declared_at) AS month, toFloat64(sum(hires)) AS value
    FROM (SELECT if(district = '', 'na', district) AS d, if(length(ateco) >= 2, substring(ateco, 1, 2), 'na') AS s,
                 if(length(if(isco != '', isco, isco_group)) >= 3, substring(if(isco != '', isco, isco_group), 1, 3), 'na') AS i, declared_at, hires
          FROM hiring_needs FINAL WHERE declared_at > toDate('1971-01-01'))
    GROUP BY measure, district, sector, isco3, month
)
ORDER BY measure, district, sector, isco3, month`

// Demand returns the monthly demand cells of every measure, from the latest
// version of each vacancy and hiring need. Months without demand are absent.
func (w *Warehouse) Demand(ctx context.Context) ([]DemandCell, error) {
	rows, err := w.conn.Query(ctx, demandSQL)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: demand series: %w", err))
	}
	defer rows.Close()
	var out []DemandCell
	for rows.Next() {
		var c DemandCell
		if err := rows.Scan(&c.Measure, &c.District, &c.Sector, &c.ISCO3, &c.Month, &c.Value); err != nil {
			return nil, fmt.Errorf("warehouse: demand series: scan: %w", err)
		}
		c.Month = time.Date(c.Month.Year(), c.Month.Month(), 1, 0, 0, 0, 0, time.UTC)
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeclaredNeed is the hires firms of one cell declared in one month, with the
// horizon they declared them for (fabbisogni.Horizon* values).
type DeclaredNeed struct {
	District string
	Sector   string
	ISCO3    string
	Month    time.Time
	Horizon  string
	Hires    float64
}

// DeclaredNeeds returns the declared hires by cell, month of declaration and
// horizon (latest version of each need).
func (w *Warehouse) DeclaredNeeds(ctx context.Context) ([]DeclaredNeed, error) {
	rows, err := w.conn.Query(ctx, `
SELECT d, s, i, toStartOfMonth(declared_at) AS month, horizon, toFloat64(sum(hires))
FROM (SELECT if(district = '', 'na', district) AS d, if(length(ateco) >= 2, substring(ateco, 1, 2), 'na') AS s,
             if(length(if(isco != '', isco, isco_group)) >= 3, substring(if(isco != '', isco, isco_group), 1, 3), 'na') AS i, declared_at, horizon, hires
      FROM hiring_needs FINAL WHERE declared_at > toDate('1971-01-01'))
GROUP BY d, s, i, month, horizon
ORDER BY d, s, i, month, horizon`)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: declared needs: %w", err))
	}
	defer rows.Close()
	var out []DeclaredNeed
	for rows.Next() {
		var n DeclaredNeed
		if err := rows.Scan(&n.District, &n.Sector, &n.ISCO3, &n.Month, &n.Horizon, &n.Hires); err != nil {
			return nil, fmt.Errorf("warehouse: declared needs: scan: %w", err)
		}
		n.Month = time.Date(n.Month.Year(), n.Month.Month(), 1, 0, 0, 0, 0, time.UTC)
		out = append(out, n)
	}
	return out, rows.Err()
}

// ForecastRow is one stored forecast: one series, one target month.
type ForecastRow struct {
	RunID     string
	CreatedAt time.Time
	Method    string
	Level     string // region, district, sector, isco2, isco3
	District  string // "" for the region
	Sector    string // ATECO division, "" above the sector level
	ISCO      string // 2 or 3 digits, "" above the isco levels
	Measure   string // MeasureVacancies, MeasureWorkers, MeasureDeclared
	Origin    time.Time
	Target    time.Time
	Horizon   int
	Point     float64
	Lo80      float64
	Hi80      float64
	Lo95      float64
	Hi95      float64
}

// ForecastBatchSize is how many rows InsertForecasts sends per batch.
const ForecastBatchSize = 50_000

// InsertForecasts writes forecasts in batches of ForecastBatchSize. Rows of
// one run are keyed by (run, series, method, month), so inserting a batch
// again (a retry) changes no FINAL count.
func (w *Warehouse) InsertForecasts(ctx context.Context, rs []ForecastRow) error {
	for len(rs) > 0 {
		n := min(len(rs), ForecastBatchSize)
		if err := w.insertForecasts(ctx, rs[:n]); err != nil {
			return err
		}
		rs = rs[n:]
	}
	return nil
}

func (w *Warehouse) insertForecasts(ctx context.Context, rs []ForecastRow) error {
	b, err := w.conn.PrepareBatch(ctx, "INSERT INTO hiring_forecasts (run_id, created_at, method, level, district, sector, isco, measure, origin, target_month, horizon, point, lo80, hi80, lo95, hi95, version)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: prepare hiring_forecasts batch: %w", err))
	}
	defer b.Abort()
	for i := range rs {
		r := &rs[i]
		if r.Horizon < 1 || r.Horizon > 255 {
			return fmt.Errorf("warehouse: forecast %s/%s/%s/%s horizon %d out of range", r.Measure, r.District, r.Sector, r.ISCO, r.Horizon)
		}
		err := b.Append(r.RunID, r.CreatedAt.UTC().Truncate(time.Second), r.Method, r.Level, r.District, r.Sector, r.ISCO, r.Measure,
			day(r.Origin), day(r.Target), uint8(r.Horizon), r.Point, r.Lo80, r.Hi80, r.Lo95, r.Hi95, uint64(r.CreatedAt.UnixNano()))
		if err != nil {
			return fmt.Errorf("warehouse: append forecast %s/%s/%s/%s %s: %w", r.Measure, r.District, r.Sector, r.ISCO, r.Target.Format("2006-01"), err)
		}
	}
	if err := b.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: send hiring_forecasts batch rows=%d: %w", len(rs), err))
	}
	return nil
}

// ForecastSummary is the stored forecast of one series over a range of
// horizons: the sum of points and bounds-of-sums are not additive, so only
// points are summed.
type ForecastSummary struct {
	RunID    string
	Method   string
	Level    string
	District string
	Sector   string
	ISCO     string
	Measure  string
	Point    float64 // sum of the point forecasts over the horizons
}

// LatestForecasts returns, for the latest run, the summed point forecast of
// every series of the level and measure over horizons from..to; district
// "" means every district.
func (w *Warehouse) LatestForecasts(ctx context.Context, level, measure, district string, from, to int) ([]ForecastSummary, error) {
	rows, err := w.conn.Query(ctx, `
SELECT run_id, method, level, district, sector, isco, measure, sum(point)
FROM hiring_forecasts_latest
WHERE level = ? AND measure = ? AND (? = '' OR district = ?) AND horizon BETWEEN ? AND ?
GROUP BY run_id, method, level, district, sector, isco, measure
ORDER BY district, sector, isco, method`, level, measure, district, district, uint8(from), uint8(to))
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: latest forecasts: %w", err))
	}
	defer rows.Close()
	var out []ForecastSummary
	for rows.Next() {
		var s ForecastSummary
		if err := rows.Scan(&s.RunID, &s.Method, &s.Level, &s.District, &s.Sector, &s.ISCO, &s.Measure, &s.Point); err != nil {
			return nil, fmt.Errorf("warehouse: latest forecasts: scan: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
