package cases

import (
	"strings"
	"testing"
	"time"
)

var hcm = DefaultLocation()

func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, hcm) }

func endOf(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, hcm) }

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	cal := NewCalendar(hcm, DefaultHolidays())
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"friday evening, 5 days: next friday", at(2026, 3, 6, 19, 30), 5, endOf(2026, 3, 13)},
		{"saturday, 5 days: the friday after", at(2026, 3, 7, 9, 0), 5, endOf(2026, 3, 13)},
		{"monday morning, 1 day: tuesday", at(2026, 3, 9, 0, 1), 1, endOf(2026, 3, 10)},
		{"zero: end of the same day", at(2026, 3, 9, 8, 0), 0, endOf(2026, 3, 9)},
		{"across Tết 2026 (14/2–22/2)", at(2026, 2, 12, 10, 0), 5, endOf(2026, 2, 26)},
		{"inside Tết 2026", at(2026, 2, 17, 10, 0), 2, endOf(2026, 2, 24)},
		{"across Tết 2025 (25/1–2/2)", at(2025, 1, 24, 16, 0), 2, endOf(2025, 2, 4)},
		{"across 30/4–1/5/2026", at(2026, 4, 29, 15, 0), 2, endOf(2026, 5, 5)},
		{"Giỗ Tổ 2026 on Sunday, compensated Monday 27/4", at(2026, 4, 24, 15, 0), 1, endOf(2026, 4, 28)},
		{"New Year 2026 swap (1–2/1)", at(2025, 12, 31, 15, 0), 1, endOf(2026, 1, 5)},
		{"Quốc khánh 2025 (1–2/9)", at(2025, 8, 29, 15, 0), 1, endOf(2025, 9, 3)},
		{"late evening UTC is next day in Hanoi", time.Date(2026, 3, 6, 18, 0, 0, 0, time.UTC), 1, endOf(2026, 3, 9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.AddWorkingDays(tt.from, tt.n)
			if !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestCalendarMakeUpDayAndOverride(t *testing.T) {
	t.Parallel()
	sat := time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)
	mon := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	cal := NewCalendar(hcm, []Holiday{
		{Date: sat, NameVi: "Làm bù", WorkingDay: true},
		{Date: mon, NameVi: "Nghỉ"},
		{Date: mon, NameVi: "Đi làm lại", WorkingDay: true}, // a later entry wins
	})
	if !cal.IsWorkingDay(at(2026, 3, 7, 10, 0)) {
		t.Error("make-up Saturday should be a working day")
	}
	if !cal.IsWorkingDay(at(2026, 3, 9, 10, 0)) {
		t.Error("the later entry for 9/3 should win")
	}
	if cal.IsWorkingDay(at(2026, 3, 8, 10, 0)) {
		t.Error("Sunday is not a working day")
	}
	if got, want := cal.AddWorkingDays(at(2026, 3, 6, 18, 0), 1), endOf(2026, 3, 7); !got.Equal(want) {
		t.Errorf("Friday + 1 with a make-up Saturday = %s, want %s", got, want)
	}
}

func TestDefaultHolidays(t *testing.T) {
	t.Parallel()
	hs := DefaultHolidays()
	seen := map[civilDate]bool{}
	for _, h := range hs {
		k := dateOf(h.Date)
		if seen[k] {
			t.Errorf("duplicate date %v", k)
		}
		seen[k] = true
		if h.NameVi == "" || h.NameEn == "" {
			t.Errorf("%v: missing a name", k)
		}
		if !h.Confirmed && h.Note == "" {
			t.Errorf("%v: unconfirmed without a note", k)
		}
		if y := h.Date.Year(); y < 2025 || y > 2027 {
			t.Errorf("%v: outside 2025–2027", k)
		}
	}
	cal := NewCalendar(hcm, hs)
	off := []time.Time{at(2025, 1, 1, 9, 0), at(2025, 1, 29, 9, 0), at(2025, 4, 7, 9, 0), at(2025, 9, 1, 9, 0),
		at(2026, 1, 2, 9, 0), at(2026, 2, 17, 9, 0), at(2026, 4, 27, 9, 0), at(2026, 4, 30, 9, 0), at(2026, 5, 1, 9, 0),
		at(2026, 9, 2, 9, 0), at(2027, 4, 16, 9, 0), at(2027, 5, 3, 9, 0)}
	for _, d := range off {
		if cal.IsWorkingDay(d) {
			t.Errorf("%s should be a holiday", d.Format("02/01/2006"))
		}
	}
	on := []time.Time{at(2026, 2, 13, 9, 0), at(2026, 2, 23, 9, 0), at(2026, 4, 28, 9, 0), at(2027, 4, 15, 9, 0)}
	for _, d := range on {
		if !cal.IsWorkingDay(d) {
			t.Errorf("%s should be a working day", d.Format("02/01/2006"))
		}
	}
	for _, h := range hs {
		if h.Date.Year() == 2027 && h.Date.Month() == 2 && h.Confirmed {
			t.Errorf("Tết 2027 (%v) cannot be confirmed yet", dateOf(h.Date))
		}
	}
}

func TestParseHolidays(t *testing.T) {
	t.Parallel()
	csvIn := "\ufeffdate,name_vi,name_en\n# comment\n2026-02-17,Tết Nguyên đán,Lunar New Year\n" +
		"2026-03-07,\"Làm bù, thứ Bảy\",Make-up day,work,false,to be confirmed\n"
	yamlIn := `holidays:
  - date: 2026-02-17
    name_vi: Tết Nguyên đán
    name_en: Lunar New Year
  - date: "2026-03-07"
    name_vi: Làm bù
    name_en: Make-up day
    kind: work
    confirmed: false
    note: to be confirmed
`
	yamlList := "- {date: 2026-02-17, name_vi: Tết, name_en: Tet}\n- {date: 2026-03-07, name_vi: Bù, kind: work, confirmed: false}\n"
	for name, in := range map[string]string{"csv": csvIn, "yaml": yamlIn, "yaml list": yamlList} {
		t.Run(name, func(t *testing.T) {
			hs, err := ParseHolidays(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if len(hs) != 2 {
				t.Fatalf("got %d holidays, want 2: %+v", len(hs), hs)
			}
			if !hs[0].Date.Equal(time.Date(2026, 2, 17, 0, 0, 0, 0, time.UTC)) || !hs[0].Confirmed || hs[0].WorkingDay {
				t.Errorf("first = %+v", hs[0])
			}
			if !hs[1].WorkingDay || hs[1].Confirmed {
				t.Errorf("second = %+v", hs[1])
			}
		})
	}
	bad := map[string]string{
		"bad date":       "2026-13-01,Sai,Wrong\n",
		"short row":      "2026-01-01,Tết\n",
		"long row":       "2026-01-01,a,b,off,true,n,extra\n",
		"bad kind":       "2026-01-01,a,b,maybe\n",
		"bad confirmed":  "2026-01-01,a,b,off,perhaps\n",
		"empty name":     "2026-01-01,,b\n",
		"invalid utf8":   "2026-01-01,T\xffết,b\n",
		"control char":   "2026-01-01,a\x07,b\n",
		"year range":     "1999-01-01,a,b\n",
		"bad yaml":       "- date: [\n",
		"yaml bad field": "- {date: 2026-01-01, name_vi: a, kind: nope}\n",
	}
	for name, in := range bad {
		t.Run(name, func(t *testing.T) {
			if hs, err := ParseHolidays(strings.NewReader(in)); err == nil {
				t.Errorf("accepted %q: %+v", in, hs)
			}
		})
	}
	if _, err := ParseHolidays(strings.NewReader(strings.Repeat("x", maxHolidayFile+1))); err == nil {
		t.Error("accepted an oversized file")
	}
}

func FuzzParseHolidays(f *testing.F) {
	f.Add("2026-02-17,Tết,Tet\n")
	f.Add("- {date: 2026-02-17, name_vi: Tết}\n")
	f.Add("date,name_vi,name_en\n2026-03-07,\"a,b\",c,work,false,n\n")
	f.Fuzz(func(t *testing.T, in string) {
		hs, err := ParseHolidays(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, h := range hs {
			if h.NameVi == "" || hasControl(h.NameVi, false) || hasControl(h.NameEn, false) {
				t.Fatalf("accepted a bad holiday %+v", h)
			}
		}
	})
}
