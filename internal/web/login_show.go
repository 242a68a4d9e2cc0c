package web

import "net/http"

// loginPage is the sign-in form's data.
type loginPage struct {
	Email string
	Next  string
	Error string // message key
}

func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, "/can-bo", http.StatusSeeOther)
		return
	}
	next := safeNext(r.URL.Query().Get("next"))
	if p := pendingFrom(r.Context()); p != nil {
		http.Redirect(w, r, s.signInStep(r, next), http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, loginPage{Next: next})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage) {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login", T(langOf(r), "auth.login.title"), p)
}
