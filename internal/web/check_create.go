package web

import (
	"errors"
	"net/http"

	"manglanh/internal/risk"
)

// checkCreate scores a pasted message and explains the result on the page.
// The text lives only in this request: the access log has the path alone,
// and nothing is stored.
func (s *Server) checkCreate(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	if ok, wait := s.checkLimit.allow(clientIP(r)); !ok {
		setRetryAfter(w, wait)
		s.renderError(w, r, http.StatusTooManyRequests, "ratelimit")
		return
	}
	if tooLarge, err := parseBody(w, r); err != nil {
		s.refuseBody(w, r, tooLarge, err)
		return
	}
	if files := uploadedFiles(r, "screenshot"); len(files) > 0 && r.PostFormValue(langSwitchField) == "" {
		s.checkShot(w, r, files[0])
		return
	}
	text := checkText(r.PostFormValue("text"))
	if r.PostFormValue(langSwitchField) != "" {
		// The language switch: the same page, the text kept, in the other
		// language (checked again if there is a text; nothing is stored).
		r = s.switchLang(w, r)
		lang = langOf(r)
		if text == "" {
			s.renderCheck(w, r, http.StatusOK, checkPage{})
			return
		}
	}
	switch {
	case text == "":
		s.renderCheck(w, r, http.StatusBadRequest, checkPage{Error: T(lang, "check.error.empty")})
		return
	case len(text) > MaxCheckText:
		s.renderCheck(w, r, http.StatusRequestEntityTooLarge, checkPage{Error: T(lang, "check.error.toolong")})
		return
	}
	if r.PostFormValue("thread") != "" {
		msgs, err := risk.ParseThread(text)
		if err != nil {
			s.renderCheck(w, r, http.StatusBadRequest, checkPage{Text: text, Thread: true, Error: threadError(lang, err)})
			return
		}
		tr := s.cfg.Risk.ScoreThread(msgs)
		s.noteCheck(r, tr.Result)
		s.renderCheck(w, r, http.StatusOK, s.newThreadPage(text, tr, lang))
		return
	}
	res := s.cfg.Risk.Score(text)
	s.noteCheck(r, res)
	s.renderCheck(w, r, http.StatusOK, s.newCheckPage(text, res, lang))
}

// threadError says why a pasted conversation could not be read.
func threadError(lang string, err error) string {
	switch {
	case errors.Is(err, risk.ErrThreadTooMany):
		return T(lang, "check.error.threadmany", risk.MaxThreadMessages)
	case errors.Is(err, risk.ErrThreadEmpty):
		return T(lang, "check.error.empty")
	}
	return T(lang, "check.error.toolong")
}
