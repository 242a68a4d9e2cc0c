package cases

import (
	"time"
)

// Holiday is one calendar date that is not a working day, or, when
// WorkingDay is set, a Saturday or Sunday worked to make up for a swapped
// day (ngày làm bù). Only the year, month and day of Date count; they are
// read in the Calendar's location.
type Holiday struct {
	Date       time.Time
	NameVi     string
	NameEn     string
	WorkingDay bool // a make-up working day on a weekend
	// Confirmed is false when the date is an expectation that no official
	// announcement found by the authors confirmed; Note says why.
	Confirmed bool
	Note      string
}

type civilDate struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

// Calendar knows which days are working days: Monday to Friday, minus
// public holidays, plus make-up working days. It is immutable and safe for
// concurrent use.
type Calendar struct {
	loc      *time.Location
	off      map[civilDate]Holiday
	workdays map[civilDate]Holiday
}

// DefaultLocation is Asia/Ho_Chi_Minh from the system's time zone database,
// or a fixed UTC+7 zone when the database is missing (Vietnam has kept UTC+7
// without daylight saving since 1975, so the two agree for case dates).
func DefaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// NewCalendar builds a calendar in loc (DefaultLocation when nil) from
// holidays. Later entries for the same date replace earlier ones.
func NewCalendar(loc *time.Location, holidays []Holiday) *Calendar {
	if loc == nil {
		loc = DefaultLocation()
	}
	c := &Calendar{loc: loc, off: map[civilDate]Holiday{}, workdays: map[civilDate]Holiday{}}
	for _, h := range holidays {
		k := dateOf(h.Date)
		delete(c.off, k)
		delete(c.workdays, k)
		if h.WorkingDay {
			c.workdays[k] = h
		} else {
			c.off[k] = h
		}
	}
	return c
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Holiday returns the holiday on t's date in the calendar's location, if
// any (make-up working days are not holidays).
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.off[dateOf(t.In(c.loc))]
	return h, ok
}

// IsWorkingDay reports whether t's date, in the calendar's location, is a
// working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	k := dateOf(t.In(c.loc))
	if _, ok := c.workdays[k]; ok {
		return true
	}
	if _, ok := c.off[k]; ok {
		return false
	}
	wd := t.In(c.loc).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// EndOfDay is the last second of t's date in the calendar's location.
func (c *Calendar) EndOfDay(t time.Time) time.Time {
	y, m, d := t.In(c.loc).Date()
	return time.Date(y, m, d, 23, 59, 59, 0, c.loc)
}

// AddWorkingDays returns the deadline "n working days from t".
//
// Convention: the day of t itself is never counted, whatever the hour and
// whether or not it is a working day; the deadline is the end (23:59:59,
// in the calendar's location) of the n-th working day after t's date. So a
// report assessed on Friday evening has a 5-working-day plan due at the end
// of the next Friday, and one assessed on Saturday is due at the end of the
// Friday after. n <= 0 gives the end of t's own day.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	day := t.In(c.loc)
	y, m, d := day.Date()
	// Step by calendar date at noon so DST-free arithmetic stays exact even
	// in a location with daylight saving.
	cur := time.Date(y, m, d, 12, 0, 0, 0, c.loc)
	for n > 0 {
		cur = cur.AddDate(0, 0, 1)
		if c.IsWorkingDay(cur) {
			n--
		}
	}
	return c.EndOfDay(cur)
}
