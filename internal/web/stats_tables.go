package web

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// statsCol is a column of a statistics table. An ExportOnly column (a
// ratio's numerator and denominator as numbers) is in the CSV and XLSX
// only: the page shows the ratio in one cell.
type statsCol struct {
	Label      string
	ExportOnly bool
}

// statsCell is one cell: its text, its number for the exports, and the
// link to the rows it counts ("" when nothing lists them).
type statsCell struct {
	Text  string
	Num   float64
	IsNum bool
	Href  string
	Label string // the column's label, set for the page
}

// statsTable is one table of the page and of its exports: the same rows
// for both, built once from the figures.
type statsTable struct {
	Slug, Title string
	Cols        []statsCol
	Rows        [][]statsCell
	Foot        []statsCell
	// Missing names the figure source that is not available: the table is
	// then not measured, and says so instead of showing zeros.
	Missing string
	Empty   string   // message shown when there are no rows
	Notes   []string // sentences under the table, exported as rows
	// Compact tables (a few short numeric columns) stay tables on a
	// phone; the others become one card per row.
	Compact bool
}

// Head is the page's header row.
func (t statsTable) Head() []string {
	var out []string
	for _, c := range t.Cols {
		if !c.ExportOnly {
			out = append(out, c.Label)
		}
	}
	return out
}

func (t statsTable) view(row []statsCell) []statsCell {
	var out []statsCell
	for i, c := range row {
		if i < len(t.Cols) && t.Cols[i].ExportOnly {
			continue
		}
		if i < len(t.Cols) {
			c.Label = t.Cols[i].Label
		}
		out = append(out, c)
	}
	return out
}

// PageRows are the rows without the export-only columns, labelled.
func (t statsTable) PageRows() [][]statsCell {
	out := make([][]statsCell, 0, len(t.Rows))
	for _, r := range t.Rows {
		out = append(out, t.view(r))
	}
	return out
}

// PageFoot is the total row without the export-only columns.
func (t statsTable) PageFoot() []statsCell { return t.view(t.Foot) }

// cells are the table as export rows: a header, the rows, the total and
// the notes; a table whose source is missing exports its header and the
// sentence that says so.
func (t statsTable) cells(lang, period string) [][]xlsxCell {
	out := [][]xlsxCell{{textCell(t.Title)}, {textCell(T(lang, "stats.export.period", period))}}
	head := make([]xlsxCell, len(t.Cols))
	for i, c := range t.Cols {
		head[i] = textCell(c.Label)
	}
	out = append(out, head)
	if t.Missing != "" {
		return append(out, []xlsxCell{textCell(T(lang, "stats.export.missing", T(lang, "stats.src."+t.Missing)))})
	}
	row := func(r []statsCell) []xlsxCell {
		x := make([]xlsxCell, len(r))
		for i, c := range r {
			if c.IsNum {
				x[i] = numCell(c.Num)
			} else {
				x[i] = textCell(c.Text)
			}
		}
		return x
	}
	for _, r := range t.Rows {
		out = append(out, row(r))
	}
	if len(t.Foot) > 0 {
		out = append(out, row(t.Foot))
	}
	for _, n := range t.Notes {
		out = append(out, []xlsxCell{textCell(n)})
	}
	return out
}

// statsBuild builds the page's tables from one period's figures.
type statsBuild struct {
	lang string
	loc  *time.Location
	p    program.Period
	f    *program.Figures
	// caseLinks: the user's case list is the ward's whole list, so a
	// case figure may link to it (police see their own cases only, a
	// viewer none: their case figures are not links).
	caseLinks bool
	dnsName   func(string) string
}

func (b *statsBuild) missing(src string) bool { return slices.Contains(b.f.Missing, src) }

func (b *statsBuild) day(t time.Time) string { return t.In(b.loc).Format("02/01/2006") }

// clip is the days of [from, to] inside the period.
func (b *statsBuild) clip(from, to time.Time) (time.Time, time.Time) {
	if from.Before(b.p.From) {
		from = b.p.From
	}
	if last := b.p.LastDay(); to.After(last) {
		to = last
	}
	return from, to
}

// activityHref is the activity list of the days from–to with the extra
// filters (kind, school, group), in the parameters activity_list.go reads.
func (b *statsBuild) activityHref(from, to time.Time, extra ...string) string {
	v := url.Values{"from": {b.day(from)}, "to": {b.day(to)}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return "/can-bo/hoat-dong?" + v.Encode()
}

// caseHref is the case list of the cases received from–to (case_list.go
// reads received_from and received_to), of one category when not "".
func (b *statsBuild) caseHref(from, to time.Time, category string) string {
	if !b.caseLinks {
		return ""
	}
	v := url.Values{"loc": {"all"}, "received_from": {b.day(from)}, "received_to": {b.day(to)}}
	if category != "" {
		v.Set("category", category)
	}
	return "/can-bo/ho-so?" + v.Encode()
}

// inspectionHref is the inspections list of the period (shop_inspections.go
// reads from, to and handled=yes).
func (b *statsBuild) inspectionHref(handled bool) string {
	v := url.Values{"from": {b.day(b.p.From)}, "to": {b.day(b.p.LastDay())}}
	if handled {
		v.Set("handled", "yes")
	}
	return "/can-bo/kiem-tra?" + v.Encode()
}

func num(n int64, href string) statsCell {
	return statsCell{Text: formatCount(n), Num: float64(n), IsNum: true, Href: href}
}

func text(s string) statsCell { return statsCell{Text: s} }

// formatCount writes n with the Vietnamese thousands separator (1.234).
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// decimal writes x with at most one decimal, a comma in Vietnamese.
func decimal(x float64, lang string) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// indicators is table (a): every indicator, its target, its value and
// whether it is met.
func (b *statsBuild) indicators() statsTable {
	l := b.lang
	t := statsTable{Slug: "chi-tieu", Title: T(l, "stats.t.indicators"), Empty: T(l, "stats.ind.none"),
		Cols: []statsCol{{Label: T(l, "stats.ind.name")}, {Label: T(l, "stats.ind.target")}, {Label: T(l, "stats.ind.value")},
			{Label: T(l, "stats.ind.num"), ExportOnly: true}, {Label: T(l, "stats.ind.den"), ExportOnly: true}, {Label: T(l, "stats.ind.status")}}}
	for _, ind := range b.f.Indicators {
		name := ind.NameVI
		if l == "en" && ind.NameEN != "" {
			name = ind.NameEN
		}
		target := decimal(ind.Target, l)
		if ind.Unit == program.UnitPercent {
			target += " %"
		}
		value, status := text(T(l, "stats.na")), T(l, "stats.ind.unknown")
		numc, denc := text(""), text("")
		if ind.Known {
			href := b.indicatorHref(ind.Measure)
			if ind.Unit == program.UnitPercent {
				value = statsCell{Text: T(l, "stats.ind.pctof", statsPct(ind.Value, l), ind.Value.Num, ind.Value.Den), Href: href}
				numc, denc = num(ind.Value.Num, ""), num(ind.Value.Den, "")
			} else {
				value = num(ind.Value.Num, href)
				numc = num(ind.Value.Num, "")
			}
			status = T(l, "stats.ind.notmet")
			if ind.Met {
				status = T(l, "stats.ind.met")
			}
		}
		t.Rows = append(t.Rows, []statsCell{text(name), text(target), value, numc, denc, text(status)})
	}
	t.Notes = []string{T(l, "stats.ind.unknownh")}
	return t
}

// indicatorHref is where an indicator's value leads: the list of the rows
// it counts, or the section of the page that breaks it down.
func (b *statsBuild) indicatorHref(measure string) string {
	from, to := b.p.From, b.p.LastDay()
	kinds := map[string]string{"communication_sessions": program.KindCommunication, "themed_meetings": program.KindThemedMeeting,
		"special_sessions": program.KindSpecial, "trainings": program.KindTraining}
	if k, ok := kinds[measure]; ok {
		return b.activityHref(from, to, "kind", k)
	}
	switch measure {
	case "participants":
		return b.activityHref(from, to)
	case "schools_with_activity_pct", "coverage_pct", "pupils_reached":
		return "#truong"
	case "shop_inspections", "shop_violations_handled_pct":
		return b.inspectionHref(false)
	case "shop_violations_handled":
		return b.inspectionHref(true)
	case "cases_received":
		if h := b.caseHref(from, to, ""); h != "" {
			return h
		}
		return "#ho-so"
	case "victims_supported_pct", "violations_handled_pct", "cases_handled_pct", "cases_in_time_pct":
		return "#ho-so"
	case "devices_protected", "blocked_queries":
		return "#dns"
	}
	return ""
}

// monthRow is one month (or quarter) of the trends: its label, its days,
// and the three series.
type monthRow struct {
	Label    string
	From, To time.Time
	Acts     int64
	Cases    int64
	Blocked  int64
}

// months are the period's months with the three series from ByMonth.
func (b *statsBuild) months() []monthRow {
	counts := func(ms []program.MonthCount) map[string]int64 {
		m := map[string]int64{}
		for _, x := range ms {
			m[x.Month] += x.Count
		}
		return m
	}
	acts, cs, dns := counts(b.f.Activities.ByMonth), counts(b.f.Cases.ByMonth), counts(b.f.DNS.ByMonth)
	var out []monthRow
	from := b.p.From.In(b.loc)
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, b.loc); m.Before(b.p.To); m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		f, t := b.clip(m, m.AddDate(0, 1, -1))
		out = append(out, monthRow{Label: m.Format("01/2006"), From: f, To: t, Acts: acts[k], Cases: cs[k], Blocked: dns[k]})
	}
	return out
}

// quarters sums the months by calendar quarter.
func (b *statsBuild) quarters(months []monthRow) []monthRow {
	var out []monthRow
	for _, m := range months {
		q := (int(m.From.In(b.loc).Month())-1)/3 + 1
		label := T(b.lang, "stats.quarter.n", q, m.From.In(b.loc).Year())
		if n := len(out); n > 0 && out[n-1].Label == label {
			o := &out[n-1]
			o.To, o.Acts, o.Cases, o.Blocked = m.To, o.Acts+m.Acts, o.Cases+m.Cases, o.Blocked+m.Blocked
			continue
		}
		m.Label = label
		out = append(out, m)
	}
	return out
}

// trend is a table of months or quarters: activities, cases, DNS blocks.
func (b *statsBuild) trend(slug, titleKey, firstKey string, rows []monthRow) statsTable {
	l := b.lang
	t := statsTable{Slug: slug, Title: T(l, titleKey), Compact: true, Cols: []statsCol{{Label: T(l, firstKey)}, {Label: T(l, "stats.col.activities")},
		{Label: T(l, "stats.col.cases")}, {Label: T(l, "stats.col.blocked")}}}
	na := text(T(l, "stats.na"))
	var ta, tc, td int64
	for _, r := range rows {
		row := []statsCell{text(r.Label), na, na, na}
		if !b.missing(program.SourceActivities) {
			row[1] = num(r.Acts, b.activityHref(r.From, r.To))
		}
		if !b.missing(program.SourceCases) {
			row[2] = num(r.Cases, b.caseHref(r.From, r.To, ""))
		}
		if !b.missing(program.SourceDNS) {
			row[3] = num(r.Blocked, "")
		}
		ta, tc, td = ta+r.Acts, tc+r.Cases, td+r.Blocked
		t.Rows = append(t.Rows, row)
	}
	t.Foot = []statsCell{text(T(l, "stats.total")), na, na, na}
	from, to := b.p.From, b.p.LastDay()
	if !b.missing(program.SourceActivities) {
		t.Foot[1] = num(ta, b.activityHref(from, to))
	}
	if !b.missing(program.SourceCases) {
		t.Foot[2] = num(tc, b.caseHref(from, to, ""))
	}
	if !b.missing(program.SourceDNS) {
		t.Foot[3] = num(td, "")
	}
	return t
}

// statsPct is percent with a no-break space before "%", so that a narrow
// column never splits "75,0 %".
func statsPct(r program.Ratio, lang string) string {
	return strings.ReplaceAll(percent(r, lang), " %", "\u00a0%")
}

// share is n out of total as a percent text.
func share(n, total int64, lang string) string {
	return statsPct(program.Ratio{Num: n, Den: total}, lang)
}

// categories is table (c): cases received by category.
func (b *statsBuild) categories() statsTable {
	l := b.lang
	t := statsTable{Slug: "ho-so-theo-loai", Compact: true, Title: T(l, "stats.t.categories"),
		Cols: []statsCol{{Label: T(l, "stats.case.category")}, {Label: T(l, "stats.case.received")}, {Label: T(l, "stats.case.share")}}}
	if b.missing(program.SourceCases) {
		t.Missing = program.SourceCases
		return t
	}
	c := b.f.Cases
	from, to := b.p.From, b.p.LastDay()
	order := cases.Categories()
	for _, k := range slices.Sorted(maps.Keys(c.ByCategory)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		n := int64(c.ByCategory[k])
		t.Rows = append(t.Rows, []statsCell{text(T(l, "report.cat."+k)), num(n, b.caseHref(from, to, k)), text(share(n, int64(c.Received), l))})
	}
	t.Foot = []statsCell{text(T(l, "stats.total")), num(int64(c.Received), b.caseHref(from, to, "")), text("")}
	t.Notes = []string{T(l, "stats.case.more", c.Urgent, c.Handled, c.Referred, c.Closed, c.OpenAtEnd)}
	return t
}

// deadlines is table (c): Decree 56 deadlines met, missed and open.
func (b *statsBuild) deadlines() statsTable {
	l := b.lang
	t := statsTable{Slug: "thoi-han", Compact: true, Title: T(l, "stats.t.deadlines"), Empty: T(l, "stats.dl.none"),
		Cols: []statsCol{{Label: T(l, "stats.dl.kind")}, {Label: T(l, "stats.dl.met")}, {Label: T(l, "stats.dl.missed")}, {Label: T(l, "stats.dl.open")}}}
	if b.missing(program.SourceCases) {
		t.Missing = program.SourceCases
		return t
	}
	order := []string{string(cases.DeadlineAssignment), string(cases.DeadlineEmergency), string(cases.DeadlinePlan), string(cases.DeadlineApproval)}
	for _, k := range slices.Sorted(maps.Keys(b.f.Cases.Deadlines)) {
		if !slices.Contains(order, k) {
			order = append(order, k)
		}
	}
	for _, k := range order {
		d, ok := b.f.Cases.Deadlines[k]
		if !ok {
			continue
		}
		t.Rows = append(t.Rows, []statsCell{text(T(l, "case.deadline."+k)), num(int64(d.Met), ""), num(int64(d.Missed), ""), num(int64(d.Open), "")})
	}
	in := b.f.Cases.InTime
	intime := T(l, "stats.na")
	if in.Known() {
		intime = T(l, "stats.ind.pctof", statsPct(in, l), in.Num, in.Den)
	}
	t.Notes = []string{T(l, "stats.dl.intime", intime), T(l, "stats.dl.hint")}
	return t
}

// dns is table (d): blocked look-ups by category.
func (b *statsBuild) dns() statsTable {
	l := b.lang
	t := statsTable{Slug: "chan-dns", Compact: true, Title: T(l, "stats.t.dns"), Empty: T(l, "stats.dns.none"),
		Cols: []statsCol{{Label: T(l, "stats.dns.category")}, {Label: T(l, "stats.dns.blocked")}, {Label: T(l, "stats.case.share")}}}
	if b.missing(program.SourceDNS) {
		t.Missing = program.SourceDNS
		return t
	}
	d := b.f.DNS
	keys := slices.SortedFunc(maps.Keys(d.BlockedByCategory), func(x, y string) int {
		if c := d.BlockedByCategory[y] - d.BlockedByCategory[x]; c != 0 {
			return int(max(-1, min(1, c)))
		}
		return strings.Compare(x, y)
	})
	for _, k := range keys {
		n := d.BlockedByCategory[k]
		t.Rows = append(t.Rows, []statsCell{text(b.dnsName(k)), num(n, ""), text(share(n, d.Blocked, l))})
	}
	if len(t.Rows) > 0 {
		t.Foot = []statsCell{text(T(l, "stats.total")), num(d.Blocked, ""), text("")}
	}
	t.Notes = []string{T(l, "stats.dns.devices") + ": " + formatCount(int64(d.DevicesProtected)),
		T(l, "stats.dns.profiles") + ": " + formatCount(int64(d.Profiles)), T(l, "stats.dns.agg")}
	return t
}

// kinds is table (e): activities by kind.
func (b *statsBuild) kinds() statsTable {
	l := b.lang
	t := statsTable{Slug: "hoat-dong-theo-loai", Compact: true, Title: T(l, "stats.t.kinds"),
		Cols: []statsCol{{Label: T(l, "stats.act.kind")}, {Label: T(l, "stats.act.count")}}}
	if b.missing(program.SourceActivities) {
		t.Missing = program.SourceActivities
		return t
	}
	from, to := b.p.From, b.p.LastDay()
	for _, k := range program.ActivityKinds() {
		t.Rows = append(t.Rows, []statsCell{text(T(l, "activity.kind."+k)), num(int64(b.f.Activities.ByKind[k]), b.activityHref(from, to, "kind", k))})
	}
	t.Foot = []statsCell{text(T(l, "stats.total")), num(int64(b.f.Activities.Total), b.activityHref(from, to))}
	return t
}

// groups is table (e): participations by group.
func (b *statsBuild) groups() statsTable {
	l := b.lang
	t := statsTable{Slug: "nguoi-tham-gia", Compact: true, Title: T(l, "stats.t.groups"),
		Cols: []statsCol{{Label: T(l, "stats.act.group")}, {Label: T(l, "stats.act.part")}}}
	if b.missing(program.SourceActivities) {
		t.Missing = program.SourceActivities
		return t
	}
	from, to := b.p.From, b.p.LastDay()
	var total int64
	for _, g := range program.ParticipantGroups() {
		n := int64(b.f.Activities.Participants[g])
		total += n
		t.Rows = append(t.Rows, []statsCell{text(T(l, "activity.group."+g)), num(n, b.activityHref(from, to, "group", g))})
	}
	t.Foot = []statsCell{text(T(l, "stats.total")), num(total, "")}
	t.Notes = []string{T(l, "stats.act.part.h")}
	return t
}

// levelCell is a school's level: reached/enrolled (percent), "no
// enrolment", or "–" when the school has neither.
func (b *statsBuild) levelCell(reached, enrolled int, hasEnrol bool) statsCell {
	l := b.lang
	switch {
	case hasEnrol:
		return text(T(l, "stats.school.cell", reached, enrolled, statsPct(program.Ratio{Num: int64(reached), Den: int64(enrolled)}, l)))
	case reached > 0:
		return text(T(l, "stats.school.noenrol.n", reached))
	}
	return text("–")
}

// schools is table (e): coverage per school and level.
func (b *statsBuild) schools() statsTable {
	l := b.lang
	levels := []string{program.LevelPrimary, program.LevelLowerSecondary}
	t := statsTable{Slug: "truong", Title: T(l, "stats.t.schools"), Empty: T(l, "stats.school.none"),
		Cols: []statsCol{{Label: T(l, "stats.school")}, {Label: T(l, "stats.school.acts")}}}
	for _, lv := range levels {
		name := T(l, "activity.level."+lv)
		t.Cols = append(t.Cols, statsCol{Label: name}, statsCol{Label: T(l, "stats.school.reached", name), ExportOnly: true},
			statsCol{Label: T(l, "stats.school.enrolled", name), ExportOnly: true})
	}
	t.Cols = append(t.Cols, statsCol{Label: T(l, "stats.school.all")})
	if b.missing(program.SourceCoverage) {
		t.Missing = program.SourceCoverage
		return t
	}
	c := b.f.Coverage
	from, to := b.p.From, b.p.LastDay()
	for _, sc := range c.BySchool {
		row := []statsCell{text(sc.Name), num(int64(sc.Activities), b.activityHref(from, to, "school", strconv.FormatInt(sc.SchoolID, 10)))}
		var reached, enrolled int
		for _, lv := range levels {
			e, ok := sc.Enrolled[lv]
			r := sc.Reached[lv]
			row = append(row, b.levelCell(r, e, ok), num(int64(r), ""))
			if ok {
				row = append(row, num(int64(e), ""))
				reached, enrolled = reached+r, enrolled+e
			} else {
				row = append(row, text(T(l, "stats.school.noenrol")))
			}
		}
		if len(sc.Enrolled) == 0 {
			row = append(row, text(T(l, "stats.school.noenrol")))
		} else {
			row = append(row, text(T(l, "stats.school.cell", reached, enrolled, statsPct(program.Ratio{Num: int64(reached), Den: int64(enrolled)}, l))))
		}
		t.Rows = append(t.Rows, row)
		for _, lv := range sc.Capped {
			t.Notes = append(t.Notes, T(l, "stats.school.capped", sc.Name+" ("+T(l, "activity.level."+lv)+")"))
		}
	}
	foot := []statsCell{text(T(l, "stats.school.ward")), text("")}
	for _, lv := range levels {
		r, ok := c.ByLevel[lv]
		if ok && r.Known() {
			foot = append(foot, text(T(l, "stats.school.cell", r.Num, r.Den, statsPct(r, l))), num(r.Num, ""), num(r.Den, ""))
		} else {
			foot = append(foot, text("–"), text(""), text(""))
		}
	}
	if c.Pupils.Known() {
		foot = append(foot, text(T(l, "stats.school.cell", c.Pupils.Num, c.Pupils.Den, statsPct(c.Pupils, l))))
	} else {
		foot = append(foot, text(T(l, "stats.school.noenrol")))
	}
	t.Foot = foot
	t.Notes = append(t.Notes, T(l, "stats.act.pupils", formatCount(c.Pupils.Num+int64(c.ReachedNoEnrolment)), c.Pupils.Num, c.Pupils.Den, statsPct(c.Pupils, l)))
	if c.SchoolsNoEnrolment > 0 {
		t.Notes = append(t.Notes, T(l, "stats.act.noenrol", c.SchoolsNoEnrolment, c.ReachedNoEnrolment))
	}
	return t
}

// shops is table (f): the shops' figures.
func (b *statsBuild) shops() statsTable {
	l := b.lang
	t := statsTable{Slug: "co-so", Compact: true, Title: T(l, "stats.t.shops"), Cols: []statsCol{{Label: T(l, "stats.shop.what")}, {Label: T(l, "stats.shop.value")}}}
	if b.missing(program.SourceShops) {
		t.Missing = program.SourceShops
		return t
	}
	s := b.f.Shops
	add := func(key string, n int64, href string) {
		t.Rows = append(t.Rows, []statsCell{text(T(l, key)), num(n, href)})
	}
	add("stats.shop.registered", int64(s.Registered), "/can-bo/co-so")
	add("stats.shop.inspections", int64(s.Inspections), b.inspectionHref(false))
	add("stats.shop.inspected", int64(s.ShopsInspected), b.inspectionHref(false))
	add("stats.shop.violations", int64(s.Violations), b.inspectionHref(false))
	add("stats.shop.handled", int64(s.Handled), b.inspectionHref(true))
	add("stats.shop.repeat", int64(s.RepeatOffenders), "/can-bo/co-so")
	add("stats.shop.fines", s.FinesVND, b.inspectionHref(true))
	return t
}

// statsTables are every table of the page, in its order.
func (b *statsBuild) tables() []statsTable {
	months := b.months()
	return []statsTable{b.indicators(), b.trend("theo-thang", "stats.t.months", "stats.month", months),
		b.trend("theo-quy", "stats.t.quarters", "stats.quarter", b.quarters(months)), b.categories(), b.deadlines(),
		b.dns(), b.kinds(), b.groups(), b.schools(), b.shops()}
}
