package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// The CSRF defence is a double submit bound to the session. The browser
// holds a random nonce in an HttpOnly cookie (__Host-csrf over HTTPS, so no
// sibling host can plant one; csrf over plain HTTP, where __Host- cookies
// are refused). A form's token is:
//
//   - without a session: the nonce itself (the public report, the sign-in
//     form);
//   - with a session: HMAC-SHA256 keyed by the session token over the
//     nonce. The session cookie is HttpOnly and never leaves the server's
//     responses, so a page that plants its own csrf cookie still cannot make
//     a token for someone's session. No server key is involved, so every
//     process behind a load balancer checks the same token.
//
// Issuing a session (sign-in, the code step, a changed password) renews the
// nonce, so no token seen before the sign-in works after it.

const (
	csrfCookiePlain  = "csrf"
	csrfCookieSecure = "__Host-csrf"
	csrfNonceLen     = 32
)

// csrfCookieName is the nonce cookie's name for this deployment.
func (s *Server) csrfCookieName() string {
	if s.cfg.SecureCookies {
		return csrfCookieSecure
	}
	return csrfCookiePlain
}

// csrfNonce returns the request's nonce, or a new one set on w.
func (s *Server) csrfNonce(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(s.csrfCookieName()); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return c.Value
	}
	return s.renewCSRF(w)
}

// renewCSRF sets a new nonce cookie on w and returns it.
func (s *Server) renewCSRF(w http.ResponseWriter) string {
	b := make([]byte, csrfNonceLen)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	// __Host- requires Secure, Path=/ and no Domain.
	http.SetCookie(w, &http.Cookie{Name: s.csrfCookieName(), Value: nonce, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nonce
}

// csrfFormToken is the token forms carry for nonce and the request's
// session cookie value (empty without one).
func csrfFormToken(nonce, session string) string {
	if session == "" {
		return nonce
	}
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("manglanh csrf v1\x00"))
	m.Write([]byte(nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
