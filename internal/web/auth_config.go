package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
)

// sessionCookie holds the staff session token; only its SHA-256 is stored.
const sessionCookie = "mlsid"

var authMessagesOnce sync.Once

// setupAuth adds the sign-in pages' texts to the catalogue.
func (s *Server) setupAuth() error {
	var err error
	authMessagesOnce.Do(func() { err = addMessages(authMessages) })
	return err
}

type authCtxKey struct{}

// pendingAuth is a signed-in browser that may not use staff pages yet:
// the code step or TOTP enrolment is due, or the password must be changed.
type pendingAuth struct {
	stage      auth.Stage
	mustChange bool
	user       *SessionUser
}

func pendingFrom(ctx context.Context) *pendingAuth {
	p, _ := ctx.Value(authCtxKey{}).(*pendingAuth)
	return p
}

// loadSession reads the session cookie. A full session whose password need
// not be changed puts the user in the context (withUser) for every page;
// any other live session is kept aside for the sign-in steps and the
// password page only. It also hands the client address to the audit log.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := audit.WithClientIP(r.Context(), clientIP(r).String())
		c, err := r.Cookie(sessionCookie)
		if s.cfg.Auth == nil || err != nil || c.Value == "" {
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		sess, u, err := s.cfg.Auth.Lookup(ctx, c.Value)
		switch {
		case errors.Is(err, auth.ErrNoSession):
			s.clearSessionCookie(w)
		case err != nil:
			s.log.ErrorContext(ctx, "loading session", "err", err)
			s.renderError(w, r.WithContext(ctx), http.StatusInternalServerError, "internal")
			return
		default:
			su := &SessionUser{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), OrgID: u.OrgID, TenantID: u.TenantID}
			if sess.Stage == auth.StageFull && !u.MustChangePassword {
				ctx = withUser(ctx, su)
			} else {
				ctx = context.WithValue(ctx, authCtxKey{}, &pendingAuth{stage: sess.Stage, mustChange: u.MustChangePassword, user: su})
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	// No MaxAge: the cookie ends with the browser; the server ends the
	// session after 30 idle minutes or 12 hours anyway.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	// A new session gets a new CSRF nonce (csrf.go).
	s.renewCSRF(w)
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// sessionToken is the request's session cookie value, or "".
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// requireRole wraps a staff page: without a full session a GET goes to the
// sign-in page (a half-signed-in user to the step that is due) and other
// methods get 403; a user whose role is not listed gets 403. No roles means
// any staff role.
func (s *Server) requireRole(roles ...auth.Role) func(http.HandlerFunc) http.HandlerFunc {
	return func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			u := userFrom(r.Context())
			if u == nil {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, s.signInStep(r, r.URL.Path), http.StatusSeeOther)
					return
				}
				s.renderError(w, r, http.StatusForbidden, "forbidden")
				return
			}
			if len(roles) == 0 && u.Role == string(auth.RoleCity) {
				// The city sees the wards' aggregates only, never a ward's
				// staff pages: its home is the roll-up.
				if r.URL.Path == "/can-bo" && r.Method == http.MethodGet {
					http.Redirect(w, r, "/thanh-pho", http.StatusSeeOther)
					return
				}
				s.renderError(w, r, http.StatusForbidden, "forbidden")
				return
			}
			if len(roles) > 0 {
				ok := false
				for _, role := range roles {
					ok = ok || u.Role == string(role)
				}
				if !ok {
					s.renderError(w, r, http.StatusForbidden, "forbidden")
					return
				}
			}
			h(w, r)
		}
	}
}

// signInStep is where a browser without a full session goes next, so that
// a user halfway through signing in can reach nothing but the next step.
func (s *Server) signInStep(r *http.Request, next string) string {
	q := ""
	if safeNext(next) != "" {
		q = "?next=" + url.QueryEscape(next)
	}
	if p := pendingFrom(r.Context()); p != nil {
		switch {
		case p.stage == auth.StagePassword:
			return "/dang-nhap/ma" + q
		case p.stage == auth.StageEnrol:
			return "/dang-nhap/cai-ma" + q
		case p.mustChange:
			return "/can-bo/mat-khau"
		}
	}
	return "/dang-nhap" + q
}

// afterSignIn is where a fully signed-in browser goes.
func afterSignIn(l *auth.Login, next string) string {
	switch {
	case l.Stage == auth.StagePassword:
		return "/dang-nhap/ma" + nextQuery(next)
	case l.Stage == auth.StageEnrol:
		return "/dang-nhap/cai-ma" + nextQuery(next)
	case l.User.MustChangePassword:
		return "/can-bo/mat-khau"
	case safeNext(next) != "":
		return next
	}
	return "/can-bo"
}

func nextQuery(next string) string {
	if safeNext(next) == "" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
}

// safeNext returns next if it is a local path (no open redirect), else "".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/dang-nhap") || strings.HasPrefix(next, "/login") {
		return ""
	}
	return next
}

// actorFrom is the auth actor for the signed-in user of r.
func actorFrom(r *http.Request) auth.Actor {
	u := userFrom(r.Context())
	return auth.Actor{ID: u.ID, Name: u.Name, Role: auth.Role(u.Role), IP: clientIP(r).String(), TenantID: u.TenantID}
}

// authErrorKey maps an auth error to a message key.
func authErrorKey(err error) string {
	switch {
	case errors.Is(err, auth.ErrThrottled):
		return "auth.err.throttled"
	case errors.Is(err, auth.ErrInvalidCredentials):
		return "auth.err.credentials"
	case errors.Is(err, auth.ErrInvalidCode):
		return "auth.err.code"
	case errors.Is(err, auth.ErrPasswordTooShort):
		return "auth.err.short"
	case errors.Is(err, auth.ErrPasswordCommon):
		return "auth.err.common"
	case errors.Is(err, auth.ErrWrongPassword):
		return "auth.err.wrongcurrent"
	case errors.Is(err, auth.ErrEmailTaken):
		return "auth.err.taken"
	case errors.Is(err, auth.ErrInvalidInput):
		return "auth.err.input"
	case errors.Is(err, auth.ErrForbidden):
		return "error.forbidden"
	}
	return "error.internal"
}

// authStatus maps an auth error to an HTTP status.
func authStatus(err error) int {
	switch {
	case errors.Is(err, auth.ErrThrottled):
		return http.StatusTooManyRequests
	case errors.Is(err, auth.ErrInvalidCredentials), errors.Is(err, auth.ErrInvalidCode), errors.Is(err, auth.ErrWrongPassword):
		return http.StatusUnauthorized
	case errors.Is(err, auth.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, auth.ErrEmailTaken):
		return http.StatusConflict
	case errors.Is(err, auth.ErrPasswordTooShort), errors.Is(err, auth.ErrPasswordCommon), errors.Is(err, auth.ErrInvalidInput):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// retryAfter sets Retry-After for a throttled sign-in.
func retryAfter(w http.ResponseWriter, err error) {
	var te *auth.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(te.RetryAfter.Seconds())), 10))
	}
}
