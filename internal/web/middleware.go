package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"
)

// MaxFormBytes bounds an ordinary form body; upload handlers set their own
// larger limit.
const MaxFormBytes = 64 << 10

type ctxKey int

const (
	ctxLang ctxKey = iota
	ctxCSRF
	ctxUser
	ctxClientIP
)

// SessionUser is the signed-in staff member, set by the auth middleware.
type SessionUser struct {
	ID    int64
	Name  string
	Email string
	Role  string
	OrgID int64
	// TenantID is the user's ward in a city deployment (0 = the default).
	TenantID int64
}

func userFrom(ctx context.Context) *SessionUser {
	u, _ := ctx.Value(ctxUser).(*SessionUser)
	return u
}

// withUser returns a context carrying u.
func withUser(ctx context.Context, u *SessionUser) context.Context {
	return context.WithValue(ctx, ctxUser, u)
}

func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(ctxLang).(string); ok {
		return l
	}
	return "vi"
}

func csrfToken(r *http.Request) string {
	t, _ := r.Context().Value(ctxCSRF).(string)
	return t
}

// clientIP is the request's client address (X-Forwarded-For only when the
// deployment trusts its proxy).
func clientIP(r *http.Request) netip.Addr {
	a, _ := r.Context().Value(ctxClientIP).(netip.Addr)
	return a
}

func (s *Server) remoteAddr(r *http.Request) netip.Addr {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if a, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
				return a.Unmap()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware adds, outermost first: panic recovery and access logging,
// security headers, the client address, the language, and the CSRF check on
// every state-changing request outside /api/ (the JSON API uses no cookies).
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.log.ErrorContext(r.Context(), "panic in handler", "panic", v, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
			// The query string is not logged: tracking codes live there.
			s.log.DebugContext(r.Context(), "http request", "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "bytes", sw.bytes, "duration", time.Since(start))
		}()
		h := sw.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}

		ctx := context.WithValue(r.Context(), ctxClientIP, s.remoteAddr(r))
		ctx = context.WithValue(ctx, ctxLang, pickLang(r))

		token := csrfFormToken(s.csrfNonce(sw, r), sessionToken(r))
		ctx = context.WithValue(ctx, ctxCSRF, token)
		r = r.WithContext(ctx)

		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				if declaredTooLarge(r) {
					s.renderError(sw, r, http.StatusRequestEntityTooLarge, "toolarge")
					return
				}
				if isMultipart(r) {
					leave, ok := s.uploads.enter(r.Context(), clientIP(r))
					if !ok {
						s.busy(sw, r)
						return
					}
					defer leave()
					if r.ContentLength < 0 {
						s.renderError(sw, r, http.StatusLengthRequired, "lengthrequired")
						return
					}
					release, ok := s.uploads.reserve(r.Context(), r.ContentLength)
					if !ok {
						s.busy(sw, r)
						return
					}
					defer release()
					r = r.WithContext(context.WithValue(r.Context(), ctxUploadKey{}, &uploadRequest{}))
				}
				switch s.csrfOK(r, token) {
				case bodyTooLarge:
					// A body over the limit says so, not "session expired".
					s.renderError(sw, r, http.StatusRequestEntityTooLarge, "toolarge")
					return
				case bodyMalformed:
					s.renderError(sw, r, http.StatusBadRequest, "malformed")
					return
				case bodyForged:
					s.metrics.csrfRejected.Inc()
					s.renderError(sw, r, http.StatusForbidden, "csrf")
					return
				}
				if isMultipart(r) && !readsBodyLate(r.URL.Path) {
					// Handlers read their form with r.PostForm or FormValue;
					// only those that check a limit first parse it themselves.
					if err := readUploadForm(r); err != nil {
						s.refuseBody(sw, r, false, err)
						return
					}
				}
			}
		}
		next.ServeHTTP(sw, r)
	})
}

// csrfOK checks the form's token against the cookie (double submit) and, when
// the browser sends one, that Origin is our own host. A multipart body is
// read only up to its token (body_limits.go); an url-encoded one whole,
// within bodyLimit.
func (s *Server) csrfOK(r *http.Request, token string) bodyCheck {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if !strings.HasSuffix(o, "://"+r.Host) {
			return bodyForged
		}
	}
	if _, err := r.Cookie(s.csrfCookieName()); err != nil {
		return bodyForged
	}
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" {
		if isMultipart(r) {
			var err error
			sent, err = multipartToken(r)
			switch {
			case isTooLarge(err):
				return bodyTooLarge
			case err != nil:
				return bodyMalformed
			}
		} else {
			r.Body = http.MaxBytesReader(nil, r.Body, bodyLimit(r))
			if err := r.ParseForm(); err != nil {
				if isTooLarge(err) {
					return bodyTooLarge
				}
				return bodyMalformed
			}
			sent = r.PostFormValue("csrf")
		}
	}
	if len(sent) == len(token) && subtle.ConstantTimeCompare([]byte(sent), []byte(token)) == 1 {
		return bodyOK
	}
	return bodyForged
}

// isTooLarge reports an error of reading past http.MaxBytesReader's limit.
func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// maxUploadBody bounds a multipart body: five images of 5 MB and the fields.
const maxUploadBody = 27 << 20

func pickLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	return "vi" // Vietnamese first, whatever the browser says
}

func (s *Server) langSet(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "en" {
		l = "vi"
	}
	s.setLangCookie(w, l)
	back := r.URL.Query().Get("next")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
