package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"manglanh/internal/auth"
)

// recoveryCookie carries a freshly issued set of recovery codes from the
// POST that made them to the one page that shows them. It is scoped to
// that page's path, lives ten minutes at most and is cleared on the first
// view, so the codes are shown once and exist nowhere on the server: only
// their hashes are stored. (Being a cookie, it works whichever web process
// answers the redirect.)
const recoveryCookie = "mlrc"

// recoveryCodesRe is what the cookie must hold: codes joined by ".".
var recoveryCodesRe = regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}(\.[A-Z2-7]{4}(-[A-Z2-7]{4}){3}){0,19}$`)

type recoveryPage struct {
	User  *auth.User
	Codes []string // empty: already shown (or never issued here)
}

func recoveryPath(id int64) string {
	return "/can-bo/nguoi-dung/" + strconv.FormatInt(id, 10) + "/ma-du-phong"
}

// userRecoveryIssue makes a new set of recovery codes for the user in the
// path (the old set stops working) and sends the admin to the page that
// shows them once.
func (s *Server) userRecoveryIssue(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	codes, err := s.cfg.Auth.IssueRecoveryCodes(r.Context(), actorFrom(r), id)
	if err != nil {
		if errors.Is(err, auth.ErrNotFound) {
			s.renderError(w, r, http.StatusNotFound, "notfound")
			return
		}
		if authStatus(err) == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "issuing recovery codes", "user", id, "err", err)
		}
		key := authErrorKey(err)
		if errors.Is(err, auth.ErrInvalidInput) {
			key = "recovery.err.role"
		}
		s.renderUsers(w, r, authStatus(err), usersPage{Error: key})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: recoveryCookie, Value: strings.Join(codes, "."), Path: recoveryPath(id),
		MaxAge: 600, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, recoveryPath(id)+"#ma", http.StatusSeeOther)
}

// userRecoveryShow shows the codes just issued, once: the cookie that
// carries them is cleared in the same answer, and the page is not cached.
func (s *Server) userRecoveryShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	users, err := s.cfg.Auth.ListUsers(r.Context(), actorFrom(r))
	if err != nil {
		s.log.ErrorContext(r.Context(), "listing users", "err", err)
		s.renderError(w, r, authStatus(err), "internal")
		return
	}
	p := recoveryPage{}
	for i := range users {
		if users[i].ID == id {
			p.User = &users[i]
		}
	}
	if p.User == nil {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if c, err := r.Cookie(recoveryCookie); err == nil {
		if recoveryCodesRe.MatchString(c.Value) {
			p.Codes = strings.Split(c.Value, ".")
		}
		http.SetCookie(w, &http.Cookie{Name: recoveryCookie, Value: "", Path: recoveryPath(id), MaxAge: -1,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "user_recovery", T(langOf(r), "recovery.title"), p)
}

// recoveryLeft counts each listed user's unused recovery codes for the
// account list; a user whose count cannot be read is left out (logged).
func (s *Server) recoveryLeft(r *http.Request, users []auth.User) map[int64]int {
	out := make(map[int64]int, len(users))
	for _, u := range users {
		if !u.Role.NeedsTOTP() {
			continue
		}
		n, err := s.cfg.Auth.RecoveryCodesLeft(r.Context(), actorFrom(r), u.ID)
		if err != nil {
			s.log.ErrorContext(r.Context(), "counting recovery codes", "user", u.ID, "err", err)
			continue
		}
		out[u.ID] = n
	}
	return out
}
