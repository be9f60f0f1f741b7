package warehouse

import (
	"context"
	"fmt"
)

// Tables are the tables the pipeline fills, in report order.
var Tables = []string{"vacancies", "vacancy_skills", "firms", "contacts", "hiring_needs", "hiring_need_skills", "job_seekers", "job_seeker_skills"}

// TableCount is the number of distinct rows of a table (read with FINAL).
type TableCount struct {
	Table string
	Rows  uint64
}

// Counts returns the FINAL row count of every table in Tables: what an
// analyst sees after replacing merges, however many times records were
// inserted.
func (w *Warehouse) Counts(ctx context.Context) ([]TableCount, error) {
	out := make([]TableCount, 0, len(Tables))
	for _, t := range Tables {
		var n uint64
		if err := w.conn.QueryRow(ctx, "SELECT count() FROM "+t+" FINAL").Scan(&n); err != nil {
			return nil, classify(fmt.Errorf("warehouse: count %s: %w", t, err))
		}
		out = append(out, TableCount{Table: t, Rows: n})
	}
	return out, nil
}

// Ranked is one row of a top-N list per district.
type Ranked struct {
	District string
	Code     string // skill URI or ISCO code
	Label    string
	Mentions uint64 // postings and declared needs mentioning it
	Workers  uint64 // workers requested / hires declared behind those mentions
}

// TopSkills returns, per district, the n skills most in demand across
// vacancies and declared hiring needs (negated mentions and near-duplicate
// vacancies excluded; only the latest extraction of each record counts).
func (w *Warehouse) TopSkills(ctx context.Context, n int) ([]Ranked, error) {
	q := fmt.Sprintf(`
SELECT district, skill_uri, any(skill_label) AS label, count() AS mentions, sum(workers) AS workers
FROM (
    SELECT district, skill_uri, skill_label, toUInt64(openings) AS workers
    FROM vacancy_skills FINAL
    WHERE negated = 0 AND (vacancy_id, version) IN (SELECT vacancy_id, version FROM vacancies FINAL WHERE canonical_id = '')
    UNION ALL
    SELECT district, skill_uri, skill_label, toUInt64(hires) AS workers
    FROM hiring_need_skills FINAL
    WHERE negated = 0 AND (need_id, version) IN (SELECT need_id, max(version) FROM hiring_needs GROUP BY need_id)
)
GROUP BY district, skill_uri
ORDER BY district, mentions DESC, workers DESC, label
LIMIT %d BY district`, n)
	return w.ranked(ctx, "top skills", q)
}

// TopOccupations returns, per district, the n ISCO-08 occupations (4-digit,
// or the fallback group) most in demand: workers requested in vacancies plus
// hires declared in surveys.
func (w *Warehouse) TopOccupations(ctx context.Context, n int) ([]Ranked, error) {
	q := fmt.Sprintf(`
SELECT district, code, any(label) AS label, count() AS mentions, sum(workers) AS workers
FROM (
    SELECT district, if(isco != '', isco, isco_group) AS code, if(occupation_label != '', occupation_label, concat('ISCO ', isco_group)) AS label, toUInt64(openings) AS workers
    FROM vacancies FINAL
    WHERE canonical_id = ''
    UNION ALL
    SELECT district, if(isco != '', isco, isco_group) AS code, if(occupation_label != '', occupation_label, concat('ISCO ', isco_group)) AS label, toUInt64(hires) AS workers
    FROM hiring_needs FINAL
)
WHERE code != ''
GROUP BY district, code
ORDER BY district, workers DESC, mentions DESC, label
LIMIT %d BY district`, n)
	return w.ranked(ctx, "top occupations", q)
}

func (w *Warehouse) ranked(ctx context.Context, what, q string) ([]Ranked, error) {
	rows, err := w.conn.Query(ctx, q)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: %s: %w", what, err))
	}
	defer rows.Close()
	var out []Ranked
	for rows.Next() {
		var r Ranked
		if err := rows.Scan(&r.District, &r.Code, &r.Label, &r.Mentions, &r.Workers); err != nil {
			return nil, fmt.Errorf("warehouse: %s: scan: %w", what, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RunQuery runs an ad-hoc read query (documentation examples, analyst
// snippets) and returns the number of rows it produced.
func (w *Warehouse) RunQuery(ctx context.Context, query string) (int, error) {
	rows, err := w.conn.Query(ctx, query)
	if err != nil {
		return 0, classify(fmt.Errorf("warehouse: query: %w", err))
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// EachText calls fn with every value of every String and Array(String)
// column of every table in the database: a privacy audit (no contact
// person's name, phone or e-mail may ever reach ClickHouse) and a check for
// tests.
func (w *Warehouse) EachText(ctx context.Context, fn func(table, column, value string)) error {
	rows, err := w.conn.Query(ctx, `SELECT c.table, c.name, c.type FROM system.columns AS c
		ANY INNER JOIN (SELECT name AS table FROM system.tables WHERE database = ? AND engine LIKE '%MergeTree') USING table
		WHERE c.database = ? AND c.type IN ('String', 'Array(String)')`, w.cfg.Database, w.cfg.Database)
	if err != nil {
		return classify(fmt.Errorf("warehouse: list text columns: %w", err))
	}
	type col struct{ table, name, typ string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.name, &c.typ); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	for _, c := range cols {
		rs, err := w.conn.Query(ctx, fmt.Sprintf("SELECT `%s` FROM `%s`", c.name, c.table))
		if err != nil {
			return classify(fmt.Errorf("warehouse: read %s.%s: %w", c.table, c.name, err))
		}
		for rs.Next() {
			if c.typ == "String" {
				var s string
				if err := rs.Scan(&s); err != nil {
					rs.Close()
					return err
				}
				fn(c.table, c.name, s)
				continue
			}
			var ss []string
			if err := rs.Scan(&ss); err != nil {
				rs.Close()
				return err
			}
			for _, s := range ss {
				fn(c.table, c.name, s)
			}
		}
		rs.Close()
	}
	return nil
}
