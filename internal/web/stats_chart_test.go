package web

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestStatsBars: every value is in the description; few bars print their
// values, many bars print neither values nor overlapping labels, and no
// label leaves the frame; text is escaped.
func TestStatsBars(t *testing.T) {
	label := regexp.MustCompile(`<text x="([0-9.]+)" y="143\.0" font-size="10" text-anchor="middle" fill="#333">`)
	for _, n := range []int{1, 4, 12, 60} {
		labels, values := make([]string, n), make([]int64, n)
		for i := range n {
			labels[i], values[i] = strconv.Itoa(i+1)+"/25", int64(i*1000)
		}
		labels[0] = "<b>"
		svg := string(statsBars("c", "Hoạt động & hồ sơ", "cao nhất", labels, values, "#2e6da4"))
		if strings.Contains(svg, "<b>") || !strings.Contains(svg, "&lt;b&gt;") || !strings.Contains(svg, "Hoạt động &amp; hồ sơ") {
			t.Fatalf("%d bars: text not escaped", n)
		}
		if last := html.EscapeString(labels[n-1]) + ": " + formatCount(values[n-1]); !strings.Contains(svg, last) {
			t.Errorf("%d bars: description lacks %q", n, last)
		}
		xs := label.FindAllStringSubmatch(svg, -1)
		prev := -100.0
		for _, m := range xs {
			x, _ := strconv.ParseFloat(m[1], 64)
			if x < 19 || x > 301 || x-prev < 30 {
				t.Errorf("%d bars: a label at %g (previous %g) leaves the frame or overlaps", n, x, prev)
			}
			prev = x
		}
		if n == 60 && (len(xs) > 12 || strings.Contains(svg, `fill="#1a1a1a">`) || !strings.Contains(svg, "cao nhất 59.000")) {
			t.Errorf("60 bars: %d labels, values printed or no highest value", len(xs))
		}
		if n == 4 && (len(xs) != 4 || strings.Count(svg, `fill="#1a1a1a">`) != 4) {
			t.Errorf("4 bars: %d labels, want every label and value", len(xs))
		}
	}
	if statsBars("c", "x", "max", nil, nil, "#000") != "" || statsBars("c", "x", "max", []string{"a"}, []int64{1, 2}, "#000") != "" {
		t.Error("a chart without data or with mismatched labels")
	}
}
