package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// chartBar is one day of the weekly chart: its label and its minutes per
// series (the same order as chartData.Series).
type chartBar struct {
	Label   string
	Minutes []int
}

// chartData is what weeklyChart draws: one bar per day, stacked by series.
type chartData struct {
	Title, Desc string
	Series      []string // legend names, already in the page's language
	Bars        []chartBar
	Unit        string // "phút" / "min"
	Empty       string // said inside the chart when there is no minute at all
}

// chartColors are the series' fills: distinct at a glance, each with a
// contrast of at least 3:1 on white (WCAG 1.4.11 for graphics).
var chartColors = []string{"#1f6f8b", "#c2410c", "#5b21b6", "#15803d", "#6b7280"}

// weeklyChart draws the week as an inline SVG: bars per day with the total
// written above each bar and the day below, a legend, and a title and
// description for screen readers (the page also has the same numbers as a
// table). It needs no JavaScript and no style sheet: only presentation
// attributes, which the portal's Content-Security-Policy allows. Every text
// is escaped.
func weeklyChart(d chartData) template.HTML {
	const w, h, left, top, bottom = 340, 220, 8, 22, 40
	plotH := h - top - bottom
	maxTotal := 0
	for _, b := range d.Bars {
		maxTotal = max(maxTotal, sum(b.Minutes))
	}
	scale := 1.0
	if maxTotal > 0 {
		scale = float64(plotH) / float64(maxTotal)
	}
	legendH := 22 * ((len(d.Series) + 1) / 2)
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="chart-title chart-desc">`, w, h+legendH)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc>`, esc(d.Title), esc(d.Desc))
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444" stroke-width="1"/>`, left, top+plotH, w-left, top+plotH)
	n := max(len(d.Bars), 1)
	slot := (w - 2*left) / n
	barW := slot * 3 / 5
	for i, bar := range d.Bars {
		x := left + i*slot + (slot-barW)/2
		y := float64(top + plotH)
		for s, m := range bar.Minutes {
			if m <= 0 {
				continue
			}
			hgt := float64(m) * scale
			y -= hgt
			fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"><title>%s: %d %s</title></rect>`,
				x, y, barW, hgt, chartColors[s%len(chartColors)], esc(d.Series[s]), m, esc(d.Unit))
		}
		total := sum(bar.Minutes)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="14" text-anchor="middle" fill="#111">%d</text>`, x+barW/2, y-4, total)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" text-anchor="middle" fill="#111">%s</text>`, x+barW/2, top+plotH+18, esc(bar.Label))
	}
	if maxTotal == 0 && d.Empty != "" {
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="15" text-anchor="middle" fill="#333">%s</text>`, w/2, top+plotH/2, esc(d.Empty))
	}
	for i, s := range d.Series {
		x, y := left+(i%2)*(w/2), h+(i/2)*22
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="14" height="14" fill="%s"/><text x="%d" y="%d" font-size="14" fill="#111">%s</text>`,
			x, y, chartColors[i%len(chartColors)], x+18, y+12, esc(s))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
