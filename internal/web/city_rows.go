package web

import (
	"fmt"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// figuresRow is one line of the roll-up table (a ward, or the city
// total), in words ready for the page.
type figuresRow struct {
	Name, Code string
	Source     string
	NoData     bool
	Activities int
	Kinds      string // "12 truyền thông, 21 sinh hoạt chuyên đề"
	Pupils     string // "30/100 (30 %)"
	Cases      int
	InTime     string
	Shops      string
	Devices    int
}

// pct is a percentage with one decimal, a comma in Vietnamese.
func pct(lang string, r program.Ratio) string {
	s := strconv.FormatFloat(r.Percent(), 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s + " %"
}

func ratioText(lang string, r program.Ratio) string {
	if !r.Known() {
		return T(lang, "city.ratio.unknown")
	}
	return T(lang, "city.ratio", r.Num, r.Den, pct(lang, r))
}

// figuresRowOf puts f in words; a nil f is a ward with no figures.
func figuresRowOf(lang string, name, code, source string, f *program.Figures) figuresRow {
	row := figuresRow{Name: name, Code: code, Source: source}
	if f == nil {
		row.NoData = true
		return row
	}
	row.Activities = f.Activities.Total
	var kinds []string
	for _, k := range program.ActivityKinds() {
		if n := f.Activities.ByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, T(lang, "city.kind."+k)))
		}
	}
	row.Kinds = strings.Join(kinds, ", ")
	if row.Kinds == "" {
		row.Kinds = T(lang, "city.none")
	}
	row.Pupils = ratioText(lang, f.Coverage.Pupils)
	row.Cases = f.Cases.Received
	row.InTime = ratioText(lang, f.Cases.InTime)
	row.Shops = ratioText(lang, program.Ratio{Num: int64(f.Shops.Handled), Den: int64(f.Shops.Violations)})
	row.Devices = f.DNS.DevicesProtected
	return row
}

// figuresCells is the export header and one row per ward and the total:
// every figure in its own numeric column.
func figuresHeader(lang string) []xlsxCell {
	h := []string{T(lang, "city.ward.code"), T(lang, "city.col.ward"), T(lang, "city.col.source"), T(lang, "city.col.activities")}
	for _, k := range program.ActivityKinds() {
		h = append(h, T(lang, "city.kind."+k))
	}
	h = append(h, "reached", "enrolled", "%", T(lang, "city.col.cases"), "in_time", "in_time_of",
		"violations_handled", "violations", T(lang, "city.col.devices"))
	out := make([]xlsxCell, len(h))
	for i, s := range h {
		out[i] = textCell(s)
	}
	return out
}

func figuresCells(code, name, source string, f *program.Figures) []xlsxCell {
	row := []xlsxCell{textCell(safeCell(code)), textCell(safeCell(name)), textCell(safeCell(source))}
	if f == nil {
		return row
	}
	row = append(row, numCell(float64(f.Activities.Total)))
	for _, k := range program.ActivityKinds() {
		row = append(row, numCell(float64(f.Activities.ByKind[k])))
	}
	p := f.Coverage.Pupils
	percent := textCell("")
	if p.Known() {
		percent = numCell(float64(int(p.Percent()*10+0.5)) / 10)
	}
	return append(row, numCell(float64(p.Num)), numCell(float64(p.Den)), percent,
		numCell(float64(f.Cases.Received)), numCell(float64(f.Cases.InTime.Num)), numCell(float64(f.Cases.InTime.Den)),
		numCell(float64(f.Shops.Handled)), numCell(float64(f.Shops.Violations)), numCell(float64(f.DNS.DevicesProtected)))
}
