package cases

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// DefaultHolidays returns the Vietnamese public holidays (Labour Code 2019,
// Art. 112) for 2025–2027 as they apply to civil servants, whose calendar a
// ward follows, including the days the Government swapped. Entries marked
// Confirmed: false are expectations the authors could not confirm from an
// official announcement: edit them with a holiday file (ParseHolidays)
// once the Government announces the year's arrangement. Weekend days
// inside a break are not listed: they are not working days anyway.
//
// Sources: Văn phòng Chính phủ 8726/VPCP-KGVX (26/11/2024) for Tết 2025,
// 25/1–2/2/2025, nine days of which five statutory; the Government's
// agreement of 25/12/2025 for New Year 2026, 1–4/1/2026; the announced Tết
// 2026 break, 14/2–22/2/2026; press reports of the 2026 calendar (Giỗ Tổ on
// Sunday 26/4/2026, compensated on Monday 27/4). Lunar dates converted from
// the Vietnamese lunar calendar.
func DefaultHolidays() []Holiday {
	const (
		newYearVi = "Tết Dương lịch"
		newYearEn = "New Year's Day"
		tetVi     = "Tết Nguyên đán"
		tetEn     = "Lunar New Year (Tết)"
		hungVi    = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
		hungEn    = "Hung Kings' Commemoration Day"
		reunifVi  = "Ngày Chiến thắng (30/4)"
		reunifEn  = "Reunification Day"
		labourVi  = "Ngày Quốc tế Lao động (1/5)"
		labourEn  = "International Labour Day"
		natVi     = "Quốc khánh (2/9)"
		natEn     = "National Day"
	)
	ok := func(t time.Time, vi, en, note string) Holiday {
		return Holiday{Date: t, NameVi: vi, NameEn: en, Confirmed: true, Note: note}
	}
	guess := func(t time.Time, vi, en, note string) Holiday {
		return Holiday{Date: t, NameVi: vi, NameEn: en, Confirmed: false, Note: note}
	}
	var hs []Holiday
	// 2025
	hs = append(hs, ok(day(2025, 1, 1), newYearVi, newYearEn, ""))
	for d := 27; d <= 31; d++ { // break 25/1–2/2/2025; Tết (mùng 1) is 29/1
		hs = append(hs, ok(day(2025, 1, d), tetVi, tetEn, "8726/VPCP-KGVX: nghỉ 25/1–2/2/2025"))
	}
	hs = append(hs,
		ok(day(2025, 4, 7), hungVi, hungEn, ""),
		ok(day(2025, 4, 30), reunifVi, reunifEn, ""),
		ok(day(2025, 5, 1), labourVi, labourEn, ""),
		guess(day(2025, 5, 2), "Nghỉ hoán đổi dịp 30/4–1/5", "Swapped day off (30/4–1/5)",
			"swap with Saturday 26/4/2025 as the authors recall; not confirmed from the text"),
		Holiday{Date: day(2025, 4, 26), NameVi: "Làm bù cho ngày 2/5", NameEn: "Make-up working day for 2/5",
			WorkingDay: true, Note: "pairs with the 2/5/2025 swap; not confirmed from the text"},
		ok(day(2025, 9, 1), natVi, natEn, "the adjacent day observed in 2025 (break 30/8–2/9)"),
		ok(day(2025, 9, 2), natVi, natEn, ""),
	)
	// 2026
	hs = append(hs,
		ok(day(2026, 1, 1), newYearVi, newYearEn, ""),
		ok(day(2026, 1, 2), "Nghỉ hoán đổi dịp Tết Dương lịch", "Swapped day off (New Year)",
			"Government agreed on 25/12/2025: nghỉ 1/1–4/1/2026; the make-up Saturday is not listed: add it from the announcement"),
	)
	for d := 16; d <= 20; d++ { // break 14/2–22/2/2026; Tết is 17/2
		hs = append(hs, ok(day(2026, 2, d), tetVi, tetEn, "nghỉ 14/2–22/2/2026"))
	}
	hs = append(hs,
		ok(day(2026, 4, 26), hungVi, hungEn, "Sunday"),
		ok(day(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương", "Hung Kings' Day (compensation)", "Labour Code Art. 111(3)"),
		ok(day(2026, 4, 30), reunifVi, reunifEn, ""),
		ok(day(2026, 5, 1), labourVi, labourEn, ""),
		ok(day(2026, 9, 2), natVi, natEn, ""),
		guess(day(2026, 9, 1), natVi, natEn, "adjacent day: 1/9 or 3/9, not confirmed"),
	)
	// 2027
	hs = append(hs, ok(day(2027, 1, 1), newYearVi, newYearEn, ""))
	for _, d := range []int{5, 8, 9, 10, 11} { // Tết (mùng 1) is Saturday 6/2/2027
		hs = append(hs, guess(day(2027, 2, d), tetVi, tetEn,
			"five statutory days around Tết 6/2/2027; the arrangement is announced late in 2026"))
	}
	hs = append(hs,
		ok(day(2027, 4, 16), hungVi, hungEn, "10/3 Đinh Mùi"),
		ok(day(2027, 4, 30), reunifVi, reunifEn, ""),
		ok(day(2027, 5, 1), labourVi, labourEn, "Saturday"),
		ok(day(2027, 5, 3), "Nghỉ bù 1/5", "Labour Day (compensation)", "Labour Code Art. 111(3)"),
		ok(day(2027, 9, 2), natVi, natEn, ""),
		guess(day(2027, 9, 3), natVi, natEn, "adjacent day: 1/9 or 3/9, not confirmed"),
	)
	return hs
}

// Limits on a holiday file: it is configuration, but still hostile input.
const (
	maxHolidayFile  = 1 << 20
	maxHolidays     = 2000
	maxHolidayField = 200
)

// ParseHolidays reads a holiday table, as YAML or CSV (the format is told
// from the content). CSV rows are
//
//	date,name_vi,name_en[,kind[,confirmed[,note]]]
//
// with date as YYYY-MM-DD, kind "off" (default) or "work" (a make-up
// working day), confirmed "true" (default) or "false"; a header row whose
// first cell is "date" and lines starting with "#" are skipped. YAML is a
// list of maps with the same keys, or a map with a "holidays" key holding
// that list. Errors name the line.
func ParseHolidays(r io.Reader) ([]Holiday, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxHolidayFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading holiday file: %w", err)
	}
	if len(data) > maxHolidayFile {
		return nil, fmt.Errorf("holiday file larger than %d bytes", maxHolidayFile)
	}
	if !utf8.Valid(data) {
		return nil, errors.New("holiday file is not valid UTF-8")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if looksLikeYAML(data) {
		return parseHolidaysYAML(data)
	}
	return parseHolidaysCSV(data)
}

func looksLikeYAML(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxHolidayFile)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		return strings.HasPrefix(line, "-") || strings.HasPrefix(line, "holidays:") || line == "---"
	}
	return false
}

type holidayRecord struct {
	Date      string `yaml:"date"`
	NameVi    string `yaml:"name_vi"`
	NameEn    string `yaml:"name_en"`
	Kind      string `yaml:"kind"`
	Confirmed *bool  `yaml:"confirmed"`
	Note      string `yaml:"note"`
}

func (r holidayRecord) holiday() (Holiday, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(r.Date))
	if err != nil {
		return Holiday{}, fmt.Errorf("date %q: want YYYY-MM-DD", r.Date)
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return Holiday{}, fmt.Errorf("date %q out of range 2000–2100", r.Date)
	}
	h := Holiday{Date: t, NameVi: strings.TrimSpace(r.NameVi), NameEn: strings.TrimSpace(r.NameEn),
		Confirmed: true, Note: strings.TrimSpace(r.Note)}
	if h.NameVi == "" {
		return Holiday{}, errors.New("name_vi is empty")
	}
	for _, f := range []string{h.NameVi, h.NameEn, h.Note} {
		if utf8.RuneCountInString(f) > maxHolidayField {
			return Holiday{}, fmt.Errorf("field longer than %d characters", maxHolidayField)
		}
		if hasControl(f, false) {
			return Holiday{}, errors.New("field contains control characters")
		}
	}
	switch strings.ToLower(strings.TrimSpace(r.Kind)) {
	case "", "off":
	case "work":
		h.WorkingDay = true
	default:
		return Holiday{}, fmt.Errorf("kind %q: want off or work", r.Kind)
	}
	if r.Confirmed != nil {
		h.Confirmed = *r.Confirmed
	}
	return h, nil
}

func parseHolidaysYAML(data []byte) ([]Holiday, error) {
	var list []holidayRecord
	if err := yaml.Unmarshal(data, &list); err != nil {
		var wrapped struct {
			Holidays []holidayRecord `yaml:"holidays"`
		}
		if err2 := yaml.Unmarshal(data, &wrapped); err2 != nil {
			return nil, fmt.Errorf("parsing holiday YAML: %w", err)
		}
		list = wrapped.Holidays
	}
	if len(list) > maxHolidays {
		return nil, fmt.Errorf("more than %d holidays", maxHolidays)
	}
	out := make([]Holiday, 0, len(list))
	for i, rec := range list {
		h, err := rec.holiday()
		if err != nil {
			return nil, fmt.Errorf("holiday entry %d: %w", i+1, err)
		}
		out = append(out, h)
	}
	return out, nil
}

func parseHolidaysCSV(data []byte) ([]Holiday, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Holiday
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil { // FieldPos is only valid after a successful Read
			return nil, fmt.Errorf("parsing holiday CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "date") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 3 || len(rec) > 6 {
			return nil, fmt.Errorf("holiday CSV line %d: want 3 to 6 fields, got %d", line, len(rec))
		}
		hr := holidayRecord{Date: rec[0], NameVi: rec[1], NameEn: rec[2]}
		if len(rec) > 3 {
			hr.Kind = rec[3]
		}
		if len(rec) > 4 && strings.TrimSpace(rec[4]) != "" {
			b, err := strconv.ParseBool(strings.TrimSpace(rec[4]))
			if err != nil {
				return nil, fmt.Errorf("holiday CSV line %d: confirmed %q: want true or false", line, rec[4])
			}
			hr.Confirmed = &b
		}
		if len(rec) > 5 {
			hr.Note = rec[5]
		}
		h, err := hr.holiday()
		if err != nil {
			return nil, fmt.Errorf("holiday CSV line %d: %w", line, err)
		}
		if len(out) >= maxHolidays {
			return nil, fmt.Errorf("more than %d holidays", maxHolidays)
		}
		out = append(out, h)
	}
	return out, nil
}
