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
// coverage). Lang "en" prints the fixed texts in English (headings, table
// heads, generated sentences, labels, numbers: lang.go); anything else is
// Vietnamese, the official document's language.
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
	l := langOf(in.Lang)
	this, next := l.period(p)
	ward := wardName(f, v)

	d := &Document{Title: l.t("BÁO CÁO", "REPORT"), RecipientsLabel: l.t("Nơi nhận:", "Recipients:")}
	number := v.Number
	if number == "" {
		number = "      /BC-UBND"
	}
	d.Header = Header{
		Authority: l.t("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE"),
		Body:      clean(strings.ToUpper(ward)),
		Number:    clean(l.t("Số: ", "No.: ") + number),
		Nation:    l.t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
		Motto:     l.t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
		PlaceDate: clean(l.placeDate(v.Place, v.Date)),
	}
	title := strings.TrimSpace(v.Title)
	if title == "" {
		title = l.t("Kết quả thực hiện Chương trình “Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, sáng tạo trên môi trường mạng” ",
			"Results of the Programme “Protecting and supporting children to interact healthily and creatively online” ") + this
	}
	for _, l := range paragraphs(title) {
		d.Summary = append(d.Summary, clean(l))
	}

	if b := paragraphs(v.Basis); len(b) > 0 {
		for _, t := range b {
			d.para(StyleBody, t, false)
		}
	} else {
		d.para(StyleBody, l.t("Ủy ban nhân dân "+lowerWard(ward)+" báo cáo "+lowerFirst(strings.Join(d.Summary, " "))+" cụ thể như sau:",
			"The People's Committee of "+ward+" reports on the "+lowerFirst(strings.Join(d.Summary, " "))+" as follows:"), false)
	}

	figs := FigureParagraphs(in)
	secs := Sections()
	sec := func(key string) {
		for _, s := range secs {
			if s.Key != key {
				continue
			}
			h := l.t(s.Heading, s.HeadingEN)
			if next != "" {
				h = strings.Replace(h, l.t("giai đoạn tiếp theo", "the next programme"), l.t(next, "the programme of "+next), 1)
			}
			style := StyleHeading2
			if s.Level == 3 {
				style = StyleHeading3
			}
			d.para(style, h, false)
			text, ok := v.Narratives[key]
			if !ok {
				text = l.t(s.Prompt, s.PromptEN)
			}
			for _, t := range paragraphs(text) {
				d.para(StyleBody, t, false)
			}
			for _, t := range figs[key] {
				d.para(StyleBody, t, true)
			}
			for _, t := range tablesFor(l, key, in, f) {
				d.table(t)
			}
		}
	}

	d.para(StyleHeading1, l.t("I. TÌNH HÌNH TÁC ĐỘNG ĐẾN BẢO VỆ TRẺ EM TRÊN MÔI TRƯỜNG MẠNG ", "I. THE SITUATION AFFECTING THE PROTECTION OF CHILDREN ONLINE ")+strings.ToUpper(l.in(this)), false)
	for _, k := range []string{NarrTelecom, NarrCrime, NarrSocial, NarrIssues} {
		sec(k)
	}
	d.para(StyleHeading1, l.t("II. KẾT QUẢ CÔNG TÁC", "II. RESULTS"), false)
	for _, k := range []string{NarrDirection, NarrTargets, NarrTasks} {
		sec(k)
	}
	h3 := l.t("III. NHẬN XÉT, ĐÁNH GIÁ VÀ KIẾN NGHỊ, ĐỀ XUẤT NHIỆM VỤ", "III. ASSESSMENT, PROPOSALS AND TASKS")
	switch {
	case next != "":
		h3 += l.t(" ", " FOR ") + strings.ToUpper(next)
	default:
		h3 += l.t(" TRONG THỜI GIAN TỚI", " FOR THE COMING PERIOD")
	}
	d.para(StyleHeading1, h3, false)
	sec(NarrAssessment)
	sec(NarrDifficulties)
	d.para(StyleHeading2, l.t("3. Kiến nghị, đề xuất", "3. Proposals"), false)
	sec(NarrAwards)
	sec(NarrNext)
	d.para(StyleBody, l.t("Trên đây là báo cáo "+lowerFirst(strings.Join(d.Summary, " "))+" của UBND "+lowerWard(ward)+"./.",
		"The above is the report of the People's Committee of "+ward+" on the "+lowerFirst(strings.Join(d.Summary, " "))+"./."), false)

	for _, r := range v.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			d.Recipients = append(d.Recipients, clean(r))
		}
	}
	if len(d.Recipients) == 0 {
		d.Recipients = []string{l.t("Lưu: VT.", "Archived: VT.")}
	}
	sg := v.Signature
	if sg.Capacity == "" && sg.Title == "" {
		sg.Capacity, sg.Title = l.t(DefaultCapacity, "ON BEHALF OF THE PEOPLE'S COMMITTEE"), l.t(DefaultTitle, "CHAIRMAN")
	}
	for _, l := range []string{sg.Capacity, sg.Deputy, sg.Title} {
		if l = strings.TrimSpace(l); l != "" {
			d.Signer.Lines = append(d.Signer.Lines, clean(l))
		}
	}
	d.Signer.Name = clean(strings.TrimSpace(sg.Name))

	d.annex(l, in, f)
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
func kindTotals(l lang, acts []program.Activity, kind string) (groups map[string]int, places []string, ok bool) {
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
			places = append(places, l.place(k))
		}
	}
	return groups, places, true
}

func groupPhrase(l lang, groups map[string]int) string {
	var parts []string
	for _, g := range []string{program.GroupPupils, program.GroupParents, program.GroupTeachers, program.GroupResidents, program.GroupStaff} {
		if groups[g] > 0 {
			parts = append(parts, l.n(groups[g])+l.t(" lượt ", " ")+l.group(g))
		}
	}
	return strings.Join(parts, ", ")
}

// FigureParagraphs are the generated paragraphs of each section, in the
// ward report's words with the computed numbers (in English for Lang
// "en"); the page shows them beside the narrative they follow.
func FigureParagraphs(in Input) map[string][]string {
	f := in.Figures
	if f == nil {
		f = &program.Figures{}
	}
	l := langOf(in.Lang)
	out := map[string][]string{}
	add := func(key, vi, en string, args ...any) {
		out[key] = append(out[key], clean(fmt.Sprintf(l.t(vi, en), args...)))
	}
	lbl := l.label
	a, c, cs, sh, dn := &f.Activities, &f.Coverage, &f.Cases, &f.Shops, &f.DNS

	// I.1: the protective DNS.
	if dn.DevicesProtected > 0 || dn.Profiles > 0 {
		add(NarrTelecom, "Bộ lọc DNS bảo vệ trẻ em của phường đang bảo vệ %s thiết bị của gia đình và trường học (%s hồ sơ trẻ em, trường, lớp).",
			"The ward's child-protection DNS filter protects %s family and school devices (%s child, school and class profiles).",
			l.n(dn.DevicesProtected), l.n(dn.Profiles))
	} else {
		add(NarrTelecom, "Chưa có số liệu của bộ lọc DNS bảo vệ trẻ em trong kỳ (chưa có thiết bị nào được bảo vệ).",
			"No figures from the child-protection DNS filter in the period (no device protected yet).")
	}

	// I.2: reports received and alerts, by category (counts only).
	if cs.Received > 0 {
		add(NarrCrime, "Trong kỳ, phường tiếp nhận %s phản ánh về nguy cơ đối với trẻ em trên môi trường mạng, trong đó: %s.",
			"In the period the ward received %s reports of risks to children online: %s.",
			l.n(cs.Received), l.byCount(cs.ByCategory, lbl))
	} else {
		add(NarrCrime, "Trong kỳ, phường không tiếp nhận phản ánh nào về trẻ em bị xâm hại trên hoặc qua môi trường mạng.",
			"In the period the ward received no report of a child harmed on or through the Internet.")
	}
	if f.Alerts.Raised > 0 {
		add(NarrCrime, "Hệ thống cảnh báo sớm đã gửi %s cảnh báo tới phụ huynh, giáo viên và cán bộ, trong đó: %s.",
			"The early-warning system sent %s alerts to parents, teachers and officers: %s.",
			l.n(f.Alerts.Raised), l.byCount(f.Alerts.ByCategory, lbl))
	}

	// II.2: communication, pupils reached, leaflets, themed meetings, reports.
	comm := a.ByKind[program.KindCommunication]
	if comm > 0 {
		where := l.t("trường học, tổ dân phố", "schools and residential groups")
		if _, places, ok := kindTotals(l, in.Activities, program.KindCommunication); ok && len(places) > 0 {
			where = strings.Join(places, ", ")
		}
		add(NarrTargets, "Đã tổ chức được %s buổi truyền thông tại %s về kỹ năng sử dụng Internet an toàn, phòng tránh xâm hại qua mạng.",
			"%s communication sessions were held at %s on using the Internet safely and avoiding abuse online.", l.c2(comm), where)
	} else {
		add(NarrTargets, "Trong kỳ chưa ghi nhận buổi truyền thông nào.", "No communication session was recorded in the period.")
	}
	// The ward's sentence after the sessions: "Hơn 350 học sinh THCS và
	// học sinh lớp 5 được tuyên truyền …" is about the pupils the
	// communication sessions reached, not every activity's.
	commPupils := a.ParticipantsByKind[program.KindCommunication][program.GroupPupils]
	if a.ParticipantsByKind == nil {
		if g, _, ok := kindTotals(l, in.Activities, program.KindCommunication); ok {
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
				parts = append(parts, l.n(lv[program.LevelPrimary])+l.t(" học sinh Tiểu học", " primary pupils"))
			}
			if lv[program.LevelLowerSecondary] > 0 {
				parts = append(parts, l.n(lv[program.LevelLowerSecondary])+l.t(" học sinh THCS", " lower-secondary pupils"))
			}
			detail := ""
			if len(parts) > 0 {
				detail = " (" + strings.Join(parts, ", ") + ")"
			}
			add(NarrTargets, "%s học sinh%s được tuyên truyền tại các buổi truyền thông về quyền trẻ em và kỹ năng phòng tránh nguy cơ trên mạng (số học sinh khác nhau ước tính theo khối lớp; %s lượt học sinh tham gia).",
				"%s pupils%s were taught about children's rights and how to avoid risks online at the communication sessions (distinct pupils estimated by grade; %s pupil attendances).",
				l.n(reached), detail, l.n(commPupils))
		} else if comm > 0 {
			add(NarrTargets, "Các buổi truyền thông trong kỳ chưa ghi nhận học sinh tham gia.", "No pupil was recorded at the period's communication sessions.")
		}
	} else if commPupils > 0 {
		// Figures saved before ReachedByKind existed: participations only.
		add(NarrTargets, "%s lượt học sinh tham gia các buổi truyền thông về quyền trẻ em và kỹ năng phòng tránh nguy cơ trên mạng.",
			"%s pupil attendances at the communication sessions on children's rights and avoiding risks online.", l.n(commPupils))
	}
	if n, m := a.ByKind[program.KindLeaflet], a.ByKind[program.KindBroadcast]; n > 0 || m > 0 {
		add(NarrTargets, "Phát hành %s tờ rơi, infographic (%s đợt); %s lượt tuyên truyền qua loa phát thanh, cổng thông tin điện tử và các trang mạng xã hội của phường (%s đợt).",
			"%s leaflets and infographics were issued (%s runs); %s messages went out by loudspeaker, the ward's web portal and social pages (%s runs).",
			l.n(a.Copies[program.KindLeaflet]), l.n(n), l.n(a.Copies[program.KindBroadcast]), l.n(m))
	}
	if n := a.ByKind[program.KindThemedMeeting]; n > 0 {
		extra := ""
		g, _, ok := kindTotals(l, in.Activities, program.KindThemedMeeting)
		if !ok {
			g = a.ParticipantsByKind[program.KindThemedMeeting]
		}
		if groupPhrase(l, g) != "" {
			extra = l.t(", với ", ", with ") + groupPhrase(l, g)
		}
		add(NarrTargets, "Tổ chức %s buổi sinh hoạt chuyên đề với phụ huynh, học sinh%s.", "%s themed meetings were held with parents and pupils%s.", l.c2(n), extra)
	}
	if cs.Received > 0 {
		ch := ""
		if len(cs.ByChannel) > 0 {
			ch = " (" + l.byCount(cs.ByChannel, l.channel) + ")"
		}
		add(NarrTargets, "Tiếp nhận %s phản ánh%s, trong đó %s trường hợp khẩn cấp; %s trường hợp đã được đánh giá, xử lý; %s trường hợp được hỗ trợ theo kế hoạch hoặc can thiệp khẩn cấp; %s trường hợp được chuyển gửi cơ quan chức năng.",
			"%s reports were received%s, %s of them urgent; %s were assessed and handled; %s were supported under a plan or by an emergency intervention; %s were referred to the competent agencies.",
			l.n(cs.Received), ch, l.n(cs.Urgent), l.n(cs.Handled), l.n(cs.Supported), l.n(cs.Referred))
	}
	if len(f.Wards) > 1 {
		add(NarrTargets, "Số liệu tổng hợp từ %s xã, phường (chi tiết theo từng đơn vị tại bảng dưới đây).",
			"Figures added up from %s communes and wards (each one in the table below).", l.n(len(f.Wards)))
	}

	// II.3: special sessions, contests, coverage, deadlines, trainings,
	// inspections, DNS blocks.
	if n := a.ByKind[program.KindSpecial]; n > 0 {
		add(NarrTasks, "Tổ chức được %s buổi tuyên truyền chuyên đề tại trường học và khu dân cư.",
			"%s special sessions were held at schools and in residential areas.", l.c2(n))
	}
	if n, m := a.ByKind[program.KindContest], a.ByKind[program.KindDigitalSkills]; n > 0 || m > 0 {
		add(NarrTasks, "Tổ chức %s cuộc thi tìm hiểu kỹ năng số và %s buổi học kỹ năng số cho học sinh.",
			"%s digital-skills contests and %s digital-skills classes were held for pupils.", l.c2(n), l.c2(m))
	}
	if c.Pupils.Known() {
		s := fmt.Sprintf(l.t("Tỷ lệ học sinh Tiểu học và THCS trên địa bàn được tiếp cận nội dung giáo dục kỹ năng số đạt %s (%s/%s học sinh của các trường có số liệu sĩ số)",
			"%s of the ward's primary and lower-secondary pupils were reached by digital-skills education (%s/%s pupils of the schools with an enrolled count)"),
			l.pct(c.Pupils), l.n(c.Pupils.Num), l.n(c.Pupils.Den))
		if c.SchoolsNoEnrolment > 0 {
			s += fmt.Sprintf(l.t("; %s trường chưa có số liệu sĩ số, %s học sinh của các trường này được tiếp cận không tính vào tỷ lệ",
				"; %s schools have no enrolled count, and the %s pupils they reached are not in the ratio"),
				l.n(c.SchoolsNoEnrolment), l.n(c.ReachedNoEnrolment))
		}
		add(NarrTasks, "%s.", "%s.", s)
	} else {
		add(NarrTasks, "Tỷ lệ học sinh Tiểu học và THCS được tiếp cận nội dung giáo dục kỹ năng số: chưa có số liệu sĩ số nên chưa tính được tỷ lệ.",
			"Share of primary and lower-secondary pupils reached by digital-skills education: no enrolled count yet, so no ratio.")
	}
	if c.Schools.Known() {
		add(NarrTasks, "%s/%s trường học trên địa bàn có hoạt động tuyên truyền, giáo dục kỹ năng số cho học sinh trong kỳ.",
			"%s/%s of the ward's schools held awareness or digital-skills activities for their pupils in the period.", l.n(c.Schools.Num), l.n(c.Schools.Den))
	}
	if cs.Received > 0 || cs.InTime.Known() {
		s := l.t("Thời hạn xử lý theo Nghị định số 56/2017/NĐ-CP: chưa có trường hợp nào đến hạn trong kỳ",
			"Decree 56/2017/NĐ-CP deadlines: no case fell due in the period")
		if cs.InTime.Known() {
			s = fmt.Sprintf(l.t("Thời hạn xử lý theo Nghị định số 56/2017/NĐ-CP: %s/%s trường hợp đúng hạn ở mọi bước (%s)",
				"Decree 56/2017/NĐ-CP deadlines: %s/%s cases met every deadline (%s)"), l.n(cs.InTime.Num), l.n(cs.InTime.Den), l.pct(cs.InTime))
		}
		var parts []string
		for _, k := range []string{"emergency", "assignment", "plan", "approval"} {
			if dl, ok := cs.Deadlines[k]; ok && dl.Met+dl.Missed+dl.Open > 0 {
				parts = append(parts, fmt.Sprintf(l.t("%s: đúng hạn %s, quá hạn %s, đang trong hạn %s", "%s: met %s, missed %s, not yet due %s"),
					l.deadline(k), l.n(dl.Met), l.n(dl.Missed), l.n(dl.Open)))
			}
		}
		if len(parts) > 0 {
			s += "; " + strings.Join(parts, "; ")
		}
		add(NarrTasks, "%s. Cuối kỳ còn %s trường hợp đang xử lý.", "%s. %s cases were still open at the end of the period.", s, l.n(cs.OpenAtEnd))
	}
	if n := a.ByKind[program.KindTraining]; n > 0 {
		extra := ""
		g, _, ok := kindTotals(l, in.Activities, program.KindTraining)
		if !ok {
			g = a.ParticipantsByKind[program.KindTraining]
		}
		if groupPhrase(l, g) != "" {
			extra = fmt.Sprintf(l.t(", với %s tham dự", ", attended by %s"), groupPhrase(l, g))
		}
		add(NarrTasks, "Tổ chức %s lớp tập huấn cho cán bộ, giáo viên, người làm công tác trẻ em%s.",
			"%s trainings were held for officers, teachers and child-protection workers%s.", l.c2(n), extra)
	}
	if sh.Inspections > 0 || sh.Violations > 0 {
		s := fmt.Sprintf(l.t("Tổ chức %s lượt kiểm tra tại %s cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử công cộng (trên địa bàn có %s cơ sở đang hoạt động); phát hiện %s trường hợp vi phạm, đã xử lý, nhắc nhở %s trường hợp vi phạm",
			"%s inspections were made at %s internet and public game shops (%s shops operate in the ward); %s violations were found, and %s of them were handled or reminded"),
			l.n(sh.Inspections), l.n(sh.ShopsInspected), l.n(sh.Registered), l.n(sh.Violations), l.n(sh.Handled))
		if len(sh.ByAction) > 0 {
			s += " (" + l.byCount(sh.ByAction, l.action) + ")"
		}
		if sh.FinesVND > 0 {
			s += fmt.Sprintf(l.t("; tổng số tiền phạt %s đồng", "; fines totalling %s VND"), l.n(sh.FinesVND))
		}
		if sh.RepeatOffenders > 0 {
			s += fmt.Sprintf(l.t("; %s cơ sở tái phạm", "; %s repeat offenders"), l.n(sh.RepeatOffenders))
		}
		add(NarrTasks, "%s.", "%s.", s)
	} else {
		add(NarrTasks, "Trong kỳ chưa ghi nhận lượt kiểm tra cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử công cộng nào.",
			"No inspection of an internet or public game shop was recorded in the period.")
	}
	if dn.Blocked > 0 {
		add(NarrTasks, "Bộ lọc DNS của phường đã chặn %s lượt truy cập tới trang web, ứng dụng không phù hợp với trẻ em, trong đó: %s.",
			"The ward's DNS filter blocked %s look-ups of websites and apps unsuitable for children: %s.",
			l.n(dn.Blocked), l.byCount64(dn.BlockedByCategory, lbl))
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
		s := fmt.Sprintf(l.t("Đạt %s/%s chỉ tiêu của Chương trình (chi tiết tại bảng dưới đây)", "%s/%s of the Programme's targets were met (see the table below)"),
			l.n(met), l.n(len(f.Indicators)))
		if n := len(f.Indicators) - known; n > 0 {
			s += fmt.Sprintf(l.t("; %s chỉ tiêu chưa có số liệu để đánh giá", "; %s targets have no figures to assess them"), l.n(n))
		}
		add(NarrAssessment, "%s.", "%s.", s)
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
func tablesFor(l lang, key string, in Input, f *program.Figures) []*Table {
	switch key {
	case NarrTargets:
		var ts []*Table
		if t := activityKindTable(l, f); t != nil {
			ts = append(ts, t)
		}
		if t := wardTable(l, in, f); t != nil {
			ts = append(ts, t)
		}
		return ts
	case NarrTasks:
		var ts []*Table
		if t := coverageTable(l, f); t != nil {
			ts = append(ts, t)
		}
		if t := caseTable(l, f); t != nil {
			ts = append(ts, t)
		}
		return ts
	case NarrAssessment:
		if t := indicatorTable(l, f); t != nil {
			return []*Table{t}
		}
	}
	return nil
}

func activityKindTable(l lang, f *program.Figures) *Table {
	if f.Activities.Total == 0 {
		return nil
	}
	t := &Table{Caption: l.t("Hoạt động theo hình thức", "Activities by kind"),
		Header: []string{l.t("Hình thức", "Kind"), l.t("Số hoạt động", "Activities"), l.t("Số tờ rơi / lượt phát", "Leaflets / broadcasts")},
		Widths: []float64{3, 1.2, 1.6}, Numeric: []bool{false, true, true}}
	for _, k := range program.ActivityKinds() {
		if n := f.Activities.ByKind[k]; n > 0 {
			t.Rows = append(t.Rows, []string{l.kind(k), l.n(n), l.n(f.Activities.Copies[k])})
		}
	}
	t.Rows = append(t.Rows, []string{l.t("Tổng cộng", "Total"), l.n(f.Activities.Total), ""})
	return t
}

func coverageTable(l lang, f *program.Figures) *Table {
	if len(f.Coverage.BySchool) == 0 {
		return nil
	}
	roll := len(f.Wards) > 1
	t := &Table{Caption: l.t("Học sinh được tiếp cận theo trường", "Pupils reached by school"),
		Header: []string{l.t("Trường", "School"), l.t("Hoạt động", "Activities"), l.t("Tiểu học", "Primary"), l.t("THCS", "Lower secondary"), l.t("Tỷ lệ", "Share")},
		Widths: []float64{3, 1, 1.5, 1.5, 1.2}, Numeric: []bool{false, true, true, true, true}}
	if roll {
		t.Header = append([]string{l.t("Đơn vị", "Ward")}, t.Header...)
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
				return l.n(reached) + l.t(" (chưa có sĩ số)", " (no enrolled count)")
			}
			r.Num += int64(reached)
			r.Den += int64(en)
			return l.n(reached) + "/" + l.n(en)
		}
		row := []string{s.Name, l.n(s.Activities), cell(program.LevelPrimary), cell(program.LevelLowerSecondary), l.ratio(r, l.t("chưa có số liệu sĩ số", "no enrolled count"))}
		if r.Known() {
			row[4] = l.pct(r)
		}
		if roll {
			row = append([]string{s.Ward}, row...)
		}
		t.Rows = append(t.Rows, row)
	}
	whole := l.t("Toàn phường", "Whole ward")
	if roll {
		whole = l.t("Toàn địa bàn", "All wards")
	}
	total := []string{whole, l.n(f.Activities.ByPlace[program.PlaceSchool]), ratioCell(l, f.Coverage.ByLevel[program.LevelPrimary]),
		ratioCell(l, f.Coverage.ByLevel[program.LevelLowerSecondary]), l.ratio(f.Coverage.Pupils, l.t("chưa có số liệu sĩ số", "no enrolled count"))}
	if f.Coverage.Pupils.Known() {
		total[4] = l.pct(f.Coverage.Pupils)
	}
	if roll {
		total = append([]string{""}, total...)
	}
	t.Rows = append(t.Rows, total)
	return t
}

func ratioCell(l lang, r program.Ratio) string {
	if !r.Known() {
		return "–"
	}
	return l.n(r.Num) + "/" + l.n(r.Den)
}

// caseTable counts the cases by category: counts only, never a child.
func caseTable(l lang, f *program.Figures) *Table {
	if f.Cases.Received == 0 {
		return nil
	}
	t := &Table{Caption: l.t("Phản ánh tiếp nhận theo loại nguy cơ", "Reports received by risk category"),
		Header: []string{l.t("Loại nguy cơ", "Risk category"), l.t("Số phản ánh", "Reports")},
		Widths: []float64{3, 1.2}, Numeric: []bool{false, true}}
	keys := make([]string, 0, len(f.Cases.ByCategory))
	for k := range f.Cases.ByCategory {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Rows = append(t.Rows, []string{l.label(k), l.n(f.Cases.ByCategory[k])})
	}
	t.Rows = append(t.Rows,
		[]string{l.t("Tổng cộng", "Total"), l.n(f.Cases.Received)},
		[]string{l.t("Đã đánh giá, xử lý", "Assessed and handled"), l.n(f.Cases.Handled)},
		[]string{l.t("Được hỗ trợ, can thiệp", "Supported"), l.n(f.Cases.Supported)},
		[]string{l.t("Chuyển gửi cơ quan chức năng", "Referred to agencies"), l.n(f.Cases.Referred)},
		[]string{l.t("Đúng hạn ở mọi bước", "Every deadline met"), l.ratio(f.Cases.InTime, l.t("chưa đến hạn", "none due yet"))})
	return t
}

func indicatorTable(l lang, f *program.Figures) *Table {
	if len(f.Indicators) == 0 {
		return nil
	}
	t := &Table{Caption: l.t("Kết quả thực hiện các chỉ tiêu", "Results against the targets"),
		Header: []string{l.t("Mã", "Code"), l.t("Chỉ tiêu", "Target"), l.t("Mục tiêu", "Goal"), l.t("Kết quả", "Result"), l.t("Đánh giá", "Assessment")},
		Widths: []float64{0.6, 3.4, 1, 1.5, 1.1}, Numeric: []bool{false, false, true, true, false}}
	for _, r := range f.Indicators {
		target, value := l.n(int64(r.Target)), l.n(r.Value.Num)
		if r.Unit == "percent" {
			target = fmt.Sprintf("%g%%", r.Target)
			if !l.en {
				target = strings.Replace(target, ".", ",", 1)
			}
			value = l.ratio(r.Value, l.t("chưa có số liệu", "no figures"))
		}
		verdict := l.t("Chưa đạt", "Not met")
		switch {
		case !r.Known:
			verdict, value = l.t("Chưa có số liệu", "No figures"), "–"
		case r.Met:
			verdict = l.t("Đạt", "Met")
		}
		name := r.NameVI
		if l.en && r.NameEN != "" {
			name = r.NameEN
		}
		t.Rows = append(t.Rows, []string{r.Code, name, target, value, verdict})
	}
	return t
}

// wardTable is the roll-up's table of wards.
func wardTable(l lang, in Input, f *program.Figures) *Table {
	if len(f.Wards) <= 1 {
		return nil
	}
	t := &Table{Caption: l.t("Số liệu theo xã, phường", "Figures by commune and ward"), Widths: []float64{2.4, 1, 1.3, 1, 1, 1},
		Numeric: []bool{false, true, true, true, true, true}}
	if len(in.Wards) > 0 {
		t.Header = []string{l.t("Xã, phường", "Commune, ward"), l.t("Hoạt động", "Activities"), l.t("Tỷ lệ học sinh", "Pupils reached"),
			l.t("Phản ánh", "Reports"), l.t("Vi phạm", "Violations"), l.t("Thiết bị", "Devices")}
		for _, w := range in.Wards {
			name := ""
			if len(w.Wards) > 0 {
				name = w.Wards[0].Name
			}
			t.Rows = append(t.Rows, []string{name, l.n(w.Activities.Total), l.ratio(w.Coverage.Pupils, l.t("chưa có sĩ số", "no enrolled count")),
				l.n(w.Cases.Received), l.n(w.Shops.Violations), l.n(w.DNS.DevicesProtected)})
		}
		t.Rows = append(t.Rows, []string{l.t("Tổng cộng", "Total"), l.n(f.Activities.Total), l.ratio(f.Coverage.Pupils, l.t("chưa có sĩ số", "no enrolled count")),
			l.n(f.Cases.Received), l.n(f.Shops.Violations), l.n(f.DNS.DevicesProtected)})
		return t
	}
	// Without per-ward figures: the wards and their schools' coverage.
	t.Header = []string{l.t("Xã, phường", "Commune, ward"), l.t("Mã", "Code"), l.t("Trường", "Schools"), l.t("Đã tiếp cận", "Reached"),
		l.t("Sĩ số", "Enrolled"), l.t("Tỷ lệ", "Share")}
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
		t.Rows = append(t.Rows, []string{w.Name, w.Code, l.n(schools), l.n(r.Num), l.n(r.Den), l.ratio(r, l.t("chưa có sĩ số", "no enrolled count"))})
	}
	return t
}
