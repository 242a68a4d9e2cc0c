package web

import "sync"

// schoolMessages are the texts of the school pages (/can-bo/truong…), the
// ward's families-and-schools aggregates (/can-bo/gia-dinh-truong-hoc) and
// the teacher role.
var schoolMessages = map[string]msg{
	"auth.role.teacher": {"Giáo viên tin học (nhà trường)", "IT teacher (school)"},
}

var schoolMessagesOnce sync.Once

// schoolRoutes registers the school pages and the ward aggregates
// (school_*.go, ward_families_*.go) and adds their texts.
func (s *Server) schoolRoutes() {
	schoolMessagesOnce.Do(func() {
		if err := addMessages(schoolMessages); err != nil {
			s.log.Error("page texts", "err", err)
		}
	})
}
