package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// ActivityStore keeps the programme's activities and the schools'
// enrolment (migration 0600). It is a view of a Store with the key that
// seals attendees' names (adults' sign-in sheets), like CaseStore: without
// a Sealer there is no ActivityStore, so no name is written in clear. Safe
// for concurrent use.
type ActivityStore struct {
	db     *Store
	sealer Sealer
}

var _ program.ActivityStore = (*ActivityStore)(nil)

// Activities returns the activity store sealing attendees with sealer.
func (s *Store) Activities(sealer Sealer) (*ActivityStore, error) {
	if sealer == nil {
		return nil, errors.New("store: activity store needs a sealer: attendees' names are encrypted at rest")
	}
	return &ActivityStore{db: s, sealer: sealer}, nil
}

// ActivitiesInPeriod returns every activity of the tenant whose date is in
// p, with places and participants but without attendees' names (sealed:
// figures never need them; ActivityStore's method opens them).
func (s *Store) ActivitiesInPeriod(ctx context.Context, tenant int64, p program.Period) ([]program.Activity, error) {
	return s.queryActivities(ctx, nil, tenant, program.ActivityFilter{Period: p}, false)
}

// ActivitiesInPeriod is every activity of p, attendees included.
func (as *ActivityStore) ActivitiesInPeriod(ctx context.Context, tenant int64, p program.Period) ([]program.Activity, error) {
	return as.db.queryActivities(ctx, as.sealer, tenant, program.ActivityFilter{Period: p}, false)
}

// Activities is one page of the filtered list (newest first) and the
// number of rows the filter matches.
func (as *ActivityStore) Activities(ctx context.Context, tenant int64, f program.ActivityFilter) ([]program.Activity, int, error) {
	where, args := activityWhere(tenant, f)
	var total int
	if err := as.db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM program_activities a WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("counting activities: %w", err)
	}
	if total == 0 {
		return nil, 0, nil
	}
	list, err := as.db.queryActivities(ctx, as.sealer, tenant, f, true)
	return list, total, err
}

// Activity returns one activity of the tenant, or program.ErrNotFound.
func (as *ActivityStore) Activity(ctx context.Context, tenant, id int64) (*program.Activity, error) {
	list, err := as.db.queryActivities(ctx, as.sealer, tenant, program.ActivityFilter{}, false, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, program.ErrNotFound
	}
	return &list[0], nil
}

// activityWhere is the WHERE clause of a filter over program_activities a.
func activityWhere(tenant int64, f program.ActivityFilter, ids ...int64) (string, []any) {
	args := []any{tenant}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	w := []string{"a.tenant_id = $1"}
	if !f.Period.From.IsZero() {
		w = append(w, "a.day >= "+arg(ms(f.Period.From)))
	}
	if !f.Period.To.IsZero() {
		w = append(w, "a.day < "+arg(ms(f.Period.To)))
	}
	if f.Kind != "" {
		w = append(w, "a.kind = "+arg(f.Kind))
	}
	if f.SchoolID != 0 {
		p := arg(f.SchoolID)
		w = append(w, "(EXISTS (SELECT 1 FROM program_activity_places p WHERE p.activity_id = a.id AND p.tenant_id = a.tenant_id AND p.kind = 'school' AND p.org_id = "+p+
			") OR EXISTS (SELECT 1 FROM program_activity_participants q WHERE q.activity_id = a.id AND q.tenant_id = a.tenant_id AND q.school_id = "+p+"))")
	}
	if f.Group != "" {
		w = append(w, "EXISTS (SELECT 1 FROM program_activity_participants g WHERE g.activity_id = a.id AND g.tenant_id = a.tenant_id AND g.grp = "+arg(f.Group)+")")
	}
	if f.CreatedBy != 0 {
		w = append(w, "a.created_by = "+arg(f.CreatedBy))
	}
	if len(ids) == 1 {
		w = append(w, "a.id = "+arg(ids[0]))
	}
	return strings.Join(w, " AND "), args
}

// queryActivities loads the activities a filter selects (one page when
// paged), then their places and participants with one query each over the
// same selection. sealer nil leaves attendees out.
func (s *Store) queryActivities(ctx context.Context, sealer Sealer, tenant int64, f program.ActivityFilter, paged bool, ids ...int64) ([]program.Activity, error) {
	where, args := activityWhere(tenant, f, ids...)
	sel := "SELECT a.id FROM program_activities a WHERE " + where + " ORDER BY a.day DESC, a.id DESC"
	if paged {
		sel += " LIMIT " + itoa(f.Limit) + " OFFSET " + strconv.Itoa(max(f.Offset, 0))
	}
	cols := "a.id, a.kind, a.day, a.end_day, a.organiser, a.topic, a.notes, a.copies, a.created_by, a.created_at, a.updated_at, a.version"
	if sealer != nil {
		cols += ", a.attendees"
	}
	rows, err := s.read.QueryContext(ctx, "SELECT "+cols+" FROM program_activities a WHERE a.tenant_id = $1 AND a.id IN ("+sel+") ORDER BY a.day DESC, a.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("listing activities: %w", err)
	}
	var out []program.Activity
	index := map[int64]int{}
	for rows.Next() {
		var a program.Activity
		var day, end, created, updated int64
		var copies int64
		var sealed []byte
		dest := []any{&a.ID, &a.Kind, &day, &end, &a.Organiser, &a.Topic, &a.Notes, &copies, &a.CreatedBy, &created, &updated, &a.Version}
		if sealer != nil {
			dest = append(dest, &sealed)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, err
		}
		a.TenantID, a.Copies = tenant, int(copies)
		a.Date, a.EndDate, a.CreatedAt, a.UpdatedAt = fromMS(day), fromMS(end), fromMS(created), fromMS(updated)
		if len(sealed) > 0 {
			plain, err := sealer.Open(sealed)
			if err == nil {
				err = json.Unmarshal(plain, &a.Attendees)
			}
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("opening the attendees of activity %d: %w", a.ID, err)
			}
		}
		index[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	prows, err := s.read.QueryContext(ctx, "SELECT activity_id, kind, org_id, name FROM program_activity_places WHERE tenant_id = $1 AND activity_id IN ("+sel+") ORDER BY activity_id, pos", args...)
	if err != nil {
		return nil, fmt.Errorf("listing activity places: %w", err)
	}
	for prows.Next() {
		var id int64
		var p program.Place
		if err := prows.Scan(&id, &p.Kind, &p.OrgID, &p.Name); err != nil {
			prows.Close()
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Places = append(out[i].Places, p)
		}
	}
	prows.Close()
	if err := prows.Err(); err != nil {
		return nil, err
	}
	qrows, err := s.read.QueryContext(ctx, "SELECT activity_id, grp, school_id, level, grade, headcount FROM program_activity_participants WHERE tenant_id = $1 AND activity_id IN ("+sel+") ORDER BY activity_id, pos", args...)
	if err != nil {
		return nil, fmt.Errorf("listing activity participants: %w", err)
	}
	defer qrows.Close()
	for qrows.Next() {
		var id, n int64
		var p program.Participant
		if err := qrows.Scan(&id, &p.Group, &p.SchoolID, &p.Level, &p.Grade, &n); err != nil {
			return nil, err
		}
		p.Count = int(n)
		if i, ok := index[id]; ok {
			out[i].Participants = append(out[i].Participants, p)
		}
	}
	return out, qrows.Err()
}

func (as *ActivityStore) sealAttendees(names []string) ([]byte, error) {
	if len(names) == 0 {
		return nil, nil
	}
	plain, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	out, err := as.sealer.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("sealing attendees: %w", err)
	}
	return out, nil
}

// writeLines replaces the places and participants of an activity.
func writeActivityLines(ctx context.Context, tx *sql.Tx, a *program.Activity) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM program_activity_places WHERE activity_id = $1 AND tenant_id = $2", a.ID, a.TenantID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM program_activity_participants WHERE activity_id = $1 AND tenant_id = $2", a.ID, a.TenantID); err != nil {
		return err
	}
	for i, p := range a.Places {
		if _, err := tx.ExecContext(ctx, "INSERT INTO program_activity_places (activity_id, tenant_id, pos, kind, org_id, name) VALUES ($1, $2, $3, $4, $5, $6)",
			a.ID, a.TenantID, i, p.Kind, p.OrgID, p.Name); err != nil {
			return fmt.Errorf("writing place %d: %w", i, err)
		}
	}
	for i, p := range a.Participants {
		if _, err := tx.ExecContext(ctx, "INSERT INTO program_activity_participants (activity_id, tenant_id, pos, grp, school_id, level, grade, headcount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			a.ID, a.TenantID, i, p.Group, p.SchoolID, p.Level, p.Grade, p.Count); err != nil {
			return fmt.Errorf("writing participant line %d: %w", i, err)
		}
	}
	return nil
}

// CreateActivity writes a with its lines in one transaction and sets its
// ID and Version (1).
func (as *ActivityStore) CreateActivity(ctx context.Context, a *program.Activity) error {
	sealed, err := as.sealAttendees(a.Attendees)
	if err != nil {
		return err
	}
	return as.db.tx(ctx, func(tx *sql.Tx) error {
		id, err := insertID(ctx, tx, `INSERT INTO program_activities (tenant_id, kind, day, end_day, organiser, topic, notes, copies, total,
			attendees_count, attendees, created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1)`,
			a.TenantID, a.Kind, ms(a.Date), ms(a.EndDate), a.Organiser, a.Topic, a.Notes, a.Copies, a.Total(),
			len(a.Attendees), sealed, a.CreatedBy, ms(a.CreatedAt), ms(a.UpdatedAt))
		if err != nil {
			return fmt.Errorf("writing activity: %w", err)
		}
		a.ID = id
		if err := writeActivityLines(ctx, tx, a); err != nil {
			a.ID = 0
			return err
		}
		a.Version = 1
		return nil
	})
}

// UpdateActivity saves a over the stored row of the same Version, and its
// lines, in one transaction; it increments a.Version.
func (as *ActivityStore) UpdateActivity(ctx context.Context, a *program.Activity) error {
	sealed, err := as.sealAttendees(a.Attendees)
	if err != nil {
		return err
	}
	return as.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE program_activities SET kind = $1, day = $2, end_day = $3, organiser = $4, topic = $5, notes = $6,
			copies = $7, total = $8, attendees_count = $9, attendees = $10, updated_at = $11, version = version + 1
			WHERE id = $12 AND tenant_id = $13 AND version = $14`,
			a.Kind, ms(a.Date), ms(a.EndDate), a.Organiser, a.Topic, a.Notes, a.Copies, a.Total(), len(a.Attendees), sealed,
			ms(a.UpdatedAt), a.ID, a.TenantID, a.Version)
		if err != nil {
			return fmt.Errorf("saving activity %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM program_activities WHERE id = $1 AND tenant_id = $2", a.ID, a.TenantID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return program.ErrNotFound
			} else if err != nil {
				return err
			}
			return program.ErrConflict
		}
		if err := writeActivityLines(ctx, tx, a); err != nil {
			return err
		}
		a.Version++
		return nil
	})
}

// DeleteActivity removes an activity of the tenant and its lines.
func (as *ActivityStore) DeleteActivity(ctx context.Context, tenant, id int64) error {
	return as.db.tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{"DELETE FROM program_activity_places WHERE activity_id = $1 AND tenant_id = $2",
			"DELETE FROM program_activity_participants WHERE activity_id = $1 AND tenant_id = $2"} {
			if _, err := tx.ExecContext(ctx, q, id, tenant); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM program_activities WHERE id = $1 AND tenant_id = $2", id, tenant)
		if err != nil {
			return fmt.Errorf("deleting activity %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return program.ErrNotFound
		}
		return nil
	})
}
