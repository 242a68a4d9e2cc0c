package program

import (
	"maps"
	"slices"
	"time"
)

// Figures are every number of a period's report and dashboard, computed
// from the data (figures_compute.go), never typed. They are what a ward
// signs and sends to the city (JSON), and what the city adds up (Add):
// so ratios keep their numerator and denominator, and maps are keyed by
// stable codes (activity kind, participant group, level, case category,
// deadline kind, DNS category, violation article), never by words.
type Figures struct {
	// Format is "manglanh.figures/1".
	Format string `json:"format"`
	// Wards are the tenants counted: one for a ward, many for a roll-up.
	Wards     []TenantRef `json:"wards"`
	Period    Period      `json:"period"`
	Generated time.Time   `json:"generated"`

	Activities ActivityFigures `json:"activities"`
	Coverage   CoverageFigures `json:"coverage"`
	Cases      CaseFigures     `json:"cases"`
	Shops      ShopFigures     `json:"shops"`
	Alerts     AlertFigures    `json:"alerts"`
	DNS        DNSFigures      `json:"dns"`
	// Indicators are the targets evaluated on these figures.
	Indicators []IndicatorResult `json:"indicators"`
	// Missing names the sources that were not available ("dns",
	// "alerts", "cases", "activities", "shops", "schools"): their figures
	// are zero because nothing was counted, not because nothing happened.
	Missing []string `json:"missing,omitempty"`
}

// FiguresFormat is the format tag of Figures.
const FiguresFormat = "manglanh.figures/1"

// TenantRef names a ward in figures.
type TenantRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Ratio is Num out of Den; Den 0 means "not measurable" (no school has an
// enrolled count, no case had a deadline), never 0 %.
type Ratio struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Known reports whether the ratio has a denominator.
func (r Ratio) Known() bool { return r.Den > 0 }

// Percent is 100·Num/Den, or 0 when unknown (check Known).
func (r Ratio) Percent() float64 {
	if r.Den <= 0 {
		return 0
	}
	return 100 * float64(r.Num) / float64(r.Den)
}

func (r Ratio) add(o Ratio) Ratio { return Ratio{Num: r.Num + o.Num, Den: r.Den + o.Den} }

// MonthCount is one month's count in a trend ("2025-03").
type MonthCount struct {
	Month string `json:"month"`
	Count int64  `json:"count"`
}

// ActivityFigures count the activities of the period.
type ActivityFigures struct {
	Total  int            `json:"total"`
	ByKind map[string]int `json:"by_kind"`
	// Participants are participations by group (a pupil at two sessions
	// counts twice here; Coverage counts pupils reached).
	Participants map[string]int `json:"participants"`
	// PupilsByLevel are pupil participations by level ("" = level unknown).
	PupilsByLevel map[string]int `json:"pupils_by_level"`
	// ParticipantsByKind are participations by activity kind, then group
	// (the pupils, parents… of the communication sessions alone). Absent
	// from figures saved before it existed.
	ParticipantsByKind map[string]map[string]int `json:"participants_by_kind,omitempty"`
	// Copies are leaflets printed and broadcasts made.
	Copies map[string]int `json:"copies"`
	// AtSchools, AtResidential, … are activities by place kind (an
	// activity at two kinds of place counts once in each).
	ByPlace map[string]int `json:"by_place"`
	ByMonth []MonthCount   `json:"by_month"`
}

// SchoolCoverage is one school's coverage.
type SchoolCoverage struct {
	Ward     string `json:"ward,omitempty"` // roll-ups: the ward's code
	SchoolID int64  `json:"school_id"`
	Name     string `json:"name"`
	// Activities held at or for the school in the period.
	Activities int `json:"activities"`
	// Reached and Enrolled by level; a level with no enrolled count is
	// absent from Enrolled, and the school is then "no enrolment" for it.
	Reached  map[string]int `json:"reached"`
	Enrolled map[string]int `json:"enrolled"`
	// Capped lists the levels where the activities counted more pupils
	// than the school enrols, so Reached shows the enrolled count.
	Capped []string `json:"capped,omitempty"`
}

// CoverageFigures are pupils reached against pupils enrolled.
type CoverageFigures struct {
	// Pupils is the ward's reached/enrolled over schools and levels that
	// have an enrolled count.
	Pupils  Ratio            `json:"pupils"`
	ByLevel map[string]Ratio `json:"by_level"`
	// Schools is T1's measure: primary and lower-secondary schools of the
	// directory (School.InT1; kindergartens and upper-secondary schools
	// are not counted) with at least one activity for their pupils in the
	// period, out of those schools.
	Schools Ratio `json:"schools"`
	// SchoolsNoEnrolment counts schools without an enrolled count (not
	// counting kindergartens and upper-secondary schools) (their
	// pupils reached are counted in ReachedNoEnrolment, not in Pupils).
	SchoolsNoEnrolment int `json:"schools_no_enrolment"`
	ReachedNoEnrolment int `json:"reached_no_enrolment"`
	// ReachedByKind are the pupils reached by the activities of one kind,
	// by level: ComputeCoverage's rule (distinct pupils estimated per
	// grade, capped at the enrolled count) applied to that kind's
	// activities alone, schools without an enrolled count included. What
	// "over 350 pupils were reached by the communication sessions" cites.
	// Absent from figures saved before it existed.
	ReachedByKind map[string]map[string]int `json:"reached_by_kind,omitempty"`
	BySchool      []SchoolCoverage          `json:"by_school"`
}

// DeadlineFigure counts one Decree 56 deadline kind over the cases of the
// period that had it: met in time, missed (met late or still open after
// its due time), still open and not yet due at the end of the period.
type DeadlineFigure struct {
	Met    int `json:"met"`
	Missed int `json:"missed"`
	Open   int `json:"open"`
}

// CaseFigures count the cases of the period. A case is received in the
// period of its ReceivedAt and closed in the period of its ClosedAt: a
// case received in March and closed in May counts in both quarters, once
// as received and once as closed.
type CaseFigures struct {
	Received   int            `json:"received"`
	Urgent     int            `json:"urgent"`
	ByCategory map[string]int `json:"by_category"`
	ByChannel  map[string]int `json:"by_channel"`
	ByLevel    map[string]int `json:"by_level"`
	// Handled: received in the period and assessed (or closed) by its end.
	Handled int `json:"handled"`
	// Supported: received in the period with a support plan approved or an
	// emergency intervention recorded by its end.
	Supported int `json:"supported"`
	// NeedSupport: received in the period, assessed by its end, and not
	// closed at the assessment as needing no support (T2's denominator;
	// Supported is a part of it).
	NeedSupport int `json:"need_support"`
	// Referred: received in the period with at least one referral.
	Referred int `json:"referred"`
	// Closed in the period (whenever received); OpenAtEnd: received before
	// the end and not closed by it.
	Closed    int `json:"closed"`
	OpenAtEnd int `json:"open_at_end"`
	// Deadlines by kind (cases.DeadlineKind strings).
	Deadlines map[string]DeadlineFigure `json:"deadlines"`
	// InTime: cases whose every deadline was met, out of cases that had a
	// deadline that fell due in the period.
	InTime  Ratio        `json:"in_time"`
	ByMonth []MonthCount `json:"by_month"`
}

// ShopFigures count the shop registry and inspections of the period.
type ShopFigures struct {
	// Registered: shops added to the registry before the period's end and
	// not closed before it (Shop.OpenAt(To)).
	Registered     int `json:"registered"`
	Inspections    int `json:"inspections"`
	ShopsInspected int `json:"shops_inspected"`
	Violations     int `json:"violations"`
	// Handled: violations with at least one action (reminder, fine, …).
	Handled   int            `json:"handled"`
	ByArticle map[string]int `json:"by_article"`
	ByAction  map[string]int `json:"by_action"`
	FinesVND  int64          `json:"fines_vnd"`
	// RepeatOffenders: shops with violations at two or more inspections
	// (counted over the shop's whole history up to the period's end).
	RepeatOffenders int `json:"repeat_offenders"`
}

// AlertFigures count early-warning alerts raised in the period.
type AlertFigures struct {
	Raised     int            `json:"raised"`
	ByCategory map[string]int `json:"by_category"`
	ByLevel    map[string]int `json:"by_level"`
}

// DNSFigures are the protective resolver's aggregates of the period.
type DNSFigures struct {
	// DevicesProtected: distinct family and school devices seen.
	DevicesProtected int `json:"devices_protected"`
	// Profiles: child, school and class profiles existing at the end.
	Profiles          int              `json:"profiles"`
	Blocked           int64            `json:"blocked"`
	BlockedByCategory map[string]int64 `json:"blocked_by_category"`
	ByMonth           []MonthCount     `json:"by_month"`
}

// IndicatorResult is an indicator evaluated on figures.
type IndicatorResult struct {
	Code    string  `json:"code"`
	NameVI  string  `json:"name_vi"`
	NameEN  string  `json:"name_en"`
	Measure string  `json:"measure"`
	Unit    string  `json:"unit"` // "percent" or "count"
	Target  float64 `json:"target"`
	// Value is a ratio for percent indicators, or Num alone (Den 0) for
	// counts.
	Value Ratio `json:"value"`
	// Met: the value reaches the target; false also when not measurable.
	Met bool `json:"met"`
	// Known: the measure had data (a ratio with a denominator, or a count).
	Known bool `json:"known"`
}

func addInts[K comparable](dst map[K]int, src map[K]int) map[K]int {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[K]int{}
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

func addInt64s[K comparable](dst map[K]int64, src map[K]int64) map[K]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[K]int64{}
	}
	for k, v := range src {
		dst[k] += v
	}
	return dst
}

func addNested(dst, src map[string]map[string]int) map[string]map[string]int {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[string]map[string]int{}
	}
	for k, m := range src {
		dst[k] = addInts(dst[k], m)
	}
	return dst
}

func addMonths(a, b []MonthCount) []MonthCount {
	m := map[string]int64{}
	for _, x := range a {
		m[x.Month] += x.Count
	}
	for _, x := range b {
		m[x.Month] += x.Count
	}
	keys := slices.Sorted(maps.Keys(m))
	out := make([]MonthCount, 0, len(keys))
	for _, k := range keys {
		out = append(out, MonthCount{Month: k, Count: m[k]})
	}
	return out
}

// Add adds o's counts to f: the roll-up of wards. Ratios add numerators
// and denominators (a city's coverage is all pupils reached over all
// enrolled, not the mean of the wards' percentages). Indicators are not
// added: evaluate the city's indicators on the sum (EvaluateIndicators).
// The period of f is kept; the caller checks the periods agree.
func (f *Figures) Add(o *Figures) {
	f.Wards = append(f.Wards, o.Wards...)
	for _, m := range o.Missing {
		if !slices.Contains(f.Missing, m) {
			f.Missing = append(f.Missing, m)
		}
	}
	a, b := &f.Activities, &o.Activities
	a.Total += b.Total
	a.ByKind = addInts(a.ByKind, b.ByKind)
	a.Participants = addInts(a.Participants, b.Participants)
	a.PupilsByLevel = addInts(a.PupilsByLevel, b.PupilsByLevel)
	a.ParticipantsByKind = addNested(a.ParticipantsByKind, b.ParticipantsByKind)
	a.Copies = addInts(a.Copies, b.Copies)
	a.ByPlace = addInts(a.ByPlace, b.ByPlace)
	a.ByMonth = addMonths(a.ByMonth, b.ByMonth)

	c, d := &f.Coverage, &o.Coverage
	c.Pupils = c.Pupils.add(d.Pupils)
	if len(d.ByLevel) > 0 && c.ByLevel == nil {
		c.ByLevel = map[string]Ratio{}
	}
	for k, v := range d.ByLevel {
		c.ByLevel[k] = c.ByLevel[k].add(v)
	}
	c.Schools = c.Schools.add(d.Schools)
	c.SchoolsNoEnrolment += d.SchoolsNoEnrolment
	c.ReachedNoEnrolment += d.ReachedNoEnrolment
	c.ReachedByKind = addNested(c.ReachedByKind, d.ReachedByKind)
	ward := ""
	if len(o.Wards) == 1 {
		ward = o.Wards[0].Code
	}
	for _, s := range d.BySchool {
		if s.Ward == "" {
			s.Ward = ward
		}
		c.BySchool = append(c.BySchool, s)
	}

	e, g := &f.Cases, &o.Cases
	e.Received += g.Received
	e.Urgent += g.Urgent
	e.ByCategory = addInts(e.ByCategory, g.ByCategory)
	e.ByChannel = addInts(e.ByChannel, g.ByChannel)
	e.ByLevel = addInts(e.ByLevel, g.ByLevel)
	e.Handled += g.Handled
	e.Supported += g.Supported
	e.NeedSupport += g.NeedSupport
	e.Referred += g.Referred
	e.Closed += g.Closed
	e.OpenAtEnd += g.OpenAtEnd
	if len(g.Deadlines) > 0 && e.Deadlines == nil {
		e.Deadlines = map[string]DeadlineFigure{}
	}
	for k, v := range g.Deadlines {
		x := e.Deadlines[k]
		x.Met += v.Met
		x.Missed += v.Missed
		x.Open += v.Open
		e.Deadlines[k] = x
	}
	e.InTime = e.InTime.add(g.InTime)
	e.ByMonth = addMonths(e.ByMonth, g.ByMonth)

	s, t := &f.Shops, &o.Shops
	s.Registered += t.Registered
	s.Inspections += t.Inspections
	s.ShopsInspected += t.ShopsInspected
	s.Violations += t.Violations
	s.Handled += t.Handled
	s.ByArticle = addInts(s.ByArticle, t.ByArticle)
	s.ByAction = addInts(s.ByAction, t.ByAction)
	s.FinesVND += t.FinesVND
	s.RepeatOffenders += t.RepeatOffenders

	al, bl := &f.Alerts, &o.Alerts
	al.Raised += bl.Raised
	al.ByCategory = addInts(al.ByCategory, bl.ByCategory)
	al.ByLevel = addInts(al.ByLevel, bl.ByLevel)

	n, m := &f.DNS, &o.DNS
	n.DevicesProtected += m.DevicesProtected
	n.Profiles += m.Profiles
	n.Blocked += m.Blocked
	n.BlockedByCategory = addInt64s(n.BlockedByCategory, m.BlockedByCategory)
	n.ByMonth = addMonths(n.ByMonth, m.ByMonth)
}
