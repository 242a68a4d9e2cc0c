package family

import (
	"strings"
	"testing"
	"time"

	"manglanh/internal/alert"
)

func TestParseWeek(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	for _, tc := range []struct {
		in   string
		want string // Monday, "" for an error
	}{
		{"2026-W49", "2026-11-30"},
		{"2026-W01", "2025-12-29"},
		{"2020-W53", "2020-12-28"},
		{"2026-W53", "2026-12-28"}, // 2026 starts on a Thursday: 53 weeks
		{"2025-W53", ""},           // 2025 has 52
		{"2026-W00", ""},
		{"2026-W1", ""},
		{"26-W10", ""},
		{"<script>", ""},
		{"", ""},
		{"2026-w10", ""},
	} {
		got, err := ParseWeek(tc.in, loc)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%q: accepted as %v", tc.in, got)
		case tc.want != "" && (err != nil || got.Format(time.DateOnly) != tc.want || got.Weekday() != time.Monday):
			t.Errorf("%q: %v %v, want %s", tc.in, got, err, tc.want)
		case tc.want != "" && WeekOf(got) != tc.in:
			t.Errorf("%q: WeekOf round trip %s", tc.in, WeekOf(got))
		}
	}
}

func TestSummariseAndAdvice(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	start, _ := ParseWeek("2026-W49", loc)
	var usage [7][]Usage
	for i := range usage {
		usage[i] = []Usage{{Key: "roblox", Minutes: 90}, {Key: "group:games", Minutes: 90}, {Key: "youtube", Minutes: 10 * i}}
	}
	blocked := []BlockedHour{
		{Hour: start.Add(10 * time.Hour).UTC(), Category: "gambling", Queries: 4},
		{Hour: start.AddDate(0, 0, 6).Add(23 * time.Hour).UTC(), Category: "adult", Queries: 1}, // Sunday 23:00 local
		{Hour: start.AddDate(0, 0, 7).UTC(), Category: "gambling", Queries: 99},                 // next week: ignored
	}
	sum := &Summary{Start: start, Alerts: []alert.Alert{{Rule: alert.RuleBedtime}}}
	summarise(sum, usage, blocked, loc)
	if sum.Days[0].Date != "2026-11-30" || sum.Days[6].Date != "2026-12-06" {
		t.Fatalf("days %s..%s", sum.Days[0].Date, sum.Days[6].Date)
	}
	if sum.Days[6].Blocked != 1 || sum.Days[0].Blocked != 4 || sum.BlockedTotal != 5 {
		t.Fatalf("blocked per day: %+v total %d", sum.Days, sum.BlockedTotal)
	}
	if sum.Keys[0] != "roblox" || sum.Keys[1] != "youtube" || sum.Keys[2] != "group:games" {
		t.Fatalf("keys: services by minutes, then totals: %v", sum.Keys)
	}
	if got := sum.Days[3].ServiceMinutes(); got != 120 {
		t.Fatalf("service minutes of Thursday: %d (group totals must not be added twice)", got)
	}
	var keys []string
	for _, a := range sum.Advice {
		keys = append(keys, a.Key)
	}
	if got := strings.Join(keys, ","); got != "gambling,adult,bedtime,games" {
		t.Fatalf("advice %s, want gambling (4 blocks), adult, bedtime (an alert) and games (90 min a day)", got)
	}
}
