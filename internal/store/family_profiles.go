package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/family"
)

// rulesDoc is how family.Rules is stored (one JSON column): its own type,
// so that renaming a Go field never silently changes stored documents.
type rulesDoc struct {
	Block       []string      `json:"block"`
	SafeSearch  string        `json:"safe_search,omitempty"`
	Allow       []string      `json:"allow,omitempty"`
	Deny        []string      `json:"deny,omitempty"`
	Schedules   []scheduleDoc `json:"schedules,omitempty"`
	Budgets     []budgetDoc   `json:"budgets"`
	PausedUntil int64         `json:"paused_until,omitempty"` // ms
	TempAllows  []tempDoc     `json:"temp_allows,omitempty"`
}

type scheduleDoc struct {
	Name      string   `json:"name,omitempty"`
	Days      []string `json:"days,omitempty"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Block     []string `json:"block,omitempty"`
	AllowOnly []string `json:"allow_only,omitempty"`
}

type budgetDoc struct {
	Key     string `json:"key"`
	Minutes int    `json:"minutes"`
}

type tempDoc struct {
	Domain string `json:"domain"`
	Until  int64  `json:"until"` // ms
}

// encodeRules keeps the difference between nil (age defaults) and empty
// (nothing) for Block and Budgets: JSON null versus [].
func encodeRules(r family.Rules) (string, error) {
	d := rulesDoc{Block: r.Block, SafeSearch: r.SafeSearch, Allow: r.Allow, Deny: r.Deny, Budgets: nil,
		PausedUntil: ms(r.PausedUntil)}
	if r.Budgets != nil {
		d.Budgets = make([]budgetDoc, len(r.Budgets))
		for i, b := range r.Budgets {
			d.Budgets[i] = budgetDoc{Key: b.Key, Minutes: b.Minutes}
		}
	}
	for _, sc := range r.Schedules {
		d.Schedules = append(d.Schedules, scheduleDoc{Name: sc.Name, Days: sc.Days, From: sc.From, To: sc.To,
			Block: sc.Block, AllowOnly: sc.AllowOnly})
	}
	for _, t := range r.TempAllows {
		d.TempAllows = append(d.TempAllows, tempDoc{Domain: t.Domain, Until: ms(t.Until)})
	}
	b, err := json.Marshal(d)
	return string(b), err
}

func decodeRules(s string) (family.Rules, error) {
	var d rulesDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return family.Rules{}, fmt.Errorf("decoding rules: %w", err)
	}
	r := family.Rules{Block: d.Block, SafeSearch: d.SafeSearch, Allow: d.Allow, Deny: d.Deny,
		PausedUntil: fromMS(d.PausedUntil)}
	if d.Budgets != nil {
		r.Budgets = make([]family.Budget, len(d.Budgets))
		for i, b := range d.Budgets {
			r.Budgets[i] = family.Budget{Key: b.Key, Minutes: b.Minutes}
		}
	}
	for _, sc := range d.Schedules {
		r.Schedules = append(r.Schedules, family.Schedule{Name: sc.Name, Days: sc.Days, From: sc.From, To: sc.To,
			Block: sc.Block, AllowOnly: sc.AllowOnly})
	}
	for _, t := range d.TempAllows {
		r.TempAllows = append(r.TempAllows, family.TempAllow{Domain: t.Domain, Until: fromMS(t.Until)})
	}
	return r, nil
}

// bumpPolicy increments policy_version inside tx and, on PostgreSQL,
// queues a NOTIFY that is delivered when tx commits.
func (s *Store) bumpPolicy(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE policy_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("bumping policy version: %w", err)
	}
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify('manglanh_policy', '')`); err != nil {
			return fmt.Errorf("notifying policy change: %w", err)
		}
	}
	return nil
}

// PolicyVersion returns the counter every policy change bumps.
func (s *Store) PolicyVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT version FROM policy_version WHERE id = 1`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading policy version: %w", err)
	}
	return v, nil
}

// claimLabel reserves label in tx; ErrLabelTaken when a profile or device
// has it.
func claimLabel(ctx context.Context, tx *sql.Tx, label string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO family_labels (label) VALUES ($1)`, label)
	if IsUniqueViolation(err) {
		return family.ErrLabelTaken
	}
	return err
}

// LabelUsed reports whether a profile or device has label.
func (s *Store) LabelUsed(ctx context.Context, label string) (bool, error) {
	var n int
	err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM family_labels WHERE label = $1`, label).Scan(&n)
	return n > 0, err
}

const profileColumns = `id, kind, COALESCE(parent_id, 0), org_id, nickname, birth_year, label, COALESCE(child_token, ''),
	time_zone, rules, created_at, updated_at`

func scanProfile(row interface{ Scan(...any) error }) (*family.Profile, error) {
	var p family.Profile
	var kind, rules string
	var created, updated int64
	err := row.Scan(&p.ID, &kind, &p.ParentID, &p.OrgID, &p.Nickname, &p.BirthYear, &p.Label, &p.ChildToken,
		&p.TimeZone, &rules, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, familyNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("reading profile: %w", err)
	}
	p.Kind, p.CreatedAt, p.UpdatedAt = family.Kind(kind), fromMS(created), fromMS(updated)
	if p.Rules, err = decodeRules(rules); err != nil {
		return nil, fmt.Errorf("profile %d: %w", p.ID, err)
	}
	return &p, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func writeNetworks(ctx context.Context, tx *sql.Tx, id int64, nets []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM family_networks WHERE profile_id = $1`, id); err != nil {
		return err
	}
	for i, n := range nets {
		if _, err := tx.ExecContext(ctx, `INSERT INTO family_networks (profile_id, position, cidr) VALUES ($1, $2, $3)`,
			id, i, n); err != nil {
			return fmt.Errorf("storing network: %w", err)
		}
	}
	return nil
}

// CreateProfile inserts p with its networks and sets p.ID.
func (s *Store) CreateProfile(ctx context.Context, p *family.Profile) error {
	rules, err := encodeRules(p.Rules)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := claimLabel(ctx, tx, p.Label); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO family_profiles (kind, parent_id, org_id, nickname, birth_year, label,
			child_token, time_zone, rules, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			string(p.Kind), nullID(p.ParentID), p.OrgID, p.Nickname, p.BirthYear, p.Label, nullStr(p.ChildToken),
			p.TimeZone, rules, ms(p.CreatedAt), ms(p.UpdatedAt))
		if IsUniqueViolation(err) {
			return family.ErrLabelTaken
		}
		if err != nil {
			return fmt.Errorf("creating profile: %w", err)
		}
		if err := writeNetworks(ctx, tx, id, p.Networks); err != nil {
			return err
		}
		if err := s.bumpPolicy(ctx, tx); err != nil {
			return err
		}
		p.ID = id
		return nil
	})
}

func (s *Store) networksOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT cidr FROM family_networks WHERE profile_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *Store) profileWhere(ctx context.Context, where string, args ...any) (*family.Profile, error) {
	p, err := scanProfile(s.write.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM family_profiles WHERE `+where, args...))
	if err != nil {
		return nil, err
	}
	if p.Networks, err = s.networksOf(ctx, s.write, p.ID); err != nil {
		return nil, fmt.Errorf("reading networks of profile %d: %w", p.ID, err)
	}
	return p, nil
}

// FamilyProfile returns one profile with its networks.
func (s *Store) FamilyProfile(ctx context.Context, id int64) (*family.Profile, error) {
	return s.profileWhere(ctx, `id = $1`, id)
}

// ProfileByToken returns the profile of a child's page token.
func (s *Store) ProfileByToken(ctx context.Context, token string) (*family.Profile, error) {
	if token == "" {
		return nil, familyNotFound()
	}
	return s.profileWhere(ctx, `child_token = $1`, token)
}

func (s *Store) profilesWhere(ctx context.Context, where string, args ...any) ([]family.Profile, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+profileColumns+` FROM family_profiles WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("listing profiles: %w", err)
	}
	var out []family.Profile
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Networks, err = s.networksOf(ctx, s.read, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ProfilesOfParent lists a parent's profiles, oldest first.
func (s *Store) ProfilesOfParent(ctx context.Context, parentID int64) ([]family.Profile, error) {
	return s.profilesWhere(ctx, `parent_id = $1`, parentID)
}

// ProfilesOfOrg lists the school and class profiles of an organisation.
func (s *Store) ProfilesOfOrg(ctx context.Context, orgID int64) ([]family.Profile, error) {
	return s.profilesWhere(ctx, `org_id = $1 AND kind IN ('school', 'class')`, orgID)
}

// UpdateProfile reads the profile in a transaction, lets update change it,
// and writes back nickname, birth year, org, time zone, rules and
// networks, bumping the policy version; an error from update writes
// nothing.
func (s *Store) UpdateProfile(ctx context.Context, id int64, update func(*family.Profile) error) (*family.Profile, error) {
	var out *family.Profile
	err := s.tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		p, err := scanProfile(tx.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM family_profiles WHERE id = $1`+lock, id))
		if err != nil {
			return err
		}
		if p.Networks, err = s.networksOf(ctx, tx, id); err != nil {
			return err
		}
		if err := update(p); err != nil {
			return err
		}
		rules, err := encodeRules(p.Rules)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE family_profiles SET nickname = $1, birth_year = $2, org_id = $3,
			time_zone = $4, rules = $5, updated_at = $6 WHERE id = $7`,
			p.Nickname, p.BirthYear, p.OrgID, p.TimeZone, rules, ms(p.UpdatedAt), id); err != nil {
			return fmt.Errorf("updating profile %d: %w", id, err)
		}
		if err := writeNetworks(ctx, tx, id, p.Networks); err != nil {
			return err
		}
		if err := s.bumpPolicy(ctx, tx); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// DeleteProfile deletes a profile, its networks, devices and labels.
func (s *Store) DeleteProfile(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var label string
		err := tx.QueryRowContext(ctx, `SELECT label FROM family_profiles WHERE id = $1`, id).Scan(&label)
		if errors.Is(err, sql.ErrNoRows) {
			return familyNotFound()
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM family_labels WHERE label IN
			(SELECT label FROM family_devices WHERE profile_id = $1)`, id); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM family_devices WHERE profile_id = $1`,
			`DELETE FROM family_networks WHERE profile_id = $1`, `DELETE FROM family_profiles WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("deleting profile %d: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM family_labels WHERE label = $1`, label); err != nil {
			return err
		}
		return s.bumpPolicy(ctx, tx)
	})
}

const deviceColumns = `id, profile_id, name, kind, label, clients, created_at`

func scanDevice(row interface{ Scan(...any) error }) (*family.Device, error) {
	var d family.Device
	var clients string
	var created int64
	err := row.Scan(&d.ID, &d.ProfileID, &d.Name, &d.Kind, &d.Label, &clients, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, familyNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("reading device: %w", err)
	}
	if clients != "[]" { // most devices have none: skip the decoder
		if err := json.Unmarshal([]byte(clients), &d.Clients); err != nil {
			return nil, fmt.Errorf("device %d clients: %w", d.ID, err)
		}
	}
	d.CreatedAt = fromMS(created)
	return &d, nil
}

// CreateDevice inserts a device and sets d.ID.
func (s *Store) CreateDevice(ctx context.Context, d *family.Device) error {
	clients, err := json.Marshal(append([]string{}, d.Clients...))
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := claimLabel(ctx, tx, d.Label); err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO family_devices (profile_id, name, kind, label, clients, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, d.ProfileID, d.Name, d.Kind, d.Label, string(clients), ms(d.CreatedAt))
		if IsUniqueViolation(err) {
			return family.ErrLabelTaken
		}
		if err != nil {
			if isForeignKeyViolation(err) {
				return familyNotFound()
			}
			return fmt.Errorf("creating device: %w", err)
		}
		if err := s.bumpPolicy(ctx, tx); err != nil {
			return err
		}
		d.ID = id
		return nil
	})
}

func isForeignKeyViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "SQLSTATE 23503")
}

// FamilyDevice returns one device.
func (s *Store) FamilyDevice(ctx context.Context, id int64) (*family.Device, error) {
	return scanDevice(s.write.QueryRowContext(ctx, `SELECT `+deviceColumns+` FROM family_devices WHERE id = $1`, id))
}

// DevicesOf lists a profile's devices, oldest first.
func (s *Store) DevicesOf(ctx context.Context, profileID int64) ([]family.Device, error) {
	rows, err := s.write.QueryContext(ctx, `SELECT `+deviceColumns+` FROM family_devices WHERE profile_id = $1 ORDER BY id`, profileID)
	if err != nil {
		return nil, fmt.Errorf("listing devices: %w", err)
	}
	defer rows.Close()
	var out []family.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// DeleteDevice deletes a device and frees its label.
func (s *Store) DeleteDevice(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var label string
		err := tx.QueryRowContext(ctx, `SELECT label FROM family_devices WHERE id = $1`, id).Scan(&label)
		if errors.Is(err, sql.ErrNoRows) {
			return familyNotFound()
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM family_devices WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM family_labels WHERE label = $1`, label); err != nil {
			return err
		}
		return s.bumpPolicy(ctx, tx)
	})
}

// PolicyProfiles loads every profile (with networks) and device: one query
// per table, between two reads of the policy version; if the version moved
// (a change committed meanwhile) it reads again, so the result is one
// consistent state.
func (s *Store) PolicyProfiles(ctx context.Context) ([]family.Profile, []family.Device, error) {
	for attempt := 0; ; attempt++ {
		before, err := s.PolicyVersion(ctx)
		if err != nil {
			return nil, nil, err
		}
		ps, ds, err := s.loadPolicy(ctx)
		if err != nil {
			return nil, nil, err
		}
		after, err := s.PolicyVersion(ctx)
		if err != nil {
			return nil, nil, err
		}
		if before == after || attempt == 4 {
			return ps, ds, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (s *Store) loadPolicy(ctx context.Context) ([]family.Profile, []family.Device, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+profileColumns+` FROM family_profiles ORDER BY id`)
	if err != nil {
		return nil, nil, fmt.Errorf("loading profiles: %w", err)
	}
	var ps []family.Profile
	idx := map[int64]int{}
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		idx[p.ID] = len(ps)
		ps = append(ps, *p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.read.QueryContext(ctx, `SELECT profile_id, cidr FROM family_networks ORDER BY profile_id, position`)
	if err != nil {
		return nil, nil, fmt.Errorf("loading networks: %w", err)
	}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if i, ok := idx[id]; ok {
			ps[i].Networks = append(ps[i].Networks, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = s.read.QueryContext(ctx, `SELECT `+deviceColumns+` FROM family_devices ORDER BY id`)
	if err != nil {
		return nil, nil, fmt.Errorf("loading devices: %w", err)
	}
	defer rows.Close()
	var ds []family.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, *d)
	}
	return ps, ds, rows.Err()
}
