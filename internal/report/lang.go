package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/program"
)

// lang is the language of a report's fixed texts: Vietnamese (the
// official document, the default) or English (Input.Lang "en": headings,
// table heads, generated sentences, labels and numbers; what the officer
// typed — narratives, title, basis, recipients, signature — prints as
// typed).
type lang struct{ en bool }

func langOf(s string) lang { return lang{en: s == "en"} }

// t picks the text of the language.
func (l lang) t(vi, en string) string {
	if l.en {
		return en
	}
	return vi
}

// n writes a count: "10.000" in Vietnamese, "10,000" in English.
func (l lang) n(v any) string {
	var s string
	switch x := v.(type) {
	case int:
		s = num(x)
	case int64:
		s = num(x)
	default:
		s = fmt.Sprint(v)
	}
	if l.en {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// c2 writes a count of sessions: "05" in Vietnamese (the ward's habit),
// "5" in English.
func (l lang) c2(n int) string {
	if l.en {
		return l.n(n)
	}
	return count2(n)
}

// pct writes "93,8%" or "93.8%".
func (l lang) pct(r program.Ratio) string {
	s := percent(r)
	if l.en {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// ratio writes "94% (329/350)", or unknown.
func (l lang) ratio(r program.Ratio, unknown string) string {
	if !r.Known() {
		return unknown
	}
	return fmt.Sprintf("%s (%s/%s)", l.pct(r), l.n(r.Num), l.n(r.Den))
}

// placeDate is the date line: "Phù Liễn, ngày 05 tháng 01 năm 2026" or
// "Phù Liễn, 5 January 2026".
func (l lang) placeDate(place string, d time.Time) string {
	if !l.en {
		return placeDate(place, d)
	}
	if d.IsZero() {
		return place + ", …/…/……"
	}
	return fmt.Sprintf("%s, %d %s %d", place, d.Day(), d.Month(), d.Year())
}

var quartersEN = []string{"first", "second", "third", "fourth"}

// period names a period and the one after it (see periodPhrase).
func (l lang) period(p program.Period) (this, next string) {
	if !l.en {
		return periodPhrase(p)
	}
	f, last := p.From, p.LastDay()
	startsYear := f.Month() == 1 && f.Day() == 1
	endsYear := last.Month() == 12 && last.Day() == 31
	switch {
	case startsYear && endsYear && last.Year() == f.Year():
		return strconv.Itoa(f.Year()), strconv.Itoa(f.Year() + 1)
	case startsYear && endsYear:
		n := last.Year() - f.Year() + 1
		return fmt.Sprintf("the period %d – %d", f.Year(), last.Year()),
			fmt.Sprintf("the period %d – %d", last.Year()+1, last.Year()+n)
	case f.Day() == 1 && last.Year() == f.Year() && p.To.Day() == 1:
		months := int(last.Month()) - int(f.Month()) + 1
		switch {
		case months == 6 && f.Month() == 1:
			return fmt.Sprintf("the first half of %d", f.Year()), ""
		case months == 6 && f.Month() == 7:
			return fmt.Sprintf("the second half of %d", f.Year()), ""
		case months == 3 && (f.Month()-1)%3 == 0:
			return fmt.Sprintf("the %s quarter of %d", quartersEN[(f.Month()-1)/3], f.Year()), ""
		case months == 1:
			return fmt.Sprintf("%s %d", f.Month(), f.Year()), ""
		}
	}
	return fmt.Sprintf("from %s to %s", dateVN(f), dateVN(last)), ""
}

// in is "trong năm 2025" / "in 2025", or the dates as they are.
func (l lang) in(this string) string {
	if !l.en {
		return inPhrase(this)
	}
	if strings.HasPrefix(this, "from ") {
		return this
	}
	return "in " + this
}

// label names a risk category.
func (l lang) label(code string) string {
	if !l.en {
		return label(code)
	}
	switch code {
	case "other":
		return "other"
	case "":
		return "not classified"
	}
	return alert.CategoryLabel(code, "en")
}

func (l lang) pick(vi, en map[string]string, k string) string {
	if l.en {
		return orLabel(en, k)
	}
	return orLabel(vi, k)
}

func (l lang) kind(k string) string  { return l.pick(kindLabels, kindLabelsEN, k) }
func (l lang) place(k string) string { return l.pick(placeLabels, placeLabelsEN, k) }
func (l lang) group(k string) string { return l.pick(groupLabels, groupLabelsEN, k) }
func (l lang) action(k string) string {
	return l.pick(actionLabels, actionLabelsEN, k)
}
func (l lang) deadline(k string) string { return l.pick(deadlineLabels, deadlineLabelsEN, k) }
func (l lang) channel(k string) string {
	if !l.en {
		return channelLabel(k)
	}
	return orLabel(channelLabelsEN, k)
}

// byCount lists a map's entries, largest first: "scam 5; gambling 2".
func (l lang) byCount(m map[string]int, name func(string) string) string {
	return l.numbers(byCount(m, name))
}

func (l lang) byCount64(m map[string]int64, name func(string) string) string {
	return l.numbers(byCount(m, name))
}

// numbers turns the Vietnamese thousands dots of s into English commas
// (only between digits).
func (l lang) numbers(s string) string {
	if !l.en {
		return s
	}
	b := []byte(s)
	for i := 1; i+1 < len(b); i++ {
		if b[i] == '.' && b[i-1] >= '0' && b[i-1] <= '9' && b[i+1] >= '0' && b[i+1] <= '9' {
			b[i] = ','
		}
	}
	return string(b)
}

var kindLabelsEN = map[string]string{
	program.KindCommunication: "communication session",
	program.KindThemedMeeting: "themed meeting",
	program.KindSpecial:       "special session",
	program.KindTraining:      "training",
	program.KindContest:       "contest",
	program.KindLeaflet:       "leaflets, infographics",
	program.KindBroadcast:     "broadcasts, web pages",
	program.KindDigitalSkills: "digital-skills class",
}

var placeLabelsEN = map[string]string{
	program.PlaceSchool:        "schools",
	program.PlaceResidential:   "residential groups",
	program.PlaceCulturalHouse: "cultural houses",
	program.PlaceWardOffice:    "the ward office",
	program.PlaceOnline:        "online",
	program.PlaceOther:         "other places",
}

var groupLabelsEN = map[string]string{
	program.GroupPupils:    "pupils",
	program.GroupParents:   "parents",
	program.GroupTeachers:  "teachers",
	program.GroupResidents: "residents",
	program.GroupStaff:     "staff",
}

var deadlineLabelsEN = map[string]string{
	"emergency":  "emergency intervention within 12 hours",
	"plan":       "support plan within 5 working days",
	"approval":   "plan approval within 2 working days",
	"assignment": "assignment within 1 hour (high and critical)",
}

var actionLabelsEN = map[string]string{
	program.ActionReminder: "reminder",
	program.ActionFine:     "fine",
	program.ActionFollowUp: "follow-up visit",
	program.ActionClosed:   "suspension, revocation",
}

var channelLabelsEN = map[string]string{
	"web": "online report form", "qr": "QR code", "hotline": "hotline 111", "111": "hotline 111",
	"phone": "telephone", "walk_in": "in person", "in_person": "in person",
}
