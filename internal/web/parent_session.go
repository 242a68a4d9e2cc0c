package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"manglanh/internal/family"
)

// parentCookie holds a parent's session token. It is a different cookie
// from staff's (mlsid): loadSession never reads it, so a parent's cookie
// never opens /can-bo, and parentPage never reads staff's, so a staff
// cookie never opens a /gia-dinh page.
const parentCookie = "mlpsid"

var parentMessagesOnce sync.Once

// setupFamilies adds the parent account pages' texts to the catalogue.
func (s *Server) setupFamilies() error {
	var err error
	parentMessagesOnce.Do(func() { err = addMessages(parentAccountMessages) })
	return err
}

type parentCtxKey struct{}

// parentFrom is the signed-in parent of the request (set by parentPage),
// or nil.
func parentFrom(ctx context.Context) *family.Parent {
	p, _ := ctx.Value(parentCtxKey{}).(*family.Parent)
	return p
}

// parentToken is the request's parent session cookie, or "".
func parentToken(r *http.Request) string {
	if c, err := r.Cookie(parentCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) setParentCookie(w http.ResponseWriter, token string) {
	// Parents sign in on their own phone: the cookie lasts 30 days (the
	// server ends an idle session after family.SessionIdle anyway).
	http.SetCookie(w, &http.Cookie{Name: parentCookie, Value: token, Path: "/", MaxAge: int(family.SessionIdle.Seconds()),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearParentCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: parentCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// currentParent reads the parent cookie; nil when there is no live session.
func (s *Server) currentParent(w http.ResponseWriter, r *http.Request) (*family.Parent, error) {
	if s.cfg.Families == nil {
		return nil, nil
	}
	token := parentToken(r)
	if token == "" {
		return nil, nil
	}
	p, err := s.cfg.Families.Session(r.Context(), token)
	if errors.Is(err, family.ErrNotFound) {
		s.clearParentCookie(w)
		return nil, nil
	}
	return p, err
}

// parentPage wraps a parent's page: without a parent session a GET goes to
// /gia-dinh/dang-nhap (and back after signing in), anything else gets 403;
// a parent whose account waits for approval sees that it waits; one whose
// password was reset by staff must change it first. h gets the parent.
func (s *Server) parentPage(h func(w http.ResponseWriter, r *http.Request, p *family.Parent)) http.HandlerFunc {
	return s.parentGate(false, h)
}

// parentGate is parentPage; allowPending lets a pending (or must-change)
// parent through, for the password and recovery-code pages.
func (s *Server) parentGate(allowPending bool, h func(w http.ResponseWriter, r *http.Request, p *family.Parent)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.currentParent(w, r)
		if err != nil {
			s.log.ErrorContext(r.Context(), "loading parent session", "err", err)
			s.renderError(w, r, http.StatusInternalServerError, "internal")
			return
		}
		get := r.Method == http.MethodGet || r.Method == http.MethodHead
		if p == nil {
			if get {
				http.Redirect(w, r, "/gia-dinh/dang-nhap"+parentNextQuery(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusForbidden, "forbidden")
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), parentCtxKey{}, p))
		if !allowPending {
			switch {
			case p.MustChangePassword:
				if get {
					http.Redirect(w, r, parentPasswordPath, http.StatusSeeOther)
					return
				}
				s.renderError(w, r, http.StatusForbidden, "forbidden")
				return
			case p.Status != family.StatusActive:
				status := http.StatusOK
				if !get {
					status = http.StatusForbidden
				}
				w.Header().Set("Cache-Control", "no-store")
				s.render(w, r, status, "parent_account_pending", T(langOf(r), "parent.pending.title"),
					parentPendingPage{Parent: p, Approval: s.cfg.Families.Approval()})
				return
			}
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, p)
	}
}

// parentPendingPage is the "waiting for approval" page's data.
type parentPendingPage struct {
	Parent   *family.Parent
	Approval string
}

// parentActor is the family actor of a signed-in parent.
func parentActor(r *http.Request, p *family.Parent) family.Actor {
	return family.Actor{Parent: p, IP: clientIP(r).String()}
}

// staffFamilyActor is the family actor of the signed-in staff member.
func staffFamilyActor(r *http.Request) family.Actor {
	u := userFrom(r.Context())
	if u == nil {
		return family.Actor{}
	}
	return family.Actor{StaffID: u.ID, StaffRole: u.Role, StaffOrgID: u.OrgID, IP: clientIP(r).String()}
}

// parentNext returns next when it is a parent page to go back to after
// signing in (a local /gia-dinh path, not the sign-in pages), else "".
func parentNext(next string) string {
	if !strings.HasPrefix(next, "/gia-dinh") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, "/gia-dinh/dang-nhap") || strings.HasPrefix(next, "/gia-dinh/dang-ky") ||
		strings.HasPrefix(next, "/gia-dinh/dang-xuat") || len(next) > 500 {
		return ""
	}
	return next
}

func parentNextQuery(next string) string {
	if parentNext(next) == "" || next == "/gia-dinh" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
}
