package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/program"
)

var _ program.ShopStore = (*Store)(nil)

const shopCols = `id, tenant_id, kind, name, address, owner, phone, certificate, cert_issued, cert_expires,
	opens, closes, machines, active, notes, created_at, updated_at, version, closed_at`

func scanShop(sc interface{ Scan(...any) error }) (program.Shop, error) {
	var sh program.Shop
	var issued, expires, created, updated, active, closed int64
	err := sc.Scan(&sh.ID, &sh.TenantID, &sh.Kind, &sh.Name, &sh.Address, &sh.Owner, &sh.Phone, &sh.Certificate,
		&issued, &expires, &sh.Opens, &sh.Closes, &sh.Machines, &active, &sh.Notes, &created, &updated, &sh.Version, &closed)
	sh.CertIssued, sh.CertExpires, sh.CreatedAt, sh.UpdatedAt = fromMS(issued), fromMS(expires), fromMS(created), fromMS(updated)
	sh.ClosedAt = fromMS(closed)
	sh.Active = active != 0
	return sh, err
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateShop inserts sh and sets its ID.
func (s *Store) CreateShop(ctx context.Context, sh *program.Shop) error {
	id, err := insertID(ctx, s.write, `INSERT INTO program_shops (tenant_id, kind, name, address, owner, phone, certificate,
		cert_issued, cert_expires, opens, closes, machines, active, notes, created_at, updated_at, version, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		sh.TenantID, sh.Kind, sh.Name, sh.Address, sh.Owner, sh.Phone, sh.Certificate, ms(sh.CertIssued), ms(sh.CertExpires),
		sh.Opens, sh.Closes, sh.Machines, boolInt(sh.Active), sh.Notes, ms(sh.CreatedAt), ms(sh.UpdatedAt), sh.Version, ms(sh.ClosedAt))
	if err != nil {
		return fmt.Errorf("storing shop: %w", err)
	}
	sh.ID = id
	return nil
}

// UpdateShop saves sh when its Version is the stored one, then increments
// sh.Version; another version is program.ErrConflict, no row ErrNotFound.
func (s *Store) UpdateShop(ctx context.Context, sh *program.Shop) error {
	res, err := s.write.ExecContext(ctx, `UPDATE program_shops SET kind = $1, name = $2, address = $3, owner = $4, phone = $5,
		certificate = $6, cert_issued = $7, cert_expires = $8, opens = $9, closes = $10, machines = $11, active = $12,
		notes = $13, updated_at = $14, closed_at = $15, version = version + 1
		WHERE id = $16 AND tenant_id = $17 AND version = $18`,
		sh.Kind, sh.Name, sh.Address, sh.Owner, sh.Phone, sh.Certificate, ms(sh.CertIssued), ms(sh.CertExpires),
		sh.Opens, sh.Closes, sh.Machines, boolInt(sh.Active), sh.Notes, ms(sh.UpdatedAt), ms(sh.ClosedAt), sh.ID, sh.TenantID, sh.Version)
	if err != nil {
		return fmt.Errorf("updating shop %d: %w", sh.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.ShopByID(ctx, sh.TenantID, sh.ID); err != nil {
			return err
		}
		return program.ErrConflict
	}
	sh.Version++
	return nil
}

// ShopByID returns a shop of tenant, or program.ErrNotFound.
func (s *Store) ShopByID(ctx context.Context, tenant, id int64) (*program.Shop, error) {
	sh, err := scanShop(s.read.QueryRowContext(ctx, "SELECT "+shopCols+" FROM program_shops WHERE id = $1 AND tenant_id = $2", id, tenant))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, program.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("loading shop %d: %w", id, err)
	}
	return &sh, nil
}

// ShopsOf returns every shop of tenant, by id.
func (s *Store) ShopsOf(ctx context.Context, tenant int64) ([]program.Shop, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+shopCols+" FROM program_shops WHERE tenant_id = $1 ORDER BY id", tenant)
	if err != nil {
		return nil, fmt.Errorf("listing shops: %w", err)
	}
	defer rows.Close()
	var out []program.Shop
	for rows.Next() {
		sh, err := scanShop(rows)
		if err != nil {
			return nil, fmt.Errorf("listing shops: %w", err)
		}
		out = append(out, sh)
	}
	return out, rows.Err()
}

// CreateInspection stores in and its violations in one transaction; the
// shop must be of in's tenant.
func (s *Store) CreateInspection(ctx context.Context, in *program.Inspection) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM program_shops WHERE id = $1 AND tenant_id = $2", in.ShopID, in.TenantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return program.ErrNotFound
		}
		id, err := insertID(ctx, tx, `INSERT INTO program_inspections (tenant_id, shop_id, date, team, findings, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, in.TenantID, in.ShopID, ms(in.Date), in.Team, in.Findings, in.CreatedBy, ms(in.CreatedAt))
		if err != nil {
			return fmt.Errorf("storing inspection: %w", err)
		}
		for i := range in.Violations {
			v := &in.Violations[i]
			vid, err := insertID(ctx, tx, `INSERT INTO program_violations (tenant_id, inspection_id, shop_id, article, description, fine_min_vnd, fine_max_vnd)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, in.TenantID, id, in.ShopID, v.Article, v.Description, v.FineMinVND, v.FineMaxVND)
			if err != nil {
				return fmt.Errorf("storing violation %d: %w", i, err)
			}
			v.ID, v.InspectionID, v.ShopID = vid, id, in.ShopID
		}
		in.ID = id
		return nil
	})
}

// InspectionsUpTo returns tenant's inspections dated before to, oldest
// first, each with its violations and their actions (in date order).
func (s *Store) InspectionsUpTo(ctx context.Context, tenant int64, to time.Time) ([]program.Inspection, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, tenant_id, shop_id, date, team, findings, created_by, created_at
		FROM program_inspections WHERE tenant_id = $1 AND date < $2 ORDER BY date, id`, tenant, ms(to))
	if err != nil {
		return nil, fmt.Errorf("listing inspections: %w", err)
	}
	var out []program.Inspection
	idx := map[int64]int{}
	for rows.Next() {
		var in program.Inspection
		var date, created int64
		if err := rows.Scan(&in.ID, &in.TenantID, &in.ShopID, &date, &in.Team, &in.Findings, &in.CreatedBy, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing inspections: %w", err)
		}
		in.Date, in.CreatedAt = fromMS(date), fromMS(created)
		idx[in.ID] = len(out)
		out = append(out, in)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vs, err := s.violations(ctx, tenant, "")
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if i, ok := idx[v.InspectionID]; ok {
			out[i].Violations = append(out[i].Violations, v)
		}
	}
	return out, nil
}

// violations loads tenant's violations (one when where selects it) with
// their actions.
func (s *Store) violations(ctx context.Context, tenant int64, where string, args ...any) ([]program.Violation, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, inspection_id, shop_id, article, description, fine_min_vnd, fine_max_vnd
		FROM program_violations WHERE tenant_id = $1`+where+` ORDER BY id`, append([]any{tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("listing violations: %w", err)
	}
	var out []program.Violation
	idx := map[int64]int{}
	for rows.Next() {
		var v program.Violation
		if err := rows.Scan(&v.ID, &v.InspectionID, &v.ShopID, &v.Article, &v.Description, &v.FineMinVND, &v.FineMaxVND); err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing violations: %w", err)
		}
		idx[v.ID] = len(out)
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	q := `SELECT a.id, a.violation_id, a.kind, a.date, a.fine_vnd, a.follow_up, a.note, a.created_by
		FROM program_actions a WHERE a.tenant_id = $1 ORDER BY a.date, a.id`
	qargs := []any{tenant}
	if len(out) == 1 {
		q = `SELECT a.id, a.violation_id, a.kind, a.date, a.fine_vnd, a.follow_up, a.note, a.created_by
		FROM program_actions a WHERE a.tenant_id = $1 AND a.violation_id = $2 ORDER BY a.date, a.id`
		qargs = append(qargs, out[0].ID)
	}
	arows, err := s.read.QueryContext(ctx, q, qargs...)
	if err != nil {
		return nil, fmt.Errorf("listing actions: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var ac program.Action
		var date, fu int64
		if err := arows.Scan(&ac.ID, &ac.ViolationID, &ac.Kind, &date, &ac.FineVND, &fu, &ac.Note, &ac.CreatedBy); err != nil {
			return nil, fmt.Errorf("listing actions: %w", err)
		}
		ac.Date, ac.FollowUp = fromMS(date), fromMS(fu)
		if i, ok := idx[ac.ViolationID]; ok {
			out[i].Actions = append(out[i].Actions, ac)
		}
	}
	return out, arows.Err()
}

// ViolationByID returns a violation of tenant with its actions, or
// program.ErrNotFound.
func (s *Store) ViolationByID(ctx context.Context, tenant, id int64) (*program.Violation, error) {
	vs, err := s.violations(ctx, tenant, " AND id = $2", id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, program.ErrNotFound
	}
	return &vs[0], nil
}

// CreateAction stores an action on a violation of tenant and sets its ID.
func (s *Store) CreateAction(ctx context.Context, tenant int64, ac *program.Action) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM program_violations WHERE id = $1 AND tenant_id = $2", ac.ViolationID, tenant).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return program.ErrNotFound
		}
		id, err := insertID(ctx, tx, `INSERT INTO program_actions (tenant_id, violation_id, kind, date, fine_vnd, follow_up, note, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, tenant, ac.ViolationID, ac.Kind, ms(ac.Date), ac.FineVND, ms(ac.FollowUp), ac.Note, ac.CreatedBy)
		if err != nil {
			return fmt.Errorf("storing action: %w", err)
		}
		ac.ID = id
		return nil
	})
}
