package web

import (
	"sync"

	"manglanh/internal/program"
	"manglanh/internal/skills"
)

// staffLink is one link of the staff home's programme section.
type staffLink struct {
	Href, Key string
}

var staffProgramMessagesOnce sync.Once

var staffProgramMessages = map[string]msg{
	"staff.program.title":      {"Chương trình, thống kê và báo cáo", "Programme, statistics and reports"},
	"staff.program.stats":      {"Thống kê (chỉ tiêu, xu hướng, hồ sơ, chặn DNS)", "Statistics (targets, trends, cases, DNS blocks)"},
	"staff.program.activities": {"Hoạt động truyền thông, sinh hoạt chuyên đề, tập huấn", "Activities: sessions, themed meetings, trainings"},
	"staff.program.skills":     {"Kỹ năng số: tổ chức trò chơi cho cả lớp", "Digital skills: run a class game"},
	"staff.program.enrolment":  {"Sĩ số các trường và tỷ lệ học sinh được tiếp cận", "Schools' enrolment and pupils reached"},
	"staff.program.shops":      {"Cơ sở Internet, trò chơi điện tử", "Internet and game shops"},
	"staff.program.inspect":    {"Kiểm tra và vi phạm", "Inspections and violations"},
	"staff.program.targets":    {"Chỉ tiêu của chương trình", "Programme targets"},
	"staff.program.report":     {"Báo cáo định kỳ (Word, PDF)", "Periodic report (Word, PDF)"},
	"staff.program.figures":    {"Số liệu gửi thành phố (tệp có chữ ký)", "Figures for the city (signed file)"},
	"staff.program.city":       {"Tổng hợp số liệu các phường", "Wards' figures rolled up"},
}

// programLinks are the programme pages a role may open, in the order a
// ward officer uses them: look, record, report.
func (s *Server) programLinks(role string) []staffLink {
	if s.cfg.Program == nil {
		return nil
	}
	staffProgramMessagesOnce.Do(func() {
		if err := addMessages(staffProgramMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
	ward := role == program.RoleWardAdmin || role == program.RoleOfficer || role == program.RoleChairman
	var out []staffLink
	add := func(ok bool, href, key string) {
		if ok {
			out = append(out, staffLink{href, "staff.program." + key})
		}
	}
	if role == program.RoleCity {
		add(true, "/thanh-pho", "city")
		return out
	}
	add(ward || role == program.RolePolice || role == program.RoleViewer, "/can-bo/thong-ke", "stats")
	add(role != program.RoleCity, "/can-bo/hoat-dong", "activities")
	add(s.cfg.SkillsSessions != nil && skills.CanRun(program.Actor{Role: role}), "/can-bo/ky-nang-so", "skills")
	add(ward || role == program.RoleSchool || role == program.RoleTeacher || role == program.RoleViewer || role == program.RolePolice, "/can-bo/si-so", "enrolment")
	add(ward || role == program.RolePolice || role == program.RoleViewer, "/can-bo/co-so", "shops")
	add(ward || role == program.RolePolice || role == program.RoleViewer, "/can-bo/kiem-tra", "inspect")
	add(ward || role == program.RolePolice || role == program.RoleViewer, "/can-bo/chi-tieu", "targets")
	add(ward || role == program.RolePolice || role == program.RoleViewer, "/can-bo/bao-cao-dinh-ky", "report")
	add(ward, "/can-bo/so-lieu", "figures")
	return out
}
