package report

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/program"
)

// num writes n with a dot between thousands, as Vietnamese documents do
// ("10.000").
func num[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// count2 writes a count of sessions the way the ward writes it: two
// digits below ten ("05 buổi").
func count2(n int) string {
	if n >= 1 && n <= 9 {
		return "0" + strconv.Itoa(n)
	}
	return num(n)
}

// percent writes a ratio as "94%" or "93,8%" (decimal comma).
func percent(r program.Ratio) string {
	p := r.Percent()
	if r.Num*100%r.Den == 0 {
		return strconv.FormatInt(r.Num*100/r.Den, 10) + "%"
	}
	return strings.Replace(strconv.FormatFloat(p, 'f', 1, 64), ".", ",", 1) + "%"
}

// ratio writes "94% (329/350)", or the words for "not measurable".
func ratio(r program.Ratio, unknown string) string {
	if !r.Known() {
		return unknown
	}
	return fmt.Sprintf("%s (%s/%s)", percent(r), num(r.Num), num(r.Den))
}

// dateVN is "05/01/2026".
func dateVN(t time.Time) string { return t.Format("02/01/2006") }

// placeDate is "Phù Liễn, ngày 05 tháng 01 năm 2026" (Decree 30: day and
// month below 10, and month below 3, written with a leading zero).
func placeDate(place string, d time.Time) string {
	if d.IsZero() {
		return place + ", ngày     tháng     năm     "
	}
	day := strconv.Itoa(d.Day())
	if d.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(d.Month()))
	if d.Month() < 3 {
		month = "0" + month
	}
	return fmt.Sprintf("%s, ngày %s tháng %s năm %d", place, day, month, d.Year())
}

var quarters = []string{"I", "II", "III", "IV"}

// periodPhrase names a period as a report does: "giai đoạn 2021 – 2025",
// "năm 2025", "6 tháng đầu năm 2025", "quý III năm 2025", or the dates.
// next names the period after it the same way ("giai đoạn 2026 – 2030"),
// or "" when the period has no natural successor.
func periodPhrase(p program.Period) (this, next string) {
	f, last := p.From, p.LastDay()
	startsYear := f.Month() == 1 && f.Day() == 1
	endsYear := last.Month() == 12 && last.Day() == 31
	switch {
	case startsYear && endsYear && last.Year() == f.Year():
		return fmt.Sprintf("năm %d", f.Year()), fmt.Sprintf("năm %d", f.Year()+1)
	case startsYear && endsYear:
		n := last.Year() - f.Year() + 1
		return fmt.Sprintf("giai đoạn %d – %d", f.Year(), last.Year()),
			fmt.Sprintf("giai đoạn %d – %d", last.Year()+1, last.Year()+n)
	case f.Day() == 1 && last.Year() == f.Year() && p.To.Day() == 1:
		months := int(last.Month()) - int(f.Month()) + 1
		switch {
		case months == 6 && f.Month() == 1:
			return fmt.Sprintf("6 tháng đầu năm %d", f.Year()), ""
		case months == 6 && f.Month() == 7:
			return fmt.Sprintf("6 tháng cuối năm %d", f.Year()), ""
		case months == 3 && (f.Month()-1)%3 == 0:
			return fmt.Sprintf("quý %s năm %d", quarters[(f.Month()-1)/3], f.Year()), ""
		case months == 1:
			return fmt.Sprintf("tháng %d năm %d", f.Month(), f.Year()), ""
		}
	}
	return fmt.Sprintf("từ ngày %s đến ngày %s", dateVN(f), dateVN(last)), ""
}

// label names a category code in Vietnamese.
func label(code string) string {
	switch code {
	case "other":
		return "khác"
	case "":
		return "chưa phân loại"
	}
	return alert.CategoryLabel(code, "vi")
}

var kindLabels = map[string]string{
	program.KindCommunication: "truyền thông",
	program.KindThemedMeeting: "sinh hoạt chuyên đề",
	program.KindSpecial:       "tuyên truyền chuyên đề",
	program.KindTraining:      "tập huấn",
	program.KindContest:       "cuộc thi",
	program.KindLeaflet:       "tờ rơi, infographic",
	program.KindBroadcast:     "phát thanh, trang thông tin",
	program.KindDigitalSkills: "học kỹ năng số",
}

var placeLabels = map[string]string{
	program.PlaceSchool:        "trường học",
	program.PlaceResidential:   "tổ dân phố",
	program.PlaceCulturalHouse: "nhà văn hóa",
	program.PlaceWardOffice:    "trụ sở UBND",
	program.PlaceOnline:        "trên mạng",
	program.PlaceOther:         "địa điểm khác",
}

var groupLabels = map[string]string{
	program.GroupPupils:    "học sinh",
	program.GroupParents:   "phụ huynh",
	program.GroupTeachers:  "giáo viên",
	program.GroupResidents: "người dân",
	program.GroupStaff:     "cán bộ",
}

var deadlineLabels = map[string]string{
	"emergency":  "can thiệp khẩn cấp trong 12 giờ",
	"plan":       "lập kế hoạch hỗ trợ trong 05 ngày làm việc",
	"approval":   "phê duyệt kế hoạch trong 02 ngày làm việc",
	"assignment": "phân công xử lý trong 01 giờ (mức cao, nghiêm trọng)",
}

var actionLabels = map[string]string{
	program.ActionReminder: "nhắc nhở",
	program.ActionFine:     "xử phạt",
	program.ActionFollowUp: "kiểm tra lại",
	program.ActionClosed:   "đình chỉ, thu hồi",
}

func orLabel(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// byCount lists a map's entries, largest first, as "lừa đảo 5; cờ bạc 2".
func byCount[V int | int64](m map[string]V, name func(string) string) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			if m[a] > m[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, k := range keys {
		if m[k] > 0 {
			parts = append(parts, name(k)+" "+num(m[k]))
		}
	}
	return strings.Join(parts, "; ")
}

// joinVN joins "a, b và c".
func joinVN(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " và " + xs[len(xs)-1]
}
