package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/program"
)

var preportMessagesOnce sync.Once

// preportRoutes registers the periodic report's pages (preport_*.go) and
// the targets page (indicator_*.go). Reading is for the ward's staff and
// the police and viewers the programme service lets read; writing for the
// ward admin, officers and the chairman; approving for the chairman (the
// service checks each again).
func (s *Server) preportRoutes() {
	if s.cfg.Program == nil {
		return
	}
	preportMessagesOnce.Do(func() {
		for _, m := range []map[string]msg{preportMessages, indicatorMessages} {
			if err := addMessages(m); err != nil {
				s.log.Error("page texts", "err", err)
			}
		}
	})
	read := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman, auth.RolePolice, auth.RoleViewer)
	write := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman)
	s.handle("GET /can-bo/bao-cao-dinh-ky", read(s.preportList))
	s.handle("GET /can-bo/bao-cao-dinh-ky/hien-tai.docx", read(s.preportCurrent))
	s.handle("GET /can-bo/bao-cao-dinh-ky/hien-tai.pdf", read(s.preportCurrent))
	s.handle("GET /can-bo/bao-cao-dinh-ky/soan", write(s.preportForm))
	s.handle("POST /can-bo/bao-cao-dinh-ky/soan", write(s.preportSave))
	s.handle("GET /can-bo/bao-cao-dinh-ky/{id}", read(s.preportShow))
	s.handle("GET /can-bo/bao-cao-dinh-ky/{id}/bao-cao.docx", read(s.preportDownload))
	s.handle("GET /can-bo/bao-cao-dinh-ky/{id}/bao-cao.pdf", read(s.preportDownload))
	s.handle("POST /can-bo/bao-cao-dinh-ky/{id}/duyet", s.requireRole(auth.RoleChairman)(s.preportApprove))
	s.handle("GET /can-bo/chi-tieu", read(s.indicatorList))
	s.handle("POST /can-bo/chi-tieu/{id}", write(s.indicatorSave))
}

// canWriteReport: the roles that write versions and targets (the
// service's canEditReport).
func canWriteReport(role string) bool {
	return role == program.RoleWardAdmin || role == program.RoleOfficer || role == program.RoleChairman
}

// preportPeriod is the period of ?from=&to= (this year without them),
// with the chooser's quick choices.
type preportPeriod struct {
	periodForm
	Quick []preportQuick
}

// preportQuick is one quick choice of the period chooser.
type preportQuick struct {
	Label, From, To string
}

func (s *Server) preportPeriod(r *http.Request) preportPeriod {
	lang := langOf(r)
	y := time.Now().In(s.cfg.Location).Year()
	p := preportPeriod{periodForm: s.cityPeriod(r.URL.Query())}
	year := func(key string, y int) preportQuick {
		return preportQuick{T(lang, key, y), "01/01/" + strconv.Itoa(y), "31/12/" + strconv.Itoa(y)}
	}
	p.Quick = []preportQuick{year("preport.quick.this_year", y), year("preport.quick.last_year", y-1),
		{T(lang, "preport.quick.programme"), "01/01/2021", "31/12/2025"}}
	return p
}
