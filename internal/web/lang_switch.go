package web

import (
	"context"
	"net/http"
)

// langSwitchField names the language switch when it is a button of a form
// (Page.LangForm): pressing it posts the form, as typed, to its own handler,
// which shows the same form again in the other language and sends nothing.
// This keeps a half-filled form across the switch with JavaScript off.
const langSwitchField = "doi_ngon_ngu"

// switchLang sets the language cookie to the value of the switch button and
// returns r speaking it.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) *http.Request {
	l := r.PostFormValue(langSwitchField)
	if l != "en" {
		l = "vi"
	}
	s.setLangCookie(w, l)
	return r.WithContext(context.WithValue(r.Context(), ctxLang, l))
}

func (s *Server) setLangCookie(w http.ResponseWriter, l string) {
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
}

// langNext is where the language link returns to: the same page, query
// included, for a GET; the page alone otherwise (a POST's answer cannot be
// fetched again).
func langNext(r *http.Request) string {
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		return r.URL.Path + "?" + r.URL.RawQuery
	}
	return r.URL.Path
}
