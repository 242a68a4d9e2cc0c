package program

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"manglanh/internal/cases"
)

// CaseSource gives the figures the cases of a tenant that matter to a
// period: received before p.To and not closed before p.From (unsealed:
// internal/store's CaseStore implements it).
type CaseSource interface {
	CasesForPeriod(ctx context.Context, tenant int64, p Period) ([]*cases.Case, error)
}

// CategoryCount is a count by category code.
type CategoryCount struct {
	Category string
	Count    int64
}

// DNSSource gives the resolver's aggregates of a period (internal/store
// implements it from dns_hourly and the device tables).
type DNSSource interface {
	// BlockedByMonth returns blocked queries by category and month
	// ("2025-03", in loc) in p.
	BlockedByMonth(ctx context.Context, tenant int64, p Period, loc *time.Location) (map[string][]MonthCount, error)
	// DevicesSeen is the number of distinct devices seen in p.
	DevicesSeen(ctx context.Context, tenant int64, p Period) (int, error)
	// ProfileCount is the number of child, school and class profiles.
	ProfileCount(ctx context.Context, tenant int64) (int, error)
}

// AlertSource gives the early-warning alerts raised in a period.
type AlertSource interface {
	// AlertCounts returns the alerts raised in p by category and level.
	AlertCounts(ctx context.Context, tenant int64, p Period) (byCategory, byLevel map[string]int, err error)
}

// SchoolSource lists the directory's active schools (id and name).
type SchoolSource interface {
	Schools(ctx context.Context) ([]School, error)
}

// School is a school of the organisation directory. Levels are the levels
// it teaches (LevelPrimary, LevelLowerSecondary, LevelPreschool,
// LevelUpperSecondary), as the directory records them; nil when not
// recorded.
type School struct {
	ID     int64
	Name   string
	Levels []string
}

// Directory-only school levels: a kindergarten or an upper-secondary
// school is in the directory (referrals, accounts) but outside Decision
// 830's T1, which is about primary and lower-secondary schools.
const (
	LevelPreschool      = "preschool"       // mầm non
	LevelUpperSecondary = "upper_secondary" // THPT
)

// SchoolLevels are the levels a directory school may teach, in the order
// forms show them.
func SchoolLevels() []string {
	return []string{LevelPreschool, LevelPrimary, LevelLowerSecondary, LevelUpperSecondary}
}

// InT1 reports whether the school counts in T1 ("100% of primary and
// secondary schools run online-safety education"): it teaches primary or
// lower-secondary pupils, or its levels are not recorded (a school of
// unknown level counts, so a missing entry never flatters T1). A
// kindergarten or an upper-secondary school recorded as such does not.
func (sc School) InT1() bool {
	if len(sc.Levels) == 0 {
		return true
	}
	return slices.Contains(sc.Levels, LevelPrimary) || slices.Contains(sc.Levels, LevelLowerSecondary)
}

// SchoolLevelSource gives the levels the directory records for its
// schools (internal/store implements it); the Service asserts it from its
// Store and fills School.Levels with it.
type SchoolLevelSource interface {
	SchoolLevels(ctx context.Context) (map[int64][]string, error)
}

// Options configures a Service. Store is the one store (internal/store's
// *Store); each part asserts the interface it needs from it. Nil sources
// leave their figures at zero and say so (Figures.Missing).
type Options struct {
	Store any
	// Activities keeps activities and enrolment when the store's view
	// that seals attendees' names is separate from Store (internal/store's
	// ActivityStore); nil: Store must implement ActivityStore.
	Activities ActivityStore
	Cases      CaseSource
	DNS        DNSSource
	Alerts     AlertSource
	Schools    SchoolSource
	Calendar   *cases.Calendar
	Location   *time.Location
	Now        func() time.Time
	// Audit records a change (who, action, object kind and id, detail
	// without personal data); nil records nothing.
	Audit func(ctx context.Context, a Actor, action, kind string, id int64, detail string)
	// Ward names the deployment's own tenant when the store has no tenant
	// table yet.
	Ward TenantRef
	// FiguresKey returns the ward's ed25519 key that signs its figure
	// files (created on first use); nil: the deployment signs nothing.
	FiguresKey func() (ed25519.PrivateKey, error)
}

// Service is the programme's domain service.
type Service struct {
	opt Options
	loc *time.Location
	now func() time.Time
	// figs computes the figures a saved report snapshots: nil means the
	// Service's own Figures method (reports.go); tests set a fake.
	figs figurer
}

// New makes a Service.
func New(o Options) (*Service, error) {
	if o.Store == nil {
		return nil, fmt.Errorf("program: no store")
	}
	s := &Service{opt: o, loc: o.Location, now: o.Now}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.now == nil {
		s.now = time.Now
	}
	if o.Calendar == nil {
		s.opt.Calendar = cases.NewCalendar(s.loc, nil)
	}
	return s, nil
}

// Now is the Service's clock (Options.Now, time.Now by default): what
// handlers use for "today" (a form's default date, a certificate's state)
// so that tests and the domain agree on the day.
func (s *Service) Now() time.Time { return s.now() }

// Location is the ward's time zone.
func (s *Service) Location() *time.Location { return s.loc }

// store asserts the part's interface T from the store.
func storeAs[T any](s *Service) (T, error) {
	t, ok := s.opt.Store.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("program: the store lacks %T", &zero)
	}
	return t, nil
}

func (s *Service) audit(ctx context.Context, a Actor, action, kind string, id int64, detail string) {
	if s.opt.Audit != nil {
		s.opt.Audit(ctx, a, action, kind, id, detail)
	}
}

// tenantOf is the tenant an actor works in.
func tenantOf(a Actor) int64 {
	if a.TenantID == 0 {
		return DefaultTenant
	}
	return a.TenantID
}

// Permissions. Each part checks with these, so one table says who does
// what.
func canRecordActivities(a Actor) bool {
	switch a.Role {
	case RoleWardAdmin, RoleOfficer, RoleChairman, RolePolice, RoleSchool, RoleTeacher, RoleOrg:
		return true
	}
	return false
}

// canSeeWard: the ward's whole programme (dashboard, every activity,
// shops, the report).
func canSeeWard(a Actor) bool {
	switch a.Role {
	case RoleWardAdmin, RoleOfficer, RoleChairman, RolePolice, RoleViewer:
		return true
	}
	return false
}

// canManageShops: the registry and inspections.
func canManageShops(a Actor) bool {
	switch a.Role {
	case RoleWardAdmin, RoleOfficer, RolePolice, RoleChairman:
		return true
	}
	return false
}

// canEditReport: narratives, versions, indicators' targets.
func canEditReport(a Actor) bool {
	return a.Role == RoleWardAdmin || a.Role == RoleOfficer || a.Role == RoleChairman
}

// canApproveReport: the chairman (or the ward admin acting for the
// committee in a deployment without a chairman account).
func canApproveReport(a Actor) bool { return a.Role == RoleChairman }
