package family

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Aggregate statistics of schools and of the ward: counts only, never a
// child's nickname, a family's name or a name a child looked up.
//
// Definitions (one week = Monday 00:00 to the next Monday 00:00, in
// Asia/Ho_Chi_Minh):
//
//   - Families enrolled: distinct active parent accounts with at least one
//     child profile made before the week ended whose school (OrgID) is the
//     school. A parent with children at two schools counts at both, and
//     once in the ward's total.
//   - Child profiles: child profiles made before the week ended.
//   - Devices covered: devices of those child profiles seen by the DNS
//     server during the week. The server keeps only a device's last-seen
//     time, so RecordCoverage (run every few minutes by the app) writes
//     "device d was seen in week w" from it; a device seen in the last
//     minutes of a week and again before the next run counts in the new
//     week only.
//   - Queries and blocked attempts of a school: the DNS aggregates
//     (dns_hourly) of its school and class profiles, that is queries from
//     its networks; blocked = action "blocked", by category or service.
//     The ward's total counts every profile of the ward (YAML ones,
//     children's and schools').
//
// Deleted profiles and devices leave the counts of past weeks.

// Coverage is what a school (or the ward) reaches in a week.
type Coverage struct {
	OrgID    int64 // the school; 0 = child profiles with no school
	Families int
	Children int
	Devices  int
}

// DNSCount is the queries of one category and action in a week, of a
// school's profiles (OrgID) or of the whole ward (OrgID 0).
type DNSCount struct {
	OrgID    int64
	Category string // "" when nothing matched
	Action   string // "allowed", "blocked", "safesearch", "refused"
	Queries  int64
}

// SchoolAlert is an alert raised on a school's or class's network, as the
// school sees it: the rule, category, level and the blocked domain,
// never a child (an alert on a network names none).
type SchoolAlert struct {
	ID       int64
	Time     time.Time
	Rule     string
	Category string
	Level    string
	Count    int
	Profile  string // the school's or class's name
	Domain   string // the DNS alert's domain, "" for other alerts
}

// StatsStore runs the aggregate queries; internal/store implements it.
type StatsStore interface {
	// Coverage returns, per school (and OrgID 0 for no school), the
	// coverage of the week [from, to); schools with nothing are left out.
	Coverage(ctx context.Context, from, to time.Time) ([]Coverage, error)
	// WardCoverage is the same over the whole ward, each family once.
	WardCoverage(ctx context.Context, from, to time.Time) (Coverage, error)
	// SchoolDNS returns, per school, the queries of its school and class
	// profiles in [from, to) by category and action.
	SchoolDNS(ctx context.Context, from, to time.Time) ([]DNSCount, error)
	// WardDNS returns the queries of every profile in [from, to) by
	// category and action (OrgID 0).
	WardDNS(ctx context.Context, from, to time.Time) ([]DNSCount, error)
	// SchoolAlerts returns the newest alerts in [from, to) whose profile
	// is one of the school's or its classes', newest first, at most limit.
	SchoolAlerts(ctx context.Context, orgID int64, from, to time.Time, limit int) ([]SchoolAlert, error)
	// MarkDeviceWeeks records that the devices were seen in the week
	// starting at week (idempotent).
	MarkDeviceWeeks(ctx context.Context, week time.Time, ids []int64) error
	// SchoolNames returns the schools of the organisation directory by id.
	SchoolNames(ctx context.Context) (map[int64]string, error)
}

// CategoryCount is the blocked attempts of one category or service.
type CategoryCount struct {
	Category string
	Blocked  int64
}

// WeekFigures are one school's (or the ward's) figures for one week.
type WeekFigures struct {
	Week time.Time // Monday 00:00, Asia/Ho_Chi_Minh
	Coverage
	Queries    int64
	Blocked    int64
	ByCategory []CategoryCount // blocked attempts, largest first
}

// SchoolReport is a school's own statistics page.
type SchoolReport struct {
	OrgID  int64
	Name   string
	Week   WeekFigures
	Series []WeekFigures // the 8 weeks ending with Week, oldest first
	Alerts []SchoolAlert // of Week, newest first
}

// SchoolRow is one school's line of the ward's table.
type SchoolRow struct {
	OrgID int64
	Name  string // "" for the row of children with no school
	WeekFigures
}

// WardReport is the ward officer's families-and-schools page.
type WardReport struct {
	Week    time.Time
	Schools []SchoolRow   // every school of the directory, by name, then the no-school row
	Total   WeekFigures   // the whole ward
	Series  []WeekFigures // the ward's total for the 8 weeks ending with Week
}

// ChartWeeks is how many weeks the charts show.
const ChartWeeks = 8

// maxSchoolAlerts is how many alerts a school's page lists.
const maxSchoolAlerts = 50

// wardRoles may read the ward's aggregates.
var wardRoles = map[string]bool{"ward_admin": true, "chairman": true, "officer": true, "viewer": true}

// SeesWardStats reports whether a may read the ward's aggregates.
func (a Actor) SeesWardStats() bool { return a.isStaff() && wardRoles[a.StaffRole] }

// SchoolReport returns the statistics of the school account's own school
// for the week holding week; ErrNotFound for anyone else.
func (s *Service) SchoolReport(ctx context.Context, a Actor, week time.Time) (*SchoolReport, error) {
	org, err := a.schoolOrg()
	if err != nil {
		return nil, err
	}
	ss, err := s.schools()
	if err != nil {
		return nil, err
	}
	s.freshCoverage(ctx)
	names, err := ss.SchoolNames(ctx)
	if err != nil {
		return nil, err
	}
	r := &SchoolReport{OrgID: org, Name: names[org]}
	start := weekStart(week)
	for i := ChartWeeks - 1; i >= 0; i-- {
		from := start.AddDate(0, 0, -7*i)
		rows, err := s.weekRows(ctx, ss, from)
		if err != nil {
			return nil, err
		}
		f := rows[org]
		f.Week, f.OrgID = from, org
		r.Series = append(r.Series, f)
	}
	r.Week = r.Series[len(r.Series)-1]
	if r.Alerts, err = ss.SchoolAlerts(ctx, org, start, start.AddDate(0, 0, 7), maxSchoolAlerts); err != nil {
		return nil, fmt.Errorf("reading school alerts: %w", err)
	}
	return r, nil
}

// WardReport returns every school's and the ward's figures for the week
// holding week, for the ward's officers, chairman, admin and viewers;
// ErrNotFound for anyone else.
func (s *Service) WardReport(ctx context.Context, a Actor, week time.Time) (*WardReport, error) {
	if !a.SeesWardStats() {
		return nil, ErrNotFound
	}
	ss, err := s.schools()
	if err != nil {
		return nil, err
	}
	s.freshCoverage(ctx)
	names, err := ss.SchoolNames(ctx)
	if err != nil {
		return nil, err
	}
	start := weekStart(week)
	r := &WardReport{Week: start}
	for i := ChartWeeks - 1; i >= 0; i-- {
		from := start.AddDate(0, 0, -7*i)
		t, err := s.wardTotal(ctx, ss, from)
		if err != nil {
			return nil, err
		}
		r.Series = append(r.Series, t)
	}
	r.Total = r.Series[len(r.Series)-1]
	rows, err := s.weekRows(ctx, ss, start)
	if err != nil {
		return nil, err
	}
	for id, name := range names {
		f := rows[id]
		f.Week, f.OrgID = start, id
		r.Schools = append(r.Schools, SchoolRow{OrgID: id, Name: name, WeekFigures: f})
	}
	sort.Slice(r.Schools, func(i, j int) bool {
		if r.Schools[i].Name != r.Schools[j].Name {
			return r.Schools[i].Name < r.Schools[j].Name
		}
		return r.Schools[i].OrgID < r.Schools[j].OrgID
	})
	none := rows[0]
	none.Week = start
	r.Schools = append(r.Schools, SchoolRow{WeekFigures: none})
	return r, nil
}

// weekRows reads the per-school figures of the week starting at from.
func (s *Service) weekRows(ctx context.Context, ss SchoolStore, from time.Time) (map[int64]WeekFigures, error) {
	to := from.AddDate(0, 0, 7)
	cov, err := ss.Coverage(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading coverage: %w", err)
	}
	dns, err := ss.SchoolDNS(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading school DNS counts: %w", err)
	}
	out := map[int64]WeekFigures{}
	for _, c := range cov {
		f := out[c.OrgID]
		f.Coverage = c
		out[c.OrgID] = f
	}
	byOrg := map[int64][]DNSCount{}
	for _, d := range dns {
		byOrg[d.OrgID] = append(byOrg[d.OrgID], d)
	}
	for org, list := range byOrg {
		f := out[org]
		addDNS(&f, list)
		out[org] = f
	}
	return out, nil
}

// wardTotal reads the ward's figures of the week starting at from.
func (s *Service) wardTotal(ctx context.Context, ss SchoolStore, from time.Time) (WeekFigures, error) {
	to := from.AddDate(0, 0, 7)
	cov, err := ss.WardCoverage(ctx, from, to)
	if err != nil {
		return WeekFigures{}, fmt.Errorf("reading ward coverage: %w", err)
	}
	dns, err := ss.WardDNS(ctx, from, to)
	if err != nil {
		return WeekFigures{}, fmt.Errorf("reading ward DNS counts: %w", err)
	}
	f := WeekFigures{Week: from, Coverage: cov}
	addDNS(&f, dns)
	return f, nil
}

// addDNS sums counts into f: every query, the blocked ones, and blocked by
// category largest first.
func addDNS(f *WeekFigures, list []DNSCount) {
	by := map[string]int64{}
	for _, d := range list {
		f.Queries += d.Queries
		if d.Action == "blocked" {
			f.Blocked += d.Queries
			by[d.Category] += d.Queries
		}
	}
	f.ByCategory = f.ByCategory[:0]
	for c, n := range by {
		f.ByCategory = append(f.ByCategory, CategoryCount{Category: c, Blocked: n})
	}
	sort.Slice(f.ByCategory, func(i, j int) bool {
		a, b := f.ByCategory[i], f.ByCategory[j]
		if a.Blocked != b.Blocked {
			return a.Blocked > b.Blocked
		}
		return a.Category < b.Category
	})
}

// coverageRuns remembers when each Service last ran RecordCoverage from a
// statistics page.
var coverageRuns sync.Map // *Service → time.Time

// freshCoverage runs RecordCoverage before a statistics page when it has
// not run in the last minute, so that the counts of devices covered are
// current even where no periodic job calls it; a failure is logged and
// the page shows what is recorded.
func (s *Service) freshCoverage(ctx context.Context) {
	now := s.now()
	if last, ok := coverageRuns.Load(s); ok && now.Sub(last.(time.Time)) < time.Minute && !now.Before(last.(time.Time)) {
		return
	}
	coverageRuns.Store(s, now)
	if err := s.RecordCoverage(ctx); err != nil {
		s.log.WarnContext(ctx, "recording devices covered", "err", err)
	}
}

// RecordCoverage writes, for every child profile's device the DNS server
// has seen, that it was seen in the week of its last-seen time (see the
// definitions above). The app calls it every few minutes; it does nothing
// when the store records no activity.
func (s *Service) RecordCoverage(ctx context.Context) error {
	if s.activity == nil {
		return nil
	}
	ss, err := s.schools()
	if err != nil {
		return err
	}
	profiles, devices, err := s.store.PolicyProfiles(ctx)
	if err != nil {
		return err
	}
	child := map[int64]bool{}
	for _, p := range profiles {
		child[p.ID] = p.Kind == KindChild
	}
	var ids []int64
	for _, d := range devices {
		if child[d.ProfileID] {
			ids = append(ids, d.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	seen, err := s.activity.DevicesSeen(ctx, ids)
	if err != nil {
		return fmt.Errorf("reading devices seen: %w", err)
	}
	byWeek := map[time.Time][]int64{}
	for id, t := range seen {
		if !t.IsZero() {
			w := weekStart(t)
			byWeek[w] = append(byWeek[w], id)
		}
	}
	for w, list := range byWeek {
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
		if err := ss.MarkDeviceWeeks(ctx, w, list); err != nil {
			return fmt.Errorf("recording devices seen in week %s: %w", w.Format(time.DateOnly), err)
		}
	}
	return nil
}
