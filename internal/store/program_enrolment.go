package store

import (
	"context"
	"fmt"

	"manglanh/internal/program"
)

// SetEnrolment records a school's pupils at one level in one school year;
// 0 pupils removes the count.
func (as *ActivityStore) SetEnrolment(ctx context.Context, e program.Enrolment) error {
	if e.Pupils <= 0 {
		_, err := as.db.write.ExecContext(ctx, "DELETE FROM program_enrolment WHERE tenant_id = $1 AND school_id = $2 AND school_year = $3 AND level = $4",
			e.TenantID, e.SchoolID, e.SchoolYear, e.Level)
		if err != nil {
			return fmt.Errorf("removing enrolment: %w", err)
		}
		return nil
	}
	_, err := as.db.write.ExecContext(ctx, `INSERT INTO program_enrolment (tenant_id, school_id, school_year, level, pupils, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant_id, school_id, school_year, level) DO UPDATE SET pupils = excluded.pupils, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		e.TenantID, e.SchoolID, e.SchoolYear, e.Level, e.Pupils, e.UpdatedBy, ms(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("saving enrolment: %w", err)
	}
	return nil
}

// Enrolments is the tenant's enrolment of a school year, by school and
// level.
func (as *ActivityStore) Enrolments(ctx context.Context, tenant int64, schoolYear int) ([]program.Enrolment, error) {
	return as.db.Enrolments(ctx, tenant, schoolYear)
}

// Enrolments is the tenant's enrolment of a school year (figures read it
// from the Store too: it holds no personal data).
func (s *Store) Enrolments(ctx context.Context, tenant int64, schoolYear int) ([]program.Enrolment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT school_id, level, pupils, updated_by, updated_at FROM program_enrolment
		WHERE tenant_id = $1 AND school_year = $2 ORDER BY school_id, level`, tenant, schoolYear)
	if err != nil {
		return nil, fmt.Errorf("listing enrolment: %w", err)
	}
	defer rows.Close()
	var out []program.Enrolment
	for rows.Next() {
		e := program.Enrolment{TenantID: tenant, SchoolYear: schoolYear}
		var pupils, at int64
		if err := rows.Scan(&e.SchoolID, &e.Level, &pupils, &e.UpdatedBy, &at); err != nil {
			return nil, err
		}
		e.Pupils, e.UpdatedAt = int(pupils), fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
