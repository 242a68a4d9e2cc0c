package web

import (
	"net/http"

	"manglanh/internal/auth"
)

// routes registers every handler. Each feature adds its block here; the
// handlers live one per file.
func (s *Server) routes() {
	s.baseRoutes()
	s.publicRoutes() // favicon, the report receipt (public_pages.go)
	s.handle("GET /cai-dat", s.setupShow)
	s.handle("GET /setup", s.setupShow)
	s.iosProfileRoutes() // Apple .mobileconfig for encrypted DNS (mobileconfig_show.go)

	// Staff sign-in and accounts (auth_*.go, login_*.go, totp_*.go,
	// staff_*.go, user_*.go, users_list.go, password_*.go).
	if s.cfg.Auth != nil {
		staff, admin := s.requireRole(), s.requireRole(auth.RoleWardAdmin)
		s.handle("GET /dang-nhap", s.loginShow)
		s.handle("GET /login", s.loginShow)
		s.handle("POST /dang-nhap", s.loginSubmit)
		s.handle("POST /login", s.loginSubmit)
		s.handle("GET /dang-nhap/ma", s.totpShow)
		s.handle("POST /dang-nhap/ma", s.totpSubmit)
		s.handle("GET /dang-nhap/cai-ma", s.totpEnrolShow)
		s.handle("POST /dang-nhap/cai-ma", s.totpEnrolSubmit)
		s.handle("POST /dang-xuat", s.logoutSubmit)
		s.handle("GET /can-bo", staff(s.staffHome))
		s.handle("GET /can-bo/mat-khau", s.passwordShow)
		s.handle("POST /can-bo/mat-khau", s.passwordSubmit)
		s.handle("GET /can-bo/nguoi-dung", admin(s.usersList))
		s.handle("POST /can-bo/nguoi-dung", admin(s.userCreate))
		s.handle("POST /can-bo/nguoi-dung/{id}/mat-khau", admin(s.userReset))
		s.handle("POST /can-bo/nguoi-dung/{id}/ma", admin(s.userTOTPReset))
		s.handle("POST /can-bo/nguoi-dung/{id}/khoa", admin(s.userDisable))
	}
	if s.cfg.Cases != nil {
		// Reports, tracking, QR posters and cases (report_*.go,
		// api_reports.go, poster_*.go, case_*.go).
		for _, p := range []string{"/bao-cao", "/report"} {
			s.handle("GET "+p, s.reportNew)
			s.handle("POST "+p, s.reportCreate)
		}
		s.handle("GET /tra-cuu", s.reportTrack)
		s.handle("GET /track", s.reportTrack)
		s.handle("POST /api/v1/reports", s.apiReportCreate)
		s.handle("GET /api/v1/reports/{code}/status", s.apiReportStatus)
		s.handle("GET /can-bo/bao-cao-moi", s.caseNew)
		s.handle("POST /can-bo/bao-cao-moi", s.caseCreate)
		s.handle("GET /can-bo/ho-so", s.caseList)
		s.handle("GET /can-bo/ho-so/{id}", s.caseShow)
		s.handle("POST /can-bo/ho-so/{id}/{action}", s.caseAction)
		s.handle("GET /can-bo/ho-so/{id}/anh/{eid}", s.caseEvidenceShow)
	}
	// Digital skills: the solo game (skills_*.go).
	s.handle("GET /ky-nang-so", s.skillsHome)
	s.handle("GET /skills", s.skillsHome)
	s.handle("GET /ky-nang-so/choi", s.skillsPlay)
	s.handle("GET /skills/play", s.skillsPlay)
	s.skillsClassRoutes() // class sessions, teacher and pupils (skills_class.go)
	if s.cfg.Risk != nil {
		// Early warning: the public message check, its JSON API, and the
		// staff alert list (check_*.go, api_check.go, alert_*.go).
		for _, p := range []string{"/kiem-tra", "/check"} {
			s.handle("GET "+p, s.checkShow)
			s.handle("POST "+p, s.checkCreate)
		}
		if s.cfg.Cases != nil {
			s.handle("POST /kiem-tra/bao-cao", s.checkReport)
		}
		s.handle("POST /api/v1/check", s.apiCheck)
	}
	if s.cfg.Alerts != nil {
		watch := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman)
		s.handle("GET /can-bo/canh-bao", watch(s.alertList))
		if s.cfg.Cases != nil {
			s.handle("POST /can-bo/canh-bao/{id}/ho-so", watch(s.alertCase))
		}
	}
	// Notices, the deadlines dashboard, case exports and the 111 hand-off
	// (notice_list.go, case_dashboard.go, case_export.go, case_handoff.go).
	s.caseExtraRoutes()
	s.staffRoutes()    // staff to-do lists and recovery codes (staff_*.go, *_recovery.go)
	s.childRoutes()    // child's page, allow requests, weekly summary (child_*.go, weekly_*.go)
	s.caseworkRoutes() // organisation directory, case path texts (casework_messages.go, org_*.go)
	// Parent sign-up, sign-in, recovery; officer approvals (parent_account_*.go).
	s.parentAccountRoutes()
	if s.cfg.Program != nil && s.cfg.Auth != nil {
		s.activityRoutes() // activities, enrolment and coverage (activity_*.go, enrolment_*.go)
		s.statsRoutes()    // the statistics page and its exports (stats_*.go)
	}
	if s.cfg.Program != nil {
		s.shopRoutes() // internet and game shops, inspections (shop_*.go)
	}
	s.preportRoutes() // the periodic report and the targets (preport_*.go, indicator_*.go)

	s.schoolRoutes() // school profiles and statistics, ward aggregates (school_*.go, ward_families_*.go)
	s.cityRoutes()   // the city's roll-up and the ward's signed figures (city_*.go)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "notfound")
	})
}
