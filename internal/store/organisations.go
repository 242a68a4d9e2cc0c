package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
)

var (
	_ cases.Directory = (*Store)(nil)
	_ cases.Directory = (*CaseStore)(nil)
	_ cases.People    = (*Store)(nil)
	_ cases.People    = (*CaseStore)(nil)
)

const orgColumns = `id, name, kind, phone, email, address, contact, active, created_at, updated_at`

// CreateOrganisation inserts o and sets o.ID.
func (s *Store) CreateOrganisation(ctx context.Context, o *cases.Organisation) error {
	id, err := insertID(ctx, s.write, `INSERT INTO organisations (name, kind, phone, email, address, contact, active,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		o.Name, o.Kind, o.Phone, o.Email, o.Address, o.Contact, b2i(o.Active), ms(o.CreatedAt), ms(o.UpdatedAt))
	if err != nil {
		return fmt.Errorf("creating organisation: %w", err)
	}
	o.ID = id
	return nil
}

// UpdateOrganisation writes every field of o but ID and CreatedAt.
func (s *Store) UpdateOrganisation(ctx context.Context, o *cases.Organisation) error {
	res, err := s.write.ExecContext(ctx, `UPDATE organisations SET name = $1, kind = $2, phone = $3, email = $4,
		address = $5, contact = $6, active = $7, updated_at = $8 WHERE id = $9`,
		o.Name, o.Kind, o.Phone, o.Email, o.Address, o.Contact, b2i(o.Active), ms(o.UpdatedAt), o.ID)
	if err != nil {
		return fmt.Errorf("updating organisation %d: %w", o.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return cases.ErrOrgNotFound
	}
	return nil
}

// Organisation returns organisation id, or cases.ErrOrgNotFound.
func (s *Store) Organisation(ctx context.Context, id int64) (*cases.Organisation, error) {
	o, err := scanOrg(s.read.QueryRowContext(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cases.ErrOrgNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("reading organisation %d: %w", id, err)
	}
	return o, nil
}

// Organisations returns every organisation by kind, then name.
func (s *Store) Organisations(ctx context.Context) ([]cases.Organisation, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+orgColumns+" FROM organisations ORDER BY kind, name, id")
	if err != nil {
		return nil, fmt.Errorf("listing organisations: %w", err)
	}
	defer rows.Close()
	var out []cases.Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, fmt.Errorf("listing organisations: %w", err)
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

func scanOrg(r scanner) (*cases.Organisation, error) {
	var o cases.Organisation
	var active int
	var created, updated int64
	if err := r.Scan(&o.ID, &o.Name, &o.Kind, &o.Phone, &o.Email, &o.Address, &o.Contact, &active, &created, &updated); err != nil {
		return nil, err
	}
	o.Active, o.CreatedAt, o.UpdatedAt = active != 0, fromMS(created), fromMS(updated)
	return &o, nil
}

// StaffMember returns account id as the case workflow sees it, or
// cases.ErrNotFound.
func (s *Store) StaffMember(ctx context.Context, id int64) (cases.StaffMember, error) {
	u, err := s.UserByID(ctx, id)
	if errors.Is(err, auth.ErrNotFound) {
		return cases.StaffMember{}, cases.ErrNotFound
	}
	if err != nil {
		return cases.StaffMember{}, err
	}
	return staffOf(u), nil
}

// StaffMembers returns every account, by name.
func (s *Store) StaffMembers(ctx context.Context) ([]cases.StaffMember, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT id, name, role, org_id, disabled, tenant_id FROM users ORDER BY name, id")
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	defer rows.Close()
	var out []cases.StaffMember
	for rows.Next() {
		var m cases.StaffMember
		var disabled int
		if err := rows.Scan(&m.ID, &m.Name, &m.Role, &m.OrgID, &disabled, &m.TenantID); err != nil {
			return nil, fmt.Errorf("listing staff: %w", err)
		}
		m.Active = disabled == 0
		out = append(out, m)
	}
	return out, rows.Err()
}

func staffOf(u *auth.User) cases.StaffMember {
	return cases.StaffMember{ID: u.ID, Name: u.Name, Role: string(u.Role), OrgID: u.OrgID, Active: !u.Disabled,
		TenantID: u.TenantID}
}

// The case store offers the directory and the staff list too, so that the
// cases service finds them in its Store.

// CreateOrganisation implements cases.Directory.
func (cs *CaseStore) CreateOrganisation(ctx context.Context, o *cases.Organisation) error {
	return cs.db.CreateOrganisation(ctx, o)
}

// UpdateOrganisation implements cases.Directory.
func (cs *CaseStore) UpdateOrganisation(ctx context.Context, o *cases.Organisation) error {
	return cs.db.UpdateOrganisation(ctx, o)
}

// Organisation implements cases.Directory.
func (cs *CaseStore) Organisation(ctx context.Context, id int64) (*cases.Organisation, error) {
	return cs.db.Organisation(ctx, id)
}

// Organisations implements cases.Directory.
func (cs *CaseStore) Organisations(ctx context.Context) ([]cases.Organisation, error) {
	return cs.db.Organisations(ctx)
}

// StaffMember implements cases.People.
func (cs *CaseStore) StaffMember(ctx context.Context, id int64) (cases.StaffMember, error) {
	return cs.db.StaffMember(ctx, id)
}

// StaffMembers implements cases.People.
func (cs *CaseStore) StaffMembers(ctx context.Context) ([]cases.StaffMember, error) {
	return cs.db.StaffMembers(ctx)
}

// ensureLegacyOrgs puts in the directory, under their old numbers, the
// organisation ids typed before it existed (on accounts and referrals), so
// that those referrals and accounts keep working; a ward admin then names
// them. It returns how many it added.
func (cs *CaseStore) ensureLegacyOrgs(ctx context.Context) (int, error) {
	rows, err := cs.db.read.QueryContext(ctx, `SELECT org_id, MIN(kind) FROM (
		SELECT org_id, agency_kind AS kind FROM case_referrals WHERE org_id > 0
		UNION ALL SELECT org_id, CASE role WHEN 'school' THEN 'school' WHEN 'police' THEN 'police' ELSE 'other' END
			FROM users WHERE org_id > 0 AND role IN ('school', 'police', 'org')) x
		WHERE org_id NOT IN (SELECT id FROM organisations) GROUP BY org_id ORDER BY org_id`)
	if err != nil {
		return 0, err
	}
	type legacy struct {
		id   int64
		kind string
	}
	var list []legacy
	for rows.Next() {
		var l legacy
		if err := rows.Scan(&l.id, &l.kind); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, l)
	}
	rows.Close()
	if len(list) == 0 {
		return 0, rows.Err()
	}
	now := ms(time.Now())
	err = cs.db.tx(ctx, func(tx *sql.Tx) error {
		for _, l := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO organisations (id, name, kind, phone, email, address, contact,
				active, created_at, updated_at) VALUES ($1, $2, $3, '', '', '', '', 1, $4, $4) ON CONFLICT (id) DO NOTHING`,
				l.id, fmt.Sprintf("Tổ chức #%d (cần cập nhật tên)", l.id), l.kind, now); err != nil {
				return err
			}
		}
		if cs.db.dialect == Postgres {
			_, err := tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('organisations', 'id'),
				(SELECT MAX(id) FROM organisations))`)
			return err
		}
		return nil
	})
	return len(list), err
}
