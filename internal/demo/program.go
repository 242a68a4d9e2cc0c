package demo

import (
	"context"
	"fmt"
	"time"

	"manglanh/internal/program"
)

// The demo ward's programme for 2021–2025: enrolment, activities, shops
// and inspections, made up but shaped like the hand-written 2021–2025
// report of a ward (12 communication sessions, 21 themed meetings, 5
// special sessions, a digital-skills contest, trainings, leaflets and
// broadcasts; 13 internet-shop violations handled). Nothing of it is
// typed as a figure: the dashboard and the generated report compute every
// number from these rows, so a reader can check one against the other.

// ProgramService is what SeedProgram needs of program.Service.
type ProgramService interface {
	Activities(ctx context.Context, a program.Actor, f program.ActivityFilter) ([]program.Activity, int, error)
	Schools(ctx context.Context, a program.Actor) ([]program.School, error)
	SetEnrolment(ctx context.Context, a program.Actor, e program.Enrolment) error
	CreateActivity(ctx context.Context, a program.Actor, act *program.Activity) error
	CreateShop(ctx context.Context, a program.Actor, sh *program.Shop) error
	RecordInspection(ctx context.Context, a program.Actor, in *program.Inspection) error
	AddAction(ctx context.Context, a program.Actor, violationID int64, ac *program.Action) error
}

// seedActor records the demo rows (audited under this name).
var seedActor = program.Actor{Name: "Dữ liệu mẫu (demo)", Role: program.RoleWardAdmin, TenantID: program.DefaultTenant}

// SeedProgram adds the demo programme when the ward has no activity yet,
// and reports how many activities it added. The schools are the demo
// directory's, found by name.
func SeedProgram(ctx context.Context, svc ProgramService, loc *time.Location) (int, error) {
	_, total, err := svc.Activities(ctx, seedActor, program.ActivityFilter{Limit: 1})
	if err != nil || total > 0 {
		return 0, err
	}
	schools, err := svc.Schools(ctx, seedActor)
	if err != nil {
		return 0, err
	}
	id := map[string]int64{}
	for _, s := range schools {
		id[s.Name] = s.ID
	}
	thcs, th := id["Trường THCS Mẫu"], id["Trường Tiểu học Mẫu"]
	if thcs == 0 || th == 0 {
		return 0, nil // the ward has its own directory: no demo programme
	}
	for _, e := range []program.Enrolment{
		{SchoolID: th, SchoolYear: 2025, Level: program.LevelPrimary, Pupils: 420},
		{SchoolID: thcs, SchoolYear: 2025, Level: program.LevelLowerSecondary, Pupils: 300},
	} {
		e.TenantID = program.DefaultTenant
		if err := svc.SetEnrolment(ctx, seedActor, e); err != nil {
			return 0, fmt.Errorf("demo enrolment: %w", err)
		}
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	school := func(sid int64, name string) program.Place {
		return program.Place{Kind: program.PlaceSchool, OrgID: sid, Name: name}
	}
	thcsP, thP := school(thcs, "Trường THCS Mẫu"), school(th, "Trường Tiểu học Mẫu")
	group := func(n int) program.Place {
		return program.Place{Kind: program.PlaceResidential, Name: fmt.Sprintf("Tổ dân phố số %d", n)}
	}
	culture := program.Place{Kind: program.PlaceCulturalHouse, Name: "Nhà văn hoá phường"}
	pupils := func(sid int64, grade, n int) program.Participant {
		return program.Participant{Group: program.GroupPupils, SchoolID: sid, Level: program.LevelOfGrade(grade), Grade: grade, Count: n}
	}
	adults := func(g string, n int) program.Participant { return program.Participant{Group: g, Count: n} }

	var acts []program.Activity
	add := func(kind string, d time.Time, places []program.Place, org, topic string, ps ...program.Participant) {
		acts = append(acts, program.Activity{Kind: kind, Date: d, Places: places, Organiser: org, Topic: topic, Participants: ps})
	}
	// 12 communication sessions: 6 at the secondary school, 3 for grades
	// 3–5 of the primary school, 3 in residential groups ("over 350" pupils
	// reached by these sessions, as the ward wrote).
	for i := 0; i < 6; i++ {
		g := 6 + i%4
		add(program.KindCommunication, day(2021+i%5, time.Month(3+i), 10+i), []program.Place{thcsP},
			"UBND phường, Công an phường", "Sử dụng Internet an toàn, phòng tránh xâm hại qua mạng",
			pupils(thcs, g, 40+3*i), adults(program.GroupTeachers, 4))
	}
	for i := 0; i < 3; i++ {
		add(program.KindCommunication, day(2022+i, time.October, 15+i), []program.Place{thP},
			"UBND phường", "Quyền trẻ em và kỹ năng phòng tránh nguy cơ trên mạng",
			pupils(th, 3+i, 50+5*i), adults(program.GroupTeachers, 3))
	}
	for i := 0; i < 3; i++ {
		add(program.KindCommunication, day(2023+i%2, time.Month(5+i), 20), []program.Place{group(2 + i)},
			"Tổ dân phố, Hội Phụ nữ phường", "Nhận diện lừa đảo trực tuyến nhắm vào học sinh",
			adults(program.GroupResidents, 35+i*5), adults(program.GroupParents, 20+i))
	}
	// 21 themed meetings with parents and pupils.
	for i := 0; i < 21; i++ {
		p := []program.Place{thcsP}
		ps := []program.Participant{adults(program.GroupParents, 30+i), pupils(thcs, 6+i%4, 25+i%10)}
		topic := "Bảo vệ con trên không gian mạng"
		if i%3 == 1 {
			p, ps = []program.Place{thP}, []program.Participant{adults(program.GroupParents, 28+i), pupils(th, 3+i%3, 30+i%12)}
			topic = "Xử lý khi bị bắt nạt trực tuyến"
		} else if i%3 == 2 {
			p, ps = []program.Place{culture}, []program.Participant{adults(program.GroupParents, 25+i), adults(program.GroupResidents, 10)}
		}
		add(program.KindThemedMeeting, day(2021+i%5, time.Month(1+i%11), 5+i%20), p, "Nhà trường, Hội Phụ huynh", topic, ps...)
	}
	// 5 special sessions at schools and in residential areas.
	for i := 0; i < 5; i++ {
		p := []program.Place{group(1 + i)}
		ps := []program.Participant{adults(program.GroupResidents, 40+2*i), adults(program.GroupParents, 15)}
		if i%2 == 0 {
			p = []program.Place{thcsP, group(1 + i)}
			ps = append(ps, pupils(thcs, 8+i%2, 50))
		}
		add(program.KindSpecial, day(2021+i, time.November, 12), p, "Công an phường",
			"Tác hại của nội dung xấu độc, cách nhận biết và xử lý khi trẻ gặp nguy hiểm", ps...)
	}
	// The digital-skills contest that reached most pupils of both schools.
	contest := []program.Participant{}
	for g, n := range []int{80, 80, 78, 80, 82, 70, 68, 70, 69} {
		sid := th
		if g >= 5 {
			sid = thcs
		}
		contest = append(contest, pupils(sid, g+1, n))
	}
	add(program.KindContest, day(2024, time.April, 20), []program.Place{thP, thcsP}, "Đoàn Thanh niên phường, nhà trường",
		"Thi tìm hiểu kỹ năng số “4 đúng – 4 không”", contest...)
	// Trainings for staff and teachers.
	add(program.KindTraining, day(2023, time.August, 8), []program.Place{{Kind: program.PlaceWardOffice, Name: "Trụ sở UBND phường"}},
		"UBND phường", "Tập huấn bảo vệ trẻ em trên môi trường mạng", adults(program.GroupStaff, 18), adults(program.GroupTeachers, 12))
	add(program.KindTraining, day(2025, time.August, 14), []program.Place{{Kind: program.PlaceWardOffice, Name: "Trụ sở UBND phường"}},
		"UBND phường, Công an phường", "Tiếp nhận và xử lý phản ánh qua Tổng đài 111", adults(program.GroupStaff, 15), adults(program.GroupTeachers, 9))
	// Leaflets and broadcasts.
	for i := 0; i < 3; i++ {
		a := program.Activity{Kind: program.KindLeaflet, Date: day(2022+i, time.June, 1), Places: []program.Place{group(1 + i)},
			Organiser: "UBND phường", Topic: "Tờ rơi Tổng đài 111 và cách nhận diện lừa đảo", Copies: 400 + 100*i}
		acts = append(acts, a)
	}
	for i := 0; i < 2; i++ {
		a := program.Activity{Kind: program.KindBroadcast, Date: day(2024+i, time.September, 1), Places: []program.Place{{Kind: program.PlaceOnline, Name: "Loa phát thanh, trang Zalo của phường"}},
			Organiser: "UBND phường", Topic: "Bản tin an toàn cho trẻ em trên mạng", Copies: 24 + 6*i}
		acts = append(acts, a)
	}
	for i := range acts {
		acts[i].TenantID = program.DefaultTenant
		if err := svc.CreateActivity(ctx, seedActor, &acts[i]); err != nil {
			return i, fmt.Errorf("demo activity %d (%s): %w", i+1, acts[i].Kind, err)
		}
	}
	if err := seedShops(ctx, svc, day); err != nil {
		return len(acts), err
	}
	return len(acts), nil
}

// seedShops adds six shops and inspections with 13 violations, each
// handled with a reminder (one also with a fine).
func seedShops(ctx context.Context, svc ProgramService, day func(int, time.Month, int) time.Time) error {
	type shop struct {
		kind, name, addr, owner string
	}
	shops := []shop{
		{program.ShopInternet, "Internet Hoàng Long", "Số 12 đường Trung tâm, tổ dân phố 3", "Nguyễn Văn Long"},
		{program.ShopInternet, "Net Cỏ Xanh", "Số 45 tổ dân phố 5", "Trần Thị Xanh"},
		{program.ShopInternet, "Điểm Internet Minh Anh", "Số 8 tổ dân phố 2", "Lê Minh Anh"},
		{program.ShopInternet, "Internet Phố Mới", "Số 3 tổ dân phố 6", "Phạm Văn Mới"},
		{program.ShopGame, "Game Center Sao Việt", "Số 20 đường Trung tâm", "Đỗ Văn Sao"},
		{program.ShopGame, "Phòng game Thành Đạt", "Số 61 tổ dân phố 4", "Vũ Thành Đạt"},
	}
	ids := make([]int64, len(shops))
	for i, s := range shops {
		sh := program.Shop{TenantID: program.DefaultTenant, Kind: s.kind, Name: s.name, Address: s.addr, Owner: s.owner,
			Opens: "08:00", Closes: "22:00", Machines: 15 + 5*i, Active: true}
		if s.kind == program.ShopGame {
			sh.Certificate = fmt.Sprintf("%02d/GCN-UBND", 10+i)
			sh.CertIssued = day(2024, time.March, 1)
			sh.CertExpires = day(2027, time.March, 1)
		}
		if err := svc.CreateShop(ctx, seedActor, &sh); err != nil {
			return fmt.Errorf("demo shop %q: %w", s.name, err)
		}
		ids[i] = sh.ID
	}
	// 8 inspections, 13 violations: the first shop twice (a repeat offender).
	type visit struct {
		shop     int
		date     time.Time
		articles []string
	}
	visits := []visit{
		{0, day(2022, time.March, 15), []string{"174-internet-hours", "174-internet-rules-not-posted"}},
		{1, day(2022, time.September, 20), []string{"174-internet-hours"}},
		{4, day(2023, time.April, 11), []string{"174-game-hours", "174-game-rules-not-posted"}},
		{2, day(2023, time.October, 3), []string{"174-internet-rules-not-posted"}},
		{0, day(2024, time.February, 27), []string{"174-internet-hours", "174-internet-obscene"}},
		{5, day(2024, time.July, 9), []string{"174-game-hours"}},
		{3, day(2025, time.March, 18), []string{"174-internet-hours", "174-internet-rules-not-posted"}},
		{4, day(2025, time.November, 6), []string{"174-game-hours", "174-game-rules-not-posted"}},
	}
	for _, v := range visits {
		in := program.Inspection{TenantID: program.DefaultTenant, ShopID: ids[v.shop], Date: v.date,
			Team: "Công an phường, cán bộ Văn hoá – Xã hội", Findings: "Kiểm tra giờ mở cửa, nội quy và nội dung trò chơi; trẻ em chơi ngoài giờ."}
		for _, a := range v.articles {
			in.Violations = append(in.Violations, program.Violation{Article: a, Description: "Phát hiện khi kiểm tra"})
		}
		if err := svc.RecordInspection(ctx, seedActor, &in); err != nil {
			return fmt.Errorf("demo inspection of %q: %w", shops[v.shop].name, err)
		}
		for _, vi := range in.Violations {
			ac := program.Action{Kind: program.ActionReminder, Date: v.date, Note: "Nhắc nhở, chủ cơ sở cam kết chấp hành"}
			if err := svc.AddAction(ctx, seedActor, vi.ID, &ac); err != nil {
				return fmt.Errorf("demo action: %w", err)
			}
		}
	}
	return nil
}
