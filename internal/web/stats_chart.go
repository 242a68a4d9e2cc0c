package web

import (
	"fmt"
	"html/template"
	"strings"
)

// statsBars draws a bar chart of a series (months or quarters) as inline
// SVG, in the style of weekBars (school_chart.go): no JavaScript, scaled
// to the width by its viewBox, a title and a description that reads every
// value for screen readers, and a table beneath it on the page. With many
// bars (a five-year programme has 60 months) only every k-th label and no
// value is printed, so nothing overlaps at 360 px; the description and the
// table still carry every number.
func statsBars(id, title, maxWord string, labels []string, values []int64, colour string) template.HTML {
	const w, h, top, bottom, left = 320.0, 150.0, 16.0, 22.0, 4.0
	n := len(values)
	if n == 0 || len(labels) != n {
		return ""
	}
	var top0 int64
	for _, v := range values {
		top0 = max(top0, v)
	}
	peak := max(top0, 1)
	slot := (w - 2*left) / float64(n)
	bar := slot * 0.7
	// At 10 px a five-character label is about 30 units wide: print one
	// label every `every` bars.
	every := 1
	for slot*float64(every) < 32 {
		every++
	}
	showValues := slot >= 20
	lastLabel := -100.0
	esc := template.HTMLEscapeString
	desc := make([]string, n)
	for i, v := range values {
		desc[i] = fmt.Sprintf("%s: %s", labels[i], formatCount(v))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-labelledby="%[3]s-t %[3]s-d" xmlns="http://www.w3.org/2000/svg">`, w, h, id)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(strings.Join(desc, "; ")))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#767676" stroke-width="1"/>`, left, h-bottom, w-left, h-bottom)
	if !showValues {
		fmt.Fprintf(&b, `<text x="%g" y="11" font-size="10" fill="#333">%s %s</text>`, left, esc(maxWord), esc(formatCount(top0)))
	}
	for i, v := range values {
		x := left + float64(i)*slot + (slot-bar)/2
		bh := (h - top - bottom) * float64(v) / float64(peak)
		y := h - bottom - bh
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`, x, y, bar, bh, colour, esc(desc[i]))
		if showValues {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#1a1a1a">%s</text>`, x+bar/2, y-3, esc(formatCount(v)))
		}
		// A label is kept inside the frame (the first or last centred
		// under a thin bar would be cut at the edge) and skipped when it
		// would then touch the one before.
		if lx := min(max(x+bar/2, left+15), w-left-15); i%every == 0 && lx-lastLabel >= 30 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#333">%s</text>`, lx, h-7, esc(labels[i]))
			lastLabel = lx
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text inside is escaped above
}
