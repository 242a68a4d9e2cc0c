package web

import (
	"fmt"
	"html/template"
	"strings"
)

// weekBars draws a small bar chart (one bar a week) as inline SVG: readable
// without JavaScript or CSS, scaled to the page's width by its viewBox,
// with a title and a description for screen readers and each value
// printed above its bar. The table beside it on the page has the same
// numbers.
func weekBars(title string, labels []string, values []int64, colour string) template.HTML {
	const w, h, top, bottom, left = 320.0, 150.0, 18.0, 22.0, 4.0
	n := len(values)
	if n == 0 || len(labels) != n {
		return ""
	}
	var peak int64 = 1
	for _, v := range values {
		peak = max(peak, v)
	}
	slot := (w - 2*left) / float64(n)
	bar := slot * 0.7
	var b strings.Builder
	esc := template.HTMLEscapeString
	var desc []string
	for i, v := range values {
		desc = append(desc, fmt.Sprintf("%s: %d", labels[i], v))
	}
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" width="100%%" role="img" aria-labelledby="%[3]s-t %[3]s-d" xmlns="http://www.w3.org/2000/svg">`,
		w, h, chartID(title))
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, chartID(title), esc(title), chartID(title), esc(strings.Join(desc, "; ")))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#767676" stroke-width="1"/>`, left, h-bottom, w-left, h-bottom)
	for i, v := range values {
		x := left + float64(i)*slot + (slot-bar)/2
		bh := (h - top - bottom) * float64(v) / float64(peak)
		y := h - bottom - bh
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y, bar, bh, colour)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#1a1a1a">%d</text>`, x+bar/2, y-4, v)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#333">%s</text>`, x+bar/2, h-6, esc(labels[i]))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every text inside is escaped above
}

// chartID makes an id for the SVG's title from its text.
func chartID(title string) string {
	var b strings.Builder
	b.WriteString("c")
	for _, r := range title {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return fmt.Sprintf("%s%d", b.String(), len(title))
}
