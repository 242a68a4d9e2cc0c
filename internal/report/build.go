package report

import (
	"fmt"
	"slices"
	"strings"

	"manglanh/internal/program"
)

// Input is what a report is built from. Version gives the header fields
// and the narratives (a narrative key absent from Narratives prints its
// prompt; present and empty prints nothing); Figures are the period's
// (the version's snapshot, normally). Activities and Inspections fill the
// annex tables (a city roll-up leaves them empty); Shops names the shops
// of the inspections by id. Wards are the per-ward figures of a roll-up
// (optional: without them the per-ward table is built from the schools'
// coverage). Lang is accepted for the web's sake: the administrative
// document itself is always in Vietnamese.
type Input struct {
	Version     *program.ReportVersion
	Figures     *program.Figures
	Activities  []program.Activity
	Inspections []program.Inspection
	Shops       map[int64]string
	Wards       []program.Figures
	Lang        string
}

// Default header values when a version leaves them empty.
const (
	DefaultCapacity = "TM. ỦY BAN NHÂN DÂN"
	DefaultTitle    = "CHỦ TỊCH"
)

// Build writes the report. It never fails: what is missing prints as the
// blank an officer fills in by hand, and a figure that cannot be measured
// says so.
func Build(in Input) *Document {
	v := in.Version
	if v == nil {
		v = &program.ReportVersion{}
	}
	f := in.Figures
	if f == nil {
		f = &program.Figures{Period: v.Period}
	}
	p := v.Period
	if p.From.IsZero() {
		p = f.Period
	}
	this, next := periodPhrase(p)
	ward := wardName(f, v)

	d := &Document{Title: "BÁO CÁO"}
	number := v.Number
	if number == "" {
		number = "      /BC-UBND"
	}
	d.Header = Header{
		Authority: "ỦY BAN NHÂN DÂN",
		Body:      clean(strings.ToUpper(ward)),
		Number:    clean("Số: " + number),
		Nation:    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		Motto:     "Độc lập - Tự do - Hạnh phúc",
		PlaceDate: clean(placeDate(v.Place, v.Date)),
	}
	title := strings.TrimSpace(v.Title)
	if title == "" {
		title = "Kết quả thực hiện Chương trình “Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, sáng tạo trên môi trường mạng” " + this
	}
	for _, l := range paragraphs(title) {
		d.Summary = append(d.Summary, clean(l))
	}

	if b := paragraphs(v.Basis); len(b) > 0 {
		for _, t := range b {
			d.para(StyleBody, t, false)
		}
	} else {
		d.para(StyleBody, "Ủy ban nhân dân "+lowerWard(ward)+" báo cáo "+lowerFirst(strings.Join(d.Summary, " "))+" cụ thể như sau:", false)
	}

	figs := FigureParagraphs(in)
	secs := Sections()
	sec := func(key string) {
		for _, s := range secs {
			if s.Key != key {
				continue
			}
			h := s.Heading
			if next != "" {
				h = strings.Replace(h, "giai đoạn tiếp theo", next, 1)
			}
			style := StyleHeading2
			if s.Level == 3 {
				style = StyleHeading3
			}
			d.para(style, h, false)
			text, ok := v.Narratives[key]
			if !ok {
				text = s.Prompt
			}
			for _, t := range paragraphs(text) {
				d.para(StyleBody, t, false)
			}
			for _, t := range figs[key] {
				d.para(StyleBody, t, true)
			}
			for _, t := range tablesFor(key, in, f) {
				d.table(t)
			}
		}
	}

	d.para(StyleHeading1, "I. TÌNH HÌNH TÁC ĐỘNG ĐẾN BẢO VỆ TRẺ EM TRÊN MÔI TRƯỜNG MẠNG "+strings.ToUpper(inPhrase(this)), false)
	for _, k := range []string{NarrTelecom, NarrCrime, NarrSocial, NarrIssues} {
		sec(k)
	}
	d.para(StyleHeading1, "II. KẾT QUẢ CÔNG TÁC", false)
	for _, k := range []string{NarrDirection, NarrTargets, NarrTasks} {
		sec(k)
	}
	h3 := "III. NHẬN XÉT, ĐÁNH GIÁ VÀ KIẾN NGHỊ, ĐỀ XUẤT NHIỆM VỤ"
	if next != "" {
		h3 += " " + strings.ToUpper(next)
	} else {
		h3 += " TRONG THỜI GIAN TỚI"
	}
	d.para(StyleHeading1, h3, false)
	sec(NarrAssessment)
	sec(NarrDifficulties)
	d.para(StyleHeading2, "3. Kiến nghị, đề xuất", false)
	sec(NarrAwards)
	sec(NarrNext)
	d.para(StyleBody, "Trên đây là báo cáo "+lowerFirst(strings.Join(d.Summary, " "))+" của UBND "+lowerWard(ward)+"./.", false)

	for _, r := range v.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			d.Recipients = append(d.Recipients, clean(r))
		}
	}
	if len(d.Recipients) == 0 {
		d.Recipients = []string{"Lưu: VT."}
	}
	sg := v.Signature
	if sg.Capacity == "" && sg.Title == "" {
		sg.Capacity, sg.Title = DefaultCapacity, DefaultTitle
	}
	for _, l := range []string{sg.Capacity, sg.Deputy, sg.Title} {
		if l = strings.TrimSpace(l); l != "" {
			d.Signer.Lines = append(d.Signer.Lines, clean(l))
		}
	}
	d.Signer.Name = clean(strings.TrimSpace(sg.Name))

	d.annex(in, f)
	return d
}

// inPhrase is "trong giai đoạn 2021 – 2025", "trong năm 2025", or the
// dates as they are ("từ ngày …").
func inPhrase(this string) string {
	if strings.HasPrefix(this, "từ ") {
		return this
	}
	return "trong " + this
}

func wardName(f *program.Figures, v *program.ReportVersion) string {
	if len(f.Wards) == 1 && f.Wards[0].Name != "" {
		return f.Wards[0].Name
	}
	if len(f.Wards) > 1 {
		return "các xã, phường"
	}
	if v.Place != "" {
		return "Phường " + v.Place
	}
	return "Phường"
}

// lowerWard is "phường Phù Liễn" from "Phường Phù Liễn".
func lowerWard(w string) string {
	for _, p := range []string{"Phường ", "Xã ", "Thị trấn ", "Đặc khu "} {
		if strings.HasPrefix(w, p) {
			return strings.ToLower(p) + w[len(p):]
		}
	}
	return w
}

func lowerFirst(s string) string {
	for i, r := range s {
		if i == 0 {
			return strings.ToLower(string(r)) + s[len(string(r)):]
		}
	}
	return s
}

// kindTotals counts, from the activity rows, the participants of one kind
// by group and the kinds of place it was held at; ok is false without rows
// (a roll-up), when only the figures are known.
func kindTotals(acts []program.Activity, kind string) (groups map[string]int, places []string, ok bool) {
	if len(acts) == 0 {
		return nil, nil, false
	}
	groups = map[string]int{}
	seen := map[string]bool{}
	for i := range acts {
		a := &acts[i]
		if a.Kind != kind {
			continue
		}
		for _, pt := range a.Participants {
			groups[pt.Group] += pt.Count
		}
		for _, pl := range a.Places {
			seen[pl.Kind] = true
		}
	}
	for _, k := range []string{program.PlaceSchool, program.PlaceResidential, program.PlaceCulturalHouse,
		program.PlaceWardOffice, program.PlaceOnline, program.PlaceOther} {
		if seen[k] {
			places = append(places, placeLabels[k])
		}
	}
	return groups, places, true
}

func groupPhrase(groups map[string]int) string {
	var parts []string
	for _, g := range []string{program.GroupPupils, program.GroupParents, program.GroupTeachers, program.GroupResidents, program.GroupStaff} {
		if groups[g] > 0 {
			parts = append(parts, num(groups[g])+" lượt "+groupLabels[g])
		}
	}
	return strings.Join(parts, ", ")
}

// FigureParagraphs are the generated paragraphs of each section, in the
// ward report's words with the computed numbers; the page shows them
// beside the narrative they follow.
func FigureParagraphs(in Input) map[string][]string {
	f := in.Figures
	if f == nil {
		f = &program.Figures{}
	}
	out := map[string][]string{}
	add := func(key, format string, args ...any) {
		out[key] = append(out[key], clean(fmt.Sprintf(format, args...)))
	}
	a, c, cs, sh, dn := &f.Activities, &f.Coverage, &f.Cases, &f.Shops, &f.DNS

	// I.1: the protective DNS.
	if dn.DevicesProtected > 0 || dn.Profiles > 0 {
		add(NarrTelecom, "Bộ lọc DNS bảo vệ trẻ em của phường đang bảo vệ %s thiết bị của gia đình và trường học (%s hồ sơ trẻ em, trường, lớp).",
			num(dn.DevicesProtected), num(dn.Profiles))
	} else {
		add(NarrTelecom, "Chưa có số liệu của bộ lọc DNS bảo vệ trẻ em trong kỳ (chưa có thiết bị nào được bảo vệ).")
	}

	// I.2: reports received and alerts, by category (counts only).
	if cs.Received > 0 {
		add(NarrCrime, "Trong kỳ, phường tiếp nhận %s phản ánh về nguy cơ đối với trẻ em trên môi trường mạng, trong đó: %s.",
			num(cs.Received), byCount(cs.ByCategory, label))
	} else {
		add(NarrCrime, "Trong kỳ, phường không tiếp nhận phản ánh nào về trẻ em bị xâm hại trên hoặc qua môi trường mạng.")
	}
	if f.Alerts.Raised > 0 {
		add(NarrCrime, "Hệ thống cảnh báo sớm đã gửi %s cảnh báo tới phụ huynh, giáo viên và cán bộ, trong đó: %s.",
			num(f.Alerts.Raised), byCount(f.Alerts.ByCategory, label))
	}

	// II.2: communication, pupils reached, leaflets, themed meetings, reports.
	comm := a.ByKind[program.KindCommunication]
	if comm > 0 {
		where := "trường học, tổ dân phố"
		if _, places, ok := kindTotals(in.Activities, program.KindCommunication); ok && len(places) > 0 {
			where = strings.Join(places, ", ")
		}
		add(NarrTargets, "Đã tổ chức được %s buổi truyền thông tại %s về kỹ năng sử dụng Internet an toàn, phòng tránh xâm hại qua mạng.", count2(comm), where)
	} else {
		add(NarrTargets, "Trong kỳ chưa ghi nhận buổi truyền thông nào.")
	}
	// The ward's sentence after the sessions: "Hơn 350 học sinh THCS và
	// học sinh lớp 5 được tuyên truyền …" is about the pupils the
	// communication sessions reached, not every activity's.
	commPupils := a.ParticipantsByKind[program.KindCommunication][program.GroupPupils]
	if a.ParticipantsByKind == nil {
		if g, _, ok := kindTotals(in.Activities, program.KindCommunication); ok {
			commPupils = g[program.GroupPupils]
		}
	}
	if c.ReachedByKind != nil {
		lv := c.ReachedByKind[program.KindCommunication]
		reached := 0
		for _, n := range lv {
			reached += n
		}
		if reached > 0 {
			var parts []string
			if lv[program.LevelPrimary] > 0 {
				parts = append(parts, num(lv[program.LevelPrimary])+" học sinh Tiểu học")
			}
			if lv[program.LevelLowerSecondary] > 0 {
				parts = append(parts, num(lv[program.LevelLowerSecondary])+" học sinh THCS")
			}
			detail := ""
			if len(parts) > 0 {
				detail = " (" + strings.Join(parts, ", ") + ")"
			}
			add(NarrTargets, "%s học sinh%s được tuyên truyền tại các buổi truyền thông về quyền trẻ em và kỹ năng phòng tránh nguy cơ trên mạng (số học sinh khác nhau ước tính theo khối lớp; %s lượt học sinh tham gia).",
				num(reached), detail, num(commPupils))
		} else if comm > 0 {
			add(NarrTargets, "Các buổi truyền thông trong kỳ chưa ghi nhận học sinh tham gia.")
		}
	} else if commPupils > 0 {
		// Figures saved before ReachedByKind existed: participations only.
		add(NarrTargets, "%s lượt học sinh tham gia các buổi truyền thông về quyền trẻ em và kỹ năng phòng tránh nguy cơ trên mạng.", num(commPupils))
	}
	if n, m := a.ByKind[program.KindLeaflet], a.ByKind[program.KindBroadcast]; n > 0 || m > 0 {
		add(NarrTargets, "Phát hành %s tờ rơi, infographic (%s đợt); %s lượt tuyên truyền qua loa phát thanh, cổng thông tin điện tử và các trang mạng xã hội của phường (%s đợt).",
			num(a.Copies[program.KindLeaflet]), num(n), num(a.Copies[program.KindBroadcast]), num(m))
	}
	if n := a.ByKind[program.KindThemedMeeting]; n > 0 {
		extra := ""
		if g, _, ok := kindTotals(in.Activities, program.KindThemedMeeting); ok && groupPhrase(g) != "" {
			extra = ", với " + groupPhrase(g)
		}
		add(NarrTargets, "Tổ chức %s buổi sinh hoạt chuyên đề với phụ huynh, học sinh%s.", count2(n), extra)
	}
	if cs.Received > 0 {
		ch := ""
		if len(cs.ByChannel) > 0 {
			ch = " (" + byCount(cs.ByChannel, channelLabel) + ")"
		}
		add(NarrTargets, "Tiếp nhận %s phản ánh%s, trong đó %s trường hợp khẩn cấp; %s trường hợp đã được đánh giá, xử lý; %s trường hợp được hỗ trợ theo kế hoạch hoặc can thiệp khẩn cấp; %s trường hợp được chuyển gửi cơ quan chức năng.",
			num(cs.Received), ch, num(cs.Urgent), num(cs.Handled), num(cs.Supported), num(cs.Referred))
	}
	if len(f.Wards) > 1 {
		add(NarrTargets, "Số liệu tổng hợp từ %s xã, phường (chi tiết theo từng đơn vị tại bảng dưới đây).", num(len(f.Wards)))
	}

	// II.3: special sessions, contests, coverage, deadlines, trainings,
	// inspections, DNS blocks.
	if n := a.ByKind[program.KindSpecial]; n > 0 {
		add(NarrTasks, "Tổ chức được %s buổi tuyên truyền chuyên đề tại trường học và khu dân cư.", count2(n))
	}
	if n, m := a.ByKind[program.KindContest], a.ByKind[program.KindDigitalSkills]; n > 0 || m > 0 {
		add(NarrTasks, "Tổ chức %s cuộc thi tìm hiểu kỹ năng số và %s buổi học kỹ năng số cho học sinh.", count2(n), count2(m))
	}
	if c.Pupils.Known() {
		s := fmt.Sprintf("Tỷ lệ học sinh Tiểu học và THCS trên địa bàn được tiếp cận nội dung giáo dục kỹ năng số đạt %s (%s/%s học sinh của các trường có số liệu sĩ số)",
			percent(c.Pupils), num(c.Pupils.Num), num(c.Pupils.Den))
		if c.SchoolsNoEnrolment > 0 {
			s += fmt.Sprintf("; %s trường chưa có số liệu sĩ số, %s học sinh của các trường này được tiếp cận không tính vào tỷ lệ", num(c.SchoolsNoEnrolment), num(c.ReachedNoEnrolment))
		}
		add(NarrTasks, "%s.", s)
	} else {
		add(NarrTasks, "Tỷ lệ học sinh Tiểu học và THCS được tiếp cận nội dung giáo dục kỹ năng số: chưa có số liệu sĩ số nên chưa tính được tỷ lệ.")
	}
	if c.Schools.Known() {
		add(NarrTasks, "%s/%s trường học trên địa bàn có hoạt động tuyên truyền, giáo dục kỹ năng số cho học sinh trong kỳ.", num(c.Schools.Num), num(c.Schools.Den))
	}
	if cs.Received > 0 || cs.InTime.Known() {
		s := "Thời hạn xử lý theo Nghị định số 56/2017/NĐ-CP: " + ratio(cs.InTime, "chưa có trường hợp nào đến hạn trong kỳ") + " trường hợp đúng hạn ở mọi bước"
		if cs.InTime.Known() {
			s = fmt.Sprintf("Thời hạn xử lý theo Nghị định số 56/2017/NĐ-CP: %s/%s trường hợp đúng hạn ở mọi bước (%s)", num(cs.InTime.Num), num(cs.InTime.Den), percent(cs.InTime))
		}
		var parts []string
		for _, k := range []string{"emergency", "assignment", "plan", "approval"} {
			if dl, ok := cs.Deadlines[k]; ok && dl.Met+dl.Missed+dl.Open > 0 {
				parts = append(parts, fmt.Sprintf("%s: đúng hạn %s, quá hạn %s, đang trong hạn %s", deadlineLabels[k], num(dl.Met), num(dl.Missed), num(dl.Open)))
			}
		}
		if len(parts) > 0 {
			s += "; " + strings.Join(parts, "; ")
		}
		add(NarrTasks, "%s. Cuối kỳ còn %s trường hợp đang xử lý.", s, num(cs.OpenAtEnd))
	}
	if n := a.ByKind[program.KindTraining]; n > 0 {
		extra := ""
		if g, _, ok := kindTotals(in.Activities, program.KindTraining); ok && groupPhrase(g) != "" {
			extra = ", với " + groupPhrase(g) + " tham dự"
		}
		add(NarrTasks, "Tổ chức %s lớp tập huấn cho cán bộ, giáo viên, người làm công tác trẻ em%s.", count2(n), extra)
	}
	if sh.Inspections > 0 || sh.Violations > 0 {
		s := fmt.Sprintf("Tổ chức %s lượt kiểm tra tại %s cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử công cộng (trên địa bàn có %s cơ sở đang hoạt động); phát hiện %s trường hợp vi phạm, đã xử lý, nhắc nhở %s trường hợp vi phạm",
			num(sh.Inspections), num(sh.ShopsInspected), num(sh.Registered), num(sh.Violations), num(sh.Handled))
		if len(sh.ByAction) > 0 {
			s += " (" + byCount(sh.ByAction, func(k string) string { return orLabel(actionLabels, k) }) + ")"
		}
		if sh.FinesVND > 0 {
			s += fmt.Sprintf("; tổng số tiền phạt %s đồng", num(sh.FinesVND))
		}
		if sh.RepeatOffenders > 0 {
			s += fmt.Sprintf("; %s cơ sở tái phạm", num(sh.RepeatOffenders))
		}
		add(NarrTasks, "%s.", s)
	} else {
		add(NarrTasks, "Trong kỳ chưa ghi nhận lượt kiểm tra cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử công cộng nào.")
	}
	if dn.Blocked > 0 {
		add(NarrTasks, "Bộ lọc DNS của phường đã chặn %s lượt truy cập tới trang web, ứng dụng không phù hợp với trẻ em, trong đó: %s.",
			num(dn.Blocked), byCount(dn.BlockedByCategory, label))
	}

	// III.1: the indicators.
	if len(f.Indicators) > 0 {
		met, known := 0, 0
		for _, r := range f.Indicators {
			if r.Known {
				known++
			}
			if r.Met {
				met++
			}
		}
		s := fmt.Sprintf("Đạt %s/%s chỉ tiêu của Chương trình (chi tiết tại bảng dưới đây)", num(met), num(len(f.Indicators)))
		if n := len(f.Indicators) - known; n > 0 {
			s += fmt.Sprintf("; %s chỉ tiêu chưa có số liệu để đánh giá", num(n))
		}
		add(NarrAssessment, "%s.", s)
	}
	return out
}

func channelLabel(k string) string {
	switch k {
	case "web":
		return "cổng phản ánh trực tuyến"
	case "qr":
		return "mã QR"
	case "hotline", "111":
		return "Tổng đài 111"
	case "phone":
		return "điện thoại"
	case "walk_in", "in_person":
		return "trực tiếp"
	}
	return k
}

// tablesFor are the tables printed in a section.
func tablesFor(key string, in Input, f *program.Figures) []*Table {
	switch key {
	case NarrTargets:
		var ts []*Table
		if t := activityKindTable(f); t != nil {
			ts = append(ts, t)
		}
		if t := wardTable(in, f); t != nil {
			ts = append(ts, t)
		}
		return ts
	case NarrTasks:
		var ts []*Table
		if t := coverageTable(f); t != nil {
			ts = append(ts, t)
		}
		if t := caseTable(f); t != nil {
			ts = append(ts, t)
		}
		return ts
	case NarrAssessment:
		if t := indicatorTable(f); t != nil {
			return []*Table{t}
		}
	}
	return nil
}

func activityKindTable(f *program.Figures) *Table {
	if f.Activities.Total == 0 {
		return nil
	}
	t := &Table{Caption: "Hoạt động theo hình thức", Header: []string{"Hình thức", "Số hoạt động", "Số tờ rơi / lượt phát"},
		Widths: []float64{3, 1.2, 1.6}, Numeric: []bool{false, true, true}}
	for _, k := range program.ActivityKinds() {
		if n := f.Activities.ByKind[k]; n > 0 {
			t.Rows = append(t.Rows, []string{orLabel(kindLabels, k), num(n), num(f.Activities.Copies[k])})
		}
	}
	t.Rows = append(t.Rows, []string{"Tổng cộng", num(f.Activities.Total), ""})
	return t
}

func coverageTable(f *program.Figures) *Table {
	if len(f.Coverage.BySchool) == 0 {
		return nil
	}
	roll := len(f.Wards) > 1
	t := &Table{Caption: "Học sinh được tiếp cận theo trường", Header: []string{"Trường", "Hoạt động", "Tiểu học", "THCS", "Tỷ lệ"},
		Widths: []float64{3, 1, 1.5, 1.5, 1.2}, Numeric: []bool{false, true, true, true, true}}
	if roll {
		t.Header = append([]string{"Đơn vị"}, t.Header...)
		t.Widths = append([]float64{1.2}, t.Widths...)
		t.Numeric = append([]bool{false}, t.Numeric...)
	}
	for _, s := range f.Coverage.BySchool {
		var r program.Ratio
		cell := func(level string) string {
			reached := s.Reached[level]
			en, ok := s.Enrolled[level]
			if !ok {
				if reached == 0 {
					return "–"
				}
				return num(reached) + " (chưa có sĩ số)"
			}
			r.Num += int64(reached)
			r.Den += int64(en)
			return num(reached) + "/" + num(en)
		}
		row := []string{s.Name, num(s.Activities), cell(program.LevelPrimary), cell(program.LevelLowerSecondary), ratio(r, "chưa có số liệu sĩ số")}
		if r.Known() {
			row[4] = percent(r)
		}
		if roll {
			row = append([]string{s.Ward}, row...)
		}
		t.Rows = append(t.Rows, row)
	}
	total := []string{"Toàn " + map[bool]string{false: "phường", true: "địa bàn"}[roll], num(f.Activities.ByPlace[program.PlaceSchool]), ratioCell(f.Coverage.ByLevel[program.LevelPrimary]), ratioCell(f.Coverage.ByLevel[program.LevelLowerSecondary]), ratio(f.Coverage.Pupils, "chưa có số liệu sĩ số")}
	if f.Coverage.Pupils.Known() {
		total[4] = percent(f.Coverage.Pupils)
	}
	if roll {
		total = append([]string{""}, total...)
	}
	t.Rows = append(t.Rows, total)
	return t
}

func ratioCell(r program.Ratio) string {
	if !r.Known() {
		return "–"
	}
	return num(r.Num) + "/" + num(r.Den)
}

// caseTable counts the cases by category: counts only, never a child.
func caseTable(f *program.Figures) *Table {
	if f.Cases.Received == 0 {
		return nil
	}
	t := &Table{Caption: "Phản ánh tiếp nhận theo loại nguy cơ", Header: []string{"Loại nguy cơ", "Số phản ánh"},
		Widths: []float64{3, 1.2}, Numeric: []bool{false, true}}
	keys := make([]string, 0, len(f.Cases.ByCategory))
	for k := range f.Cases.ByCategory {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Rows = append(t.Rows, []string{label(k), num(f.Cases.ByCategory[k])})
	}
	t.Rows = append(t.Rows,
		[]string{"Tổng cộng", num(f.Cases.Received)},
		[]string{"Đã đánh giá, xử lý", num(f.Cases.Handled)},
		[]string{"Được hỗ trợ, can thiệp", num(f.Cases.Supported)},
		[]string{"Chuyển gửi cơ quan chức năng", num(f.Cases.Referred)},
		[]string{"Đúng hạn ở mọi bước", ratio(f.Cases.InTime, "chưa đến hạn")})
	return t
}

func indicatorTable(f *program.Figures) *Table {
	if len(f.Indicators) == 0 {
		return nil
	}
	t := &Table{Caption: "Kết quả thực hiện các chỉ tiêu", Header: []string{"Mã", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"},
		Widths: []float64{0.6, 3.4, 1, 1.5, 1.1}, Numeric: []bool{false, false, true, true, false}}
	for _, r := range f.Indicators {
		target, value := num(int64(r.Target)), num(r.Value.Num)
		if r.Unit == "percent" {
			target = strings.Replace(fmt.Sprintf("%g%%", r.Target), ".", ",", 1)
			value = ratio(r.Value, "chưa có số liệu")
		}
		verdict := "Chưa đạt"
		switch {
		case !r.Known:
			verdict, value = "Chưa có số liệu", "–"
		case r.Met:
			verdict = "Đạt"
		}
		t.Rows = append(t.Rows, []string{r.Code, r.NameVI, target, value, verdict})
	}
	return t
}

// wardTable is the roll-up's table of wards.
func wardTable(in Input, f *program.Figures) *Table {
	if len(f.Wards) <= 1 {
		return nil
	}
	t := &Table{Caption: "Số liệu theo xã, phường", Widths: []float64{2.4, 1, 1.3, 1, 1, 1},
		Numeric: []bool{false, true, true, true, true, true}}
	if len(in.Wards) > 0 {
		t.Header = []string{"Xã, phường", "Hoạt động", "Tỷ lệ học sinh", "Phản ánh", "Vi phạm", "Thiết bị"}
		for _, w := range in.Wards {
			name := ""
			if len(w.Wards) > 0 {
				name = w.Wards[0].Name
			}
			t.Rows = append(t.Rows, []string{name, num(w.Activities.Total), ratio(w.Coverage.Pupils, "chưa có sĩ số"),
				num(w.Cases.Received), num(w.Shops.Violations), num(w.DNS.DevicesProtected)})
		}
		t.Rows = append(t.Rows, []string{"Tổng cộng", num(f.Activities.Total), ratio(f.Coverage.Pupils, "chưa có sĩ số"),
			num(f.Cases.Received), num(f.Shops.Violations), num(f.DNS.DevicesProtected)})
		return t
	}
	// Without per-ward figures: the wards and their schools' coverage.
	t.Header = []string{"Xã, phường", "Mã", "Trường", "Đã tiếp cận", "Sĩ số", "Tỷ lệ"}
	for _, w := range f.Wards {
		var r program.Ratio
		schools := 0
		for _, s := range f.Coverage.BySchool {
			if s.Ward != w.Code {
				continue
			}
			schools++
			for l, en := range s.Enrolled {
				r.Num += int64(min(s.Reached[l], en))
				r.Den += int64(en)
			}
		}
		t.Rows = append(t.Rows, []string{w.Name, w.Code, num(schools), num(r.Num), num(r.Den), ratio(r, "chưa có sĩ số")})
	}
	return t
}
