package web

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// svgWellFormed parses the chart as XML, so a broken tag or an unescaped
// name fails the test.
func svgWellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestWeeklyChartZeroAndFullWeek(t *testing.T) {
	days := []string{"T2", "T3", "T4", "T5", "T6", "T7", "CN"}
	empty := chartData{Title: "Thời gian", Desc: "Không có", Series: nil, Unit: "phút", Empty: "Chưa có phút nào"}
	for _, d := range days {
		empty.Bars = append(empty.Bars, chartBar{Label: d})
	}
	svg := string(weeklyChart(empty))
	svgWellFormed(t, svg)
	if strings.Contains(svg, "<rect x=") && strings.Count(svg, "<rect") > 0 {
		t.Fatalf("an empty week draws no bars:\n%s", svg)
	}
	if !strings.Contains(svg, "Chưa có phút nào") || strings.Count(svg, ">0</text>") != 7 {
		t.Fatalf("an empty week says so and shows 0 under each day:\n%s", svg)
	}

	full := chartData{Title: "Thời gian", Desc: "d", Series: []string{"TikTok", `Liên Quân <script>&"`}, Unit: "phút"}
	for i, d := range days {
		full.Bars = append(full.Bars, chartBar{Label: d, Minutes: []int{10 * (i + 1), 60}})
	}
	svg = string(weeklyChart(full))
	svgWellFormed(t, svg)
	if strings.Contains(svg, "<script>") {
		t.Fatal("a series name was not escaped")
	}
	if got := strings.Count(svg, "<rect x="); got != 14+2 {
		t.Fatalf("want 14 bar segments and 2 legend keys, got %d rects", got)
	}
	// The tallest bar (Sunday, 130 min) fills the plot: 158 px high from y=22.
	if !strings.Contains(svg, ">130</text>") || !strings.Contains(svg, `y="22.0"`) {
		t.Fatalf("the largest day should reach the top of the plot:\n%s", svg)
	}
	if !strings.Contains(svg, `aria-labelledby="chart-title chart-desc"`) {
		t.Fatal("the chart needs a title and description for screen readers")
	}
}
