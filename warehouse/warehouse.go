// Package warehouse owns everything ClickHouse: the schema and its
// migrations, batch writers for the pipeline's records, and the queries
// behind reports. It is the only package that imports clickhouse-go; no
// clickhouse-go type leaves it.
package warehouse

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"regexp"
	"sync"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	chdriver "github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/fabbisogni/fabbisogni"
)

// Config says how to reach ClickHouse.
type Config struct {
	Addr         string        // native protocol host:port; default "127.0.0.1:9000"
	Database     string        // created if missing; default "fabbisogni"
	Username     string        // default "default"
	Password     string        // default ""
	DialTimeout  time.Duration // default 5s
	ReadTimeout  time.Duration // per query; default 5m
	WriteTimeout time.Duration // one write to a server that stops reading fails after this (retryable); default 30s
	MaxOpenConns int           // default 8
	Logger       *slog.Logger  // nil discards
	Now          func() time.Time
}

// DefaultConfig returns the defaults documented on Config.
func DefaultConfig() Config {
	return Config{
		Addr:         "127.0.0.1:9000",
		Database:     "fabbisogni",
		Username:     "default",
		DialTimeout:  5 * time.Second,
		ReadTimeout:  5 * time.Minute,
		WriteTimeout: 30 * time.Second,
		MaxOpenConns: 8,
		Now:          time.Now,
	}
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate reports a config that cannot work.
func (c *Config) Validate() error {
	if c.Addr == "" {
		return fmt.Errorf("warehouse: empty address")
	}
	if !identRE.MatchString(c.Database) {
		return fmt.Errorf("warehouse: database name %q: letters, digits and _ only", c.Database)
	}
	return nil
}

// LogValue hides the password in logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.String("addr", c.Addr), slog.String("database", c.Database), slog.String("user", c.Username))
}

// Warehouse is a connection pool to one ClickHouse database. It is safe for
// concurrent use.
type Warehouse struct {
	conn chdriver.Conn
	cfg  Config
	log  *slog.Logger
}

// Open connects, creates the database if it does not exist, and returns a
// Warehouse using it. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*Warehouse, error) {
	def := DefaultConfig()
	if cfg.Database == "" {
		cfg.Database = def.Database
	}
	if cfg.Username == "" {
		cfg.Username = def.Username
	}
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = def.DialTimeout
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = def.ReadTimeout
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = def.WriteTimeout
	}
	if cfg.MaxOpenConns == 0 {
		cfg.MaxOpenConns = def.MaxOpenConns
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "warehouse")
	opts := func(db string) *clickhouse.Options {
		return &clickhouse.Options{
			Addr:         []string{cfg.Addr},
			Auth:         clickhouse.Auth{Database: db, Username: cfg.Username, Password: cfg.Password},
			DialTimeout:  cfg.DialTimeout,
			ReadTimeout:  cfg.ReadTimeout,
			MaxOpenConns: cfg.MaxOpenConns,
			MaxIdleConns: cfg.MaxOpenConns,
			Compression:  &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
			DialContext: func(ctx context.Context, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{Timeout: cfg.DialTimeout}).DialContext(ctx, "tcp", addr)
				if err != nil {
					return nil, err
				}
				return &writeTimeoutConn{Conn: c, timeout: cfg.WriteTimeout}, nil
			},
		}
	}
	boot, err := clickhouse.Open(opts("default"))
	if err != nil {
		return nil, fmt.Errorf("warehouse: open %s: %w", cfg.Addr, err)
	}
	err = boot.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+cfg.Database)
	boot.Close()
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: create database %s at %s: %w", cfg.Database, cfg.Addr, err))
	}
	conn, err := clickhouse.Open(opts(cfg.Database))
	if err != nil {
		return nil, fmt.Errorf("warehouse: open %s/%s: %w", cfg.Addr, cfg.Database, err)
	}
	return &Warehouse{conn: conn, cfg: cfg, log: log}, nil
}

// Close closes the pool.
func (w *Warehouse) Close() error { return w.conn.Close() }

// Database is the database name in use.
func (w *Warehouse) Database() string { return w.cfg.Database }

// Addr is the native address in use.
func (w *Warehouse) Addr() string { return w.cfg.Addr }

// Ping checks that the server answers.
func (w *Warehouse) Ping(ctx context.Context) error {
	if err := w.conn.Ping(ctx); err != nil {
		return classify(fmt.Errorf("warehouse: ping %s: %w", w.cfg.Addr, err))
	}
	return nil
}

// Exec runs one statement (for tools and tests: DDL, OPTIMIZE, DROP).
func (w *Warehouse) Exec(ctx context.Context, query string, args ...any) error {
	if err := w.conn.Exec(ctx, query, args...); err != nil {
		return classify(fmt.Errorf("warehouse: exec: %w", err))
	}
	return nil
}

// DropDatabase drops the database in use (tests, and `fabbisogni demo --fresh`).
func (w *Warehouse) DropDatabase(ctx context.Context) error {
	return w.Exec(ctx, "DROP DATABASE IF EXISTS "+w.cfg.Database)
}

// writeTimeoutConn bounds every write: clickhouse-go interrupts a blocked
// write only in batch.Send (it closes the connection when the context is
// done), not in batch.Flush, which InsertVacancies uses to stream a batch in
// chunks. So a server that stops reading (frozen, overloaded) fails a flush
// after the timeout with a retryable error instead of hanging it. A deadline
// clickhouse-go sets itself (from a context's deadline) is kept when it is
// earlier.
type writeTimeoutConn struct {
	net.Conn
	timeout time.Duration
	mu      sync.Mutex
	set     time.Time // write deadline set by the caller, zero for none
}

func (c *writeTimeoutConn) Write(b []byte) (int, error) {
	d := time.Now().Add(c.timeout)
	c.mu.Lock()
	if !c.set.IsZero() && c.set.Before(d) {
		d = c.set
	}
	c.mu.Unlock()
	if err := c.Conn.SetWriteDeadline(d); err != nil {
		return 0, err
	}
	return c.Conn.Write(b)
}

func (c *writeTimeoutConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *writeTimeoutConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetWriteDeadline(t)
}

// Server exception codes that mean "try again later".
var retryableCodes = map[int32]bool{
	159: true, // TIMEOUT_EXCEEDED
	164: true, // READONLY
	202: true, // TOO_MANY_SIMULTANEOUS_QUERIES
	203: true, // NO_FREE_CONNECTION
	209: true, // SOCKET_TIMEOUT
	210: true, // NETWORK_ERROR
	241: true, // MEMORY_LIMIT_EXCEEDED
	252: true, // TOO_MANY_PARTS
	319: true, // UNKNOWN_STATUS_OF_INSERT
	425: true, // SYSTEM_ERROR
}

// IsRetryable reports whether err is worth retrying after a back-off: the
// server is unreachable, overloaded or timed out. Other errors are
// permanent for the data that caused them.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if fabbisogni.ErrorCode(err) == fabbisogni.EUnavailable {
		return true
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return retryableCodes[ex.Code]
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, clickhouse.ErrAcquireConnTimeout) || errors.Is(err, context.DeadlineExceeded)
}

// classify wraps a retryable error so that callers outside this package can
// tell it apart with fabbisogni.ErrorCode == EUnavailable.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if IsRetryable(err) {
		return &unavailable{err}
	}
	return err
}

type unavailable struct{ err error }

func (u *unavailable) Error() string { return u.err.Error() }
func (u *unavailable) Unwrap() []error {
	return []error{u.err, &fabbisogni.Error{Code: fabbisogni.EUnavailable, Message: u.err.Error()}}
}
