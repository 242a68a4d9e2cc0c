package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/sources"
)

// Source is where reports come from (a QR poster's place); the sources
// package defines it.
type Source = sources.Source

var _ sources.Store = (*Store)(nil)

// CreateSource stores src and sets its ID.
func (s *Store) CreateSource(ctx context.Context, src *Source) error {
	if src.CreatedAt.IsZero() {
		src.CreatedAt = time.Now()
	}
	id, err := insertID(ctx, s.write, `INSERT INTO report_sources (name, kind, address, created_at, created_by, tenant_id)
		VALUES ($1, $2, $3, $4, $5, $6)`, src.Name, src.Kind, src.Address, ms(src.CreatedAt), src.CreatedBy, userTenant(src.TenantID))
	if err != nil {
		return fmt.Errorf("creating report source: %w", err)
	}
	src.ID = id
	return nil
}

// GetSource returns source id, or ErrNotFound.
func (s *Store) GetSource(ctx context.Context, id int64) (Source, error) {
	var src Source
	var at int64
	err := s.read.QueryRowContext(ctx, `SELECT id, name, kind, address, created_at, created_by, tenant_id
		FROM report_sources WHERE id = $1`, id).Scan(&src.ID, &src.Name, &src.Kind, &src.Address, &at, &src.CreatedBy, &src.TenantID)
	if errors.Is(err, sql.ErrNoRows) {
		// Both the store's and the sources package's not-found.
		return src, fmt.Errorf("report source %d: %w (%w)", id, ErrNotFound, sources.ErrNotFound)
	}
	if err != nil {
		return src, fmt.Errorf("reading report source %d: %w", id, err)
	}
	src.CreatedAt = fromMS(at)
	return src, nil
}

// ListSources returns every source, newest first.
func (s *Store) ListSources(ctx context.Context) ([]Source, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, kind, address, created_at, created_by, tenant_id
		FROM report_sources ORDER BY id DESC LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("listing report sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		var src Source
		var at int64
		if err := rows.Scan(&src.ID, &src.Name, &src.Kind, &src.Address, &at, &src.CreatedBy, &src.TenantID); err != nil {
			return nil, err
		}
		src.CreatedAt = fromMS(at)
		out = append(out, src)
	}
	return out, rows.Err()
}

// SourceTenant is the ward of report source id (cases.SourceTenants): a
// public report reached from its poster is that ward's case.
func (cs *CaseStore) SourceTenant(ctx context.Context, id int64) (int64, error) {
	var t int64
	err := cs.db.read.QueryRowContext(ctx, "SELECT tenant_id FROM report_sources WHERE id = $1", id).Scan(&t)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("report source %d: %w", id, cases.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("reading the ward of report source %d: %w", id, err)
	}
	return t, nil
}

var _ cases.SourceTenants = (*CaseStore)(nil)
