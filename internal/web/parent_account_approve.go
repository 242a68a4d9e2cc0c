package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"manglanh/internal/auth"
	"manglanh/internal/family"
)

// parentTempCookie carries a temporary password just made by staff to the
// page that shows it once (scoped to the approvals page, 10 minutes).
const parentTempCookie = "mlptemp"

var parentTempRe = regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}\|[+0-9a-z@._-]{1,254}$`)

// parentApprovePage is the staff page of parent accounts: those waiting
// for approval (#cho-duyet) and the password reset for a parent who came
// in person (#dat-lai).
type parentApprovePage struct {
	Approval string
	Pending  []parentPendingView
	Flash    string
	Ward     bool // the viewer may reset passwords
	Find     parentForm
	Temp     string // a temporary password just made, shown once
	TempFor  string
}

type parentPendingView struct {
	family.Parent
	LoginShown string
	School     string
}

func (s *Server) parentApproveList(w http.ResponseWriter, r *http.Request) {
	p := parentApprovePage{Find: newParentForm()}
	switch r.URL.Query().Get("ok") {
	case "approved":
		p.Flash = T(langOf(r), "parent.approve.ok")
	case "refused":
		p.Flash = T(langOf(r), "parent.approve.refused")
	case "gone":
		p.Flash = T(langOf(r), "parent.approve.gone")
	}
	if c, err := r.Cookie(parentTempCookie); err == nil {
		if parentTempRe.MatchString(c.Value) {
			p.Temp, p.TempFor, _ = strings.Cut(c.Value, "|")
			p.TempFor = family.DisplayPhone(p.TempFor)
		}
		http.SetCookie(w, &http.Cookie{Name: parentTempCookie, Value: "", Path: parentApprovePath, MaxAge: -1,
			HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	}
	s.renderParentApprove(w, r, http.StatusOK, p)
}

func (s *Server) renderParentApprove(w http.ResponseWriter, r *http.Request, status int, p parentApprovePage) {
	ctx, a := r.Context(), staffFamilyActor(r)
	p.Approval = s.cfg.Families.Approval()
	u := userFrom(ctx)
	p.Ward = u.Role == "officer" || u.Role == "ward_admin"
	pending, err := s.cfg.Families.PendingParents(ctx, a)
	if errors.Is(err, family.ErrForbidden) {
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	}
	if err != nil {
		s.log.ErrorContext(ctx, "listing pending parents", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	names := map[int64]string{}
	if schools, err := s.cfg.Families.Schools(ctx); err == nil {
		for _, sc := range schools {
			names[sc.ID] = sc.Name
		}
	}
	for _, pa := range pending {
		v := parentPendingView{Parent: pa, LoginShown: pa.Email, School: names[pa.SchoolOrgID]}
		if pa.Phone != "" {
			v.LoginShown = family.DisplayPhone(pa.Phone)
		}
		p.Pending = append(p.Pending, v)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "parent_account_approve", T(langOf(r), "parent.approve.title"), p)
}

func (s *Server) parentApproveSubmit(w http.ResponseWriter, r *http.Request) {
	s.parentDecide(w, r, true)
}

func (s *Server) parentRefuseSubmit(w http.ResponseWriter, r *http.Request) {
	s.parentDecide(w, r, false)
}

func (s *Server) parentDecide(w http.ResponseWriter, r *http.Request, approve bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	a := staffFamilyActor(r)
	ok := "approved"
	if approve {
		err = s.cfg.Families.ApproveParent(r.Context(), a, id)
	} else {
		ok = "refused"
		err = s.cfg.Families.RefuseParent(r.Context(), a, id)
	}
	switch {
	case errors.Is(err, family.ErrNotFound):
		ok = "gone"
	case errors.Is(err, family.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "deciding on a parent", "parent", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	http.Redirect(w, r, parentApprovePath+"?ok="+ok+"#cho-duyet", http.StatusSeeOther)
}

// parentStaffReset gives a parent who came in person a temporary password.
func (s *Server) parentStaffReset(w http.ResponseWriter, r *http.Request) {
	if !s.parentBody(w, r) {
		return
	}
	lang := langOf(r)
	login := strings.TrimSpace(r.PostFormValue("login"))
	page := parentApprovePage{Find: newParentForm()}
	page.Find.Values["login"] = clip(login, 254)
	a := staffFamilyActor(r)
	p, err := s.cfg.Families.FindParent(r.Context(), a, login)
	switch {
	case errors.Is(err, family.ErrNotFound):
		page.Find.setErr("login", T(lang, "parent.approve.notfound"))
		s.renderParentApprove(w, r, http.StatusNotFound, page)
		return
	case page.Find.addValidation(lang, err):
		s.renderParentApprove(w, r, http.StatusUnprocessableEntity, page)
		return
	case errors.Is(err, family.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	case err != nil:
		s.log.ErrorContext(r.Context(), "finding a parent", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	temp, err := s.cfg.Families.StaffResetPassword(r.Context(), a, p.ID)
	if err != nil {
		s.log.ErrorContext(r.Context(), "resetting a parent's password", "parent", p.ID, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	shown := p.Email
	if p.Phone != "" {
		shown = p.Phone
	}
	http.SetCookie(w, &http.Cookie{Name: parentTempCookie, Value: temp + "|" + shown, Path: parentApprovePath,
		MaxAge: 600, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, parentApprovePath+"#dat-lai", http.StatusSeeOther)
}

// parentsLinked reports whether the staff home links the parent accounts
// page for role: the ward's officer and admin always, a school's account
// when schools approve parents.
func (s *Server) parentsLinked(role auth.Role) bool {
	if s.cfg.Families == nil {
		return false
	}
	return role == auth.RoleWardAdmin || role == auth.RoleOfficer ||
		role == auth.RoleSchool && s.cfg.Families.Approval() == family.ApprovalSchool
}
