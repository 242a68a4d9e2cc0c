package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/program"
)

var _ program.TenantStore = (*Store)(nil)

const tenantColumns = "id, code, name, province, public_key, created_at"

func scanTenant(r scanner) (*program.Tenant, error) {
	var t program.Tenant
	var created int64
	if err := r.Scan(&t.ID, &t.Code, &t.Name, &t.Province, &t.PublicKey, &created); err != nil {
		return nil, err
	}
	if created != 0 {
		t.CreatedAt = time.Unix(created, 0)
	}
	return &t, nil
}

// Tenants lists every tenant by id.
func (s *Store) Tenants(ctx context.Context) ([]program.Tenant, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+tenantColumns+" FROM tenants ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	defer rows.Close()
	var out []program.Tenant
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, fmt.Errorf("listing tenants: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// Tenant returns one tenant by id.
func (s *Store) Tenant(ctx context.Context, id int64) (*program.Tenant, error) {
	return s.oneTenant(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE id = $1", id)
}

// TenantByCode returns one tenant by its code.
func (s *Store) TenantByCode(ctx context.Context, code string) (*program.Tenant, error) {
	return s.oneTenant(ctx, "SELECT "+tenantColumns+" FROM tenants WHERE code = $1", code)
}

func (s *Store) oneTenant(ctx context.Context, q string, arg any) (*program.Tenant, error) {
	t, err := scanTenant(s.read.QueryRowContext(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, program.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reading tenant: %w", err)
	}
	return t, nil
}

// CreateTenant inserts t and sets its ID.
func (s *Store) CreateTenant(ctx context.Context, t *program.Tenant) error {
	id, err := insertID(ctx, s.write, `INSERT INTO tenants (code, name, province, public_key, created_at)
		VALUES ($1, $2, $3, $4, $5)`, t.Code, t.Name, t.Province, t.PublicKey, t.CreatedAt.Unix())
	if IsUniqueViolation(err) {
		return fmt.Errorf("creating tenant %s: %w", t.Code, program.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("creating tenant %s: %w", t.Code, err)
	}
	t.ID = id
	return nil
}

// UpdateTenant writes the code, name, province and public key of t.ID.
func (s *Store) UpdateTenant(ctx context.Context, t *program.Tenant) error {
	res, err := s.write.ExecContext(ctx, `UPDATE tenants SET code = $1, name = $2, province = $3, public_key = $4
		WHERE id = $5`, t.Code, t.Name, t.Province, t.PublicKey, t.ID)
	if IsUniqueViolation(err) {
		return fmt.Errorf("updating tenant %d: %w", t.ID, program.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("updating tenant %d: %w", t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("updating tenant %d: %w", t.ID, program.ErrNotFound)
	}
	return nil
}

// LiveTenants are the tenants with at least one staff account of a ward
// role (city accounts do not make a ward live).
func (s *Store) LiveTenants(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT DISTINCT tenant_id FROM users WHERE role <> $1", program.RoleCity)
	if err != nil {
		return nil, fmt.Errorf("listing live tenants: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// SaveFigureFile stores f, replacing the file of the same tenant and
// period, in one transaction.
func (s *Store) SaveFigureFile(ctx context.Context, f *program.FigureFile) (bool, error) {
	from, to := f.Period.From.Unix(), f.Period.To.Unix()
	replaced := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM figure_files WHERE tenant_id = $1 AND period_from = $2
			AND period_to = $3`, f.TenantID, from, to).Scan(&id)
		switch {
		case err == nil:
			replaced = true
			f.ID = id
			_, err = tx.ExecContext(ctx, `UPDATE figure_files SET data = $1, imported_at = $2, imported_by = $3,
				imported_by_name = $4 WHERE id = $5`, string(f.Data), f.ImportedAt.Unix(), f.ImportedBy, f.ImportedByName, id)
			return err
		case errors.Is(err, sql.ErrNoRows):
			f.ID, err = insertID(ctx, tx, `INSERT INTO figure_files (tenant_id, period_from, period_to, data,
				imported_at, imported_by, imported_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				f.TenantID, from, to, string(f.Data), f.ImportedAt.Unix(), f.ImportedBy, f.ImportedByName)
			return err
		default:
			return err
		}
	})
	if err != nil {
		return false, fmt.Errorf("saving figure file: %w", err)
	}
	return replaced, nil
}

// FigureFiles returns the files of exactly period p, by tenant.
func (s *Store) FigureFiles(ctx context.Context, p program.Period) (map[int64]program.FigureFile, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, tenant_id, period_from, period_to, data, imported_at,
		imported_by, imported_by_name FROM figure_files WHERE period_from = $1 AND period_to = $2`,
		p.From.Unix(), p.To.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading figure files: %w", err)
	}
	defer rows.Close()
	out := map[int64]program.FigureFile{}
	for rows.Next() {
		var f program.FigureFile
		var from, to, at int64
		var data string
		if err := rows.Scan(&f.ID, &f.TenantID, &from, &to, &data, &at, &f.ImportedBy, &f.ImportedByName); err != nil {
			return nil, fmt.Errorf("reading figure files: %w", err)
		}
		f.Period = program.Period{From: time.Unix(from, 0), To: time.Unix(to, 0)}
		f.Data, f.ImportedAt = []byte(data), time.Unix(at, 0)
		out[f.TenantID] = f
	}
	return out, rows.Err()
}
