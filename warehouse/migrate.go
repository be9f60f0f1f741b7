package warehouse

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change: a file migrations/NNNN_name.sql
// holding statements separated by semicolons at line ends.
type Migration struct {
	Version    uint32
	Name       string
	Statements []string
}

// Migrations returns the embedded migrations in version order.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var ms []Migration
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "migrations/"), ".sql")
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.ParseUint(num, 10, 32)
		if !ok || err != nil {
			return nil, fmt.Errorf("warehouse: migration %s: name must be NNNN_name.sql", name)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: uint32(v), Name: rest, Statements: splitStatements(string(body))})
	}
	return ms, nil
}

// splitStatements splits SQL on semicolons that end a line, dropping
// comment-only lines.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			s := strings.TrimSuffix(strings.TrimSpace(cur.String()), ";")
			out = append(out, s)
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Migrate applies the migrations not yet recorded in schema_migrations, in
// order, and returns the versions it applied. Applying twice is a no-op:
// applied versions are skipped, and every statement is itself idempotent
// (IF NOT EXISTS), so a migration interrupted half-way is completed by the
// next run.
func (w *Warehouse) Migrate(ctx context.Context) ([]uint32, error) {
	if err := w.conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version UInt32, name String, applied_at DateTime
	) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`); err != nil {
		return nil, fmt.Errorf("warehouse: create schema_migrations: %w", err)
	}
	done := map[uint32]bool{}
	rows, err := w.conn.Query(ctx, "SELECT DISTINCT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("warehouse: read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, err
		}
		done[v] = true
	}
	rows.Close()
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	var applied []uint32
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		for i, stmt := range m.Statements {
			if err := w.conn.Exec(ctx, stmt); err != nil && !alreadyApplied(stmt, err) {
				return applied, fmt.Errorf("warehouse: migration %04d_%s statement %d: %w", m.Version, m.Name, i+1, err)
			}
		}
		if err := w.recordMigration(ctx, m); err != nil {
			return applied, err
		}
		w.log.Info("migration applied", "version", m.Version, "name", m.Name)
		applied = append(applied, m.Version)
	}
	return applied, nil
}

// recordMigration inserts the migration's row through a batch: 18.16 does
// not answer an INSERT with inline VALUES sent by the native client.
func (w *Warehouse) recordMigration(ctx context.Context, m Migration) error {
	b, err := w.conn.PrepareBatch(ctx, "INSERT INTO schema_migrations (version, name, applied_at)")
	if err != nil {
		return fmt.Errorf("warehouse: record migration %04d: %w", m.Version, err)
	}
	defer b.Abort()
	if err := b.Append(m.Version, m.Name, w.cfg.Now().UTC()); err != nil {
		return fmt.Errorf("warehouse: record migration %04d: %w", m.Version, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("warehouse: record migration %04d: %w", m.Version, err)
	}
	return nil
}

// alreadyApplied reports an ALTER ... ADD COLUMN whose column exists: a
// migration interrupted after it ran. 18.16 has no ADD COLUMN IF NOT EXISTS.
func alreadyApplied(stmt string, err error) bool {
	var ex *clickhouse.Exception
	return errors.As(err, &ex) && ex.Code == 44 && strings.Contains(strings.ToUpper(stmt), "ADD COLUMN")
}
