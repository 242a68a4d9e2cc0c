package filter

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

const minutesPerWeek = 7 * 24 * 60

// weekMask has one bit per minute of the week, Monday 00:00 first.
type weekMask [(minutesPerWeek + 63) / 64]uint64

func (w *weekMask) set(from, to int) { // [from, to) in minutes of the week, may wrap
	if to < from {
		w.setRange(from, minutesPerWeek)
		w.setRange(0, to)
		return
	}
	w.setRange(from, to)
}

// setRange sets [from, to), from ≤ to ≤ minutesPerWeek, a word at a time.
func (w *weekMask) setRange(from, to int) {
	for m := from; m < to; {
		i, bit := m/64, m%64
		n := min(64-bit, to-m)
		ones := ^uint64(0)
		if n < 64 {
			ones = (1<<n - 1)
		}
		w[i] |= ones << bit
		m += n
	}
}

func (w *weekMask) has(m int) bool { return w[m/64]&(1<<(m%64)) != 0 }

// minuteOfWeek returns t's minute of the week in loc, Monday 00:00 = 0.
func minuteOfWeek(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	h, m, _ := t.Clock()
	d := (int(t.Weekday()) + 6) % 7
	return d*24*60 + h*60 + m
}

var dayNames = map[string]int{
	"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
	"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
	"t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4, "t7": 5, "cn": 6,
}

// parseDays reads mon..sun (or t2..t7, cn; also "weekdays", "weekend",
// "daily"). No days means every day.
func parseDays(days []string) ([]int, error) {
	if len(days) == 0 {
		return []int{0, 1, 2, 3, 4, 5, 6}, nil
	}
	seen := [7]bool{}
	var out []int
	addDay := func(d int) {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	for _, s := range days {
		s = strings.ToLower(strings.TrimSpace(s))
		switch s {
		case "daily", "everyday", "all", "hằng ngày":
			for d := range 7 {
				addDay(d)
			}
			continue
		case "weekdays":
			for d := range 5 {
				addDay(d)
			}
			continue
		case "weekend":
			addDay(5)
			addDay(6)
			continue
		}
		d, ok := dayNames[s]
		if !ok {
			return nil, fmt.Errorf("%q", s)
		}
		addDay(d)
	}
	return out, nil
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" only if
// allow24.
func parseClock(s string, allow24 bool) (int, bool) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return 0, false
	}
	if h == 24 && m == 0 && allow24 {
		return 24 * 60, true
	}
	if h > 23 {
		return 0, false
	}
	return h*60 + m, true
}
