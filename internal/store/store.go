// Package store keeps Mạng Lành's data in SQLite (modernc.org/sqlite, the
// embedded default) or PostgreSQL (pgx), through one API and one set of
// migrations. Each entity has its own file; domain packages declare the
// interfaces they need and *Store satisfies them.
//
// SQL is written once with $1-style placeholders, which both engines accept.
// Times are stored as BIGINT milliseconds since the Unix epoch (UTC).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Dialect names the database engine behind a Store.
type Dialect string

// The two engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("store: not found")

// Config says where the data lives.
type Config struct {
	// DSN is empty for SQLite in DataDir, or a postgres:// URL.
	DSN     string
	DataDir string
	Logger  *slog.Logger
}

// Store is the database. It is safe for concurrent use. On SQLite, writes go
// through a single connection (SQLite allows one writer) and reads through a
// pool, so a long read never blocks the writer; on PostgreSQL both are the
// same pool.
type Store struct {
	dialect Dialect
	write   *sql.DB
	read    *sql.DB
	log     *slog.Logger
	path    string

	pruneMu           sync.Mutex
	lastThrottlePrune time.Time
}

// Open connects to the database and applies pending migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	s, err := Connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Connect opens the database without migrating it.
func Connect(ctx context.Context, cfg Config) (*Store, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.DSN == "" {
		return openSQLite(ctx, cfg.DataDir, log)
	}
	if strings.HasPrefix(cfg.DSN, "postgres://") || strings.HasPrefix(cfg.DSN, "postgresql://") {
		return openPostgres(ctx, cfg.DSN, log)
	}
	return nil, fmt.Errorf("store: unsupported database %q (want empty for SQLite or postgres://)", redact(cfg.DSN))
}

func openSQLite(ctx context.Context, dir string, log *slog.Logger) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: data directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	path := filepath.Join(dir, "manglanh.db")
	// synchronous(FULL): an acknowledged report survives a power cut, not
	// only a killed process; writes are rare next to reads.
	pragmas := "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=synchronous(FULL)&_txlock=immediate"
	w, err := sql.Open("sqlite", "file:"+path+pragmas)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", "file:"+path+pragmas+"&_pragma=query_only(ON)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return &Store{dialect: SQLite, write: w, read: r, log: log, path: path}, nil
}

func openPostgres(ctx context.Context, dsn string, log *slog.Logger) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxLifetime(30 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connecting to %s: %w", redact(dsn), err)
	}
	return &Store{dialect: Postgres, write: db, read: db, log: log}, nil
}

// redact hides the password of a database URL, so it never reaches a log.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable database URL)"
	}
	return u.Redacted()
}

// Dialect reports the engine.
func (s *Store) Dialect() Dialect { return s.dialect }

// Path is the SQLite file, or "" on PostgreSQL.
func (s *Store) Path() string { return s.path }

// Ping checks the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	return s.read.PingContext(ctx)
}

// Close releases the connections.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		if e := s.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// tx runs fn in a write transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// insertID runs an INSERT … RETURNING id on either engine.
func insertID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// ms converts a time to stored milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// IsUniqueViolation reports whether err is a unique-constraint violation on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// itoa formats a bounded LIMIT; non-positive limits become 100.
func itoa(n int) string {
	if n <= 0 || n > 100_000 {
		n = 100
	}
	return fmt.Sprint(n)
}
