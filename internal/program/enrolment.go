package program

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// MaxEnrolment bounds one school's pupils at one level.
const MaxEnrolment = 100_000

// SchoolYearOf is the school year containing t: a school year starts on
// 1 September, so SchoolYear 2025 runs from 01/09/2025 to 31/08/2026.
func SchoolYearOf(t time.Time) int {
	if t.Month() >= time.September {
		return t.Year()
	}
	return t.Year() - 1
}

// PeriodSchoolYear is the school year whose enrolment a period's coverage
// uses: the one containing the period's last day.
func PeriodSchoolYear(p Period) int { return SchoolYearOf(p.LastDay()) }

// canSetEnrolment: the ward's staff for every school, a school account for
// its own.
func canSetEnrolment(a Actor, school int64) bool {
	switch a.Role {
	case RoleWardAdmin, RoleOfficer, RoleChairman:
		return true
	case RoleSchool, RoleTeacher:
		return a.OrgID != 0 && a.OrgID == school
	}
	return false
}

// CanSetEnrolment reports whether a may change the school's enrolment.
func CanSetEnrolment(a Actor, school int64) bool { return canSetEnrolment(a, school) }

// SetEnrolment records a school's pupils at one level in one school year;
// 0 pupils removes the count (the school then has no enrolled count for
// that level).
func (s *Service) SetEnrolment(ctx context.Context, a Actor, e Enrolment) error {
	if !canSetEnrolment(a, e.SchoolID) {
		return ErrForbidden
	}
	fe := FieldErrors{}
	if !slices.Contains(Levels(), e.Level) {
		fe["level"] = "activity.err.level"
	}
	if e.Pupils < 0 || e.Pupils > MaxEnrolment {
		fe["pupils"] = "activity.err.enrolment_range"
	}
	if e.SchoolYear < 2000 || e.SchoolYear > SchoolYearOf(s.now().In(s.loc))+1 {
		fe["year"] = "activity.err.school_year"
	}
	schools, err := s.schools(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(schools, func(sc School) bool { return sc.ID == e.SchoolID }) {
		fe["school"] = "activity.err.place_school"
	}
	if len(fe) > 0 {
		return fe
	}
	st, err := s.activities()
	if err != nil {
		return err
	}
	e.TenantID, e.UpdatedBy, e.UpdatedAt = tenantOf(a), a.UserID, s.now()
	if err := st.SetEnrolment(ctx, e); err != nil {
		return fmt.Errorf("saving enrolment: %w", err)
	}
	s.audit(ctx, a, "enrolment.set", "school", e.SchoolID,
		fmt.Sprintf("year=%d level=%s pupils=%d", e.SchoolYear, e.Level, e.Pupils))
	return nil
}

// Enrolments is the enrolment of a school year: every school's for the
// ward's staff, the own school's for a school account.
func (s *Service) Enrolments(ctx context.Context, a Actor, schoolYear int) ([]Enrolment, error) {
	if !canSeeWard(a) && !schoolScoped(a) {
		return nil, ErrForbidden
	}
	st, err := s.activities()
	if err != nil {
		return nil, err
	}
	es, err := st.Enrolments(ctx, tenantOf(a), schoolYear)
	if err != nil {
		return nil, err
	}
	if schoolScoped(a) {
		es = slices.DeleteFunc(es, func(e Enrolment) bool { return e.SchoolID != a.OrgID })
	}
	return es, nil
}
