package program

import "slices"

// Units of an indicator.
const (
	UnitPercent = "percent"
	UnitCount   = "count"
)

// Sources of figures, as Figures.Missing names them.
const (
	SourceActivities = "activities"
	SourceCoverage   = "coverage"
	SourceCases      = "cases"
	SourceShops      = "shops"
	SourceAlerts     = "alerts"
	SourceDNS        = "dns"
)

// Measure computes one number from figures: a ratio (Unit percent) or a
// count (Ratio.Num, Unit count). Source is the figure source it reads: a
// measure whose source is missing is "not measurable", never 0.
type Measure struct {
	Key    string
	Unit   string
	Source string
	NameVI string
	NameEN string
	value  func(f *Figures) Ratio
}

func count(n int) Ratio     { return Ratio{Num: int64(n)} }
func count64(n int64) Ratio { return Ratio{Num: n} }

func sumInts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// measures is the catalogue. T3 is one ratio over both kinds of
// violation, because Decision 830 sets one target for "reported or
// detected violations": reports received (cases) and violations found at
// shop inspections. A combined ratio keeps numerator and denominator, so a
// city adds wards up correctly; cases_handled_pct and
// shop_violations_handled_pct show which half lags.
var measures = []Measure{
	{Key: "schools_with_activity_pct", Unit: UnitPercent, Source: SourceCoverage,
		NameVI: "Trường có hoạt động giáo dục an toàn mạng / tổng số trường", NameEN: "Schools with an online-safety activity / all schools",
		value: func(f *Figures) Ratio { return f.Coverage.Schools }},
	{Key: "victims_supported_pct", Unit: UnitPercent, Source: SourceCases,
		NameVI: "Vụ việc được hỗ trợ (kế hoạch được duyệt hoặc can thiệp khẩn cấp) / vụ việc cần hỗ trợ (đã đánh giá, không đóng ngay khi đánh giá)",
		NameEN: "Cases supported (plan approved or emergency intervention) / cases needing support (assessed, not closed at the assessment)",
		value:  func(f *Figures) Ratio { return Ratio{Num: int64(f.Cases.Supported), Den: int64(f.Cases.NeedSupport)} }},
	{Key: "violations_handled_pct", Unit: UnitPercent, Source: SourceCases,
		NameVI: "(Vụ việc đã xử lý + vi phạm cơ sở đã xử lý) / (vụ việc tiếp nhận + vi phạm phát hiện)",
		NameEN: "(Cases handled + shop violations handled) / (cases received + violations found)",
		value: func(f *Figures) Ratio {
			return Ratio{Num: int64(f.Cases.Handled + f.Shops.Handled), Den: int64(f.Cases.Received + f.Shops.Violations)}
		}},
	{Key: "cases_handled_pct", Unit: UnitPercent, Source: SourceCases,
		NameVI: "Vụ việc đã đánh giá hoặc đóng / vụ việc tiếp nhận", NameEN: "Cases assessed or closed / cases received",
		value: func(f *Figures) Ratio { return Ratio{Num: int64(f.Cases.Handled), Den: int64(f.Cases.Received)} }},
	{Key: "shop_violations_handled_pct", Unit: UnitPercent, Source: SourceShops,
		NameVI: "Vi phạm đã có biện pháp xử lý / vi phạm phát hiện", NameEN: "Violations with an action / violations found",
		value: func(f *Figures) Ratio { return Ratio{Num: int64(f.Shops.Handled), Den: int64(f.Shops.Violations)} }},
	{Key: "cases_in_time_pct", Unit: UnitPercent, Source: SourceCases,
		NameVI: "Vụ việc đúng mọi thời hạn Nghị định 56 / vụ việc có thời hạn đến hạn", NameEN: "Cases meeting every Decree 56 deadline / cases with a deadline due",
		value: func(f *Figures) Ratio { return f.Cases.InTime }},
	{Key: "coverage_pct", Unit: UnitPercent, Source: SourceCoverage,
		NameVI: "Học sinh được tiếp cận / học sinh theo sĩ số", NameEN: "Pupils reached / pupils enrolled",
		value: func(f *Figures) Ratio { return f.Coverage.Pupils }},
	{Key: "communication_sessions", Unit: UnitCount, Source: SourceActivities,
		NameVI: "Buổi truyền thông", NameEN: "Communication sessions",
		value: func(f *Figures) Ratio { return count(f.Activities.ByKind[KindCommunication]) }},
	{Key: "themed_meetings", Unit: UnitCount, Source: SourceActivities,
		NameVI: "Buổi sinh hoạt chuyên đề", NameEN: "Themed meetings",
		value: func(f *Figures) Ratio { return count(f.Activities.ByKind[KindThemedMeeting]) }},
	{Key: "special_sessions", Unit: UnitCount, Source: SourceActivities,
		NameVI: "Buổi tuyên truyền chuyên đề", NameEN: "Special awareness sessions",
		value: func(f *Figures) Ratio { return count(f.Activities.ByKind[KindSpecial]) }},
	{Key: "trainings", Unit: UnitCount, Source: SourceActivities,
		NameVI: "Lớp tập huấn", NameEN: "Trainings",
		value: func(f *Figures) Ratio { return count(f.Activities.ByKind[KindTraining]) }},
	{Key: "participants", Unit: UnitCount, Source: SourceActivities,
		NameVI: "Lượt người tham gia", NameEN: "Participations",
		value: func(f *Figures) Ratio { return count(sumInts(f.Activities.Participants)) }},
	{Key: "pupils_reached", Unit: UnitCount, Source: SourceCoverage,
		NameVI: "Học sinh được tiếp cận (ước tính không trùng lặp)", NameEN: "Pupils reached (distinct, estimated)",
		value: func(f *Figures) Ratio { return count(int(f.Coverage.Pupils.Num) + f.Coverage.ReachedNoEnrolment) }},
	{Key: "shop_inspections", Unit: UnitCount, Source: SourceShops,
		NameVI: "Lượt kiểm tra cơ sở Internet, trò chơi", NameEN: "Shop inspections",
		value: func(f *Figures) Ratio { return count(f.Shops.Inspections) }},
	{Key: "shop_violations_handled", Unit: UnitCount, Source: SourceShops,
		NameVI: "Trường hợp vi phạm đã xử lý, nhắc nhở", NameEN: "Shop violations handled",
		value: func(f *Figures) Ratio { return count(f.Shops.Handled) }},
	{Key: "cases_received", Unit: UnitCount, Source: SourceCases,
		NameVI: "Vụ việc tiếp nhận", NameEN: "Cases received",
		value: func(f *Figures) Ratio { return count(f.Cases.Received) }},
	{Key: "alerts_raised", Unit: UnitCount, Source: SourceAlerts,
		NameVI: "Cảnh báo sớm", NameEN: "Early-warning alerts",
		value: func(f *Figures) Ratio { return count(f.Alerts.Raised) }},
	{Key: "devices_protected", Unit: UnitCount, Source: SourceDNS,
		NameVI: "Thiết bị được bảo vệ", NameEN: "Devices protected",
		value: func(f *Figures) Ratio { return count(f.DNS.DevicesProtected) }},
	{Key: "blocked_queries", Unit: UnitCount, Source: SourceDNS,
		NameVI: "Lượt truy cập bị chặn", NameEN: "Blocked look-ups",
		value: func(f *Figures) Ratio { return count64(f.DNS.Blocked) }},
}

// Measures lists the catalogue in its order (the indicator form's
// choices).
func Measures() []Measure { return slices.Clone(measures) }

// MeasureByKey finds a measure.
func MeasureByKey(key string) (Measure, bool) {
	for _, m := range measures {
		if m.Key == key {
			return m, true
		}
	}
	return Measure{}, false
}

// Value computes the measure on f, and whether it is known: its source is
// present, and a ratio has a denominator.
func (m Measure) Value(f *Figures) (Ratio, bool) {
	if f == nil || slices.Contains(f.Missing, m.Source) {
		return Ratio{}, false
	}
	// T3 reads cases and shops: either missing makes it unknown.
	if m.Key == "violations_handled_pct" && slices.Contains(f.Missing, SourceShops) {
		return Ratio{}, false
	}
	r := m.value(f)
	if m.Unit == UnitPercent {
		return r, r.Known()
	}
	return r, true
}
