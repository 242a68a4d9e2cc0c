package web

import "manglanh/internal/auth"

// cityRoutes registers the city's roll-up (/thanh-pho, role city only)
// and the ward's signed figures page (/can-bo/so-lieu, the ward admin,
// officer and chairman; never the city).
func (s *Server) cityRoutes() {
	if s.cfg.Program == nil || s.cfg.Auth == nil {
		return
	}
	city := s.requireRole(auth.RoleCity)
	s.handle("GET /thanh-pho", city(s.cityShow))
	s.handle("POST /thanh-pho/phuong", city(s.cityTenantCreate))
	s.handle("POST /thanh-pho/phuong/{id}/khoa", city(s.cityKeySave))
	s.handle("POST /thanh-pho/nhap", city(s.cityImport))
	s.handle("GET /thanh-pho/tong-hop.csv", city(s.cityExport("csv")))
	s.handle("GET /thanh-pho/tong-hop.xlsx", city(s.cityExport("xlsx")))
	s.handle("GET /thanh-pho/bao-cao.docx", city(s.cityReport))
	s.handle("GET /thanh-pho/bao-cao.pdf", city(s.cityReport))
	ward := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleChairman)
	s.handle("GET /can-bo/so-lieu", ward(s.wardFiguresShow))
	s.handle("GET /can-bo/so-lieu.json", ward(s.wardFiguresDownload))
}
