package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/family"
)

// Paths of the parent account pages.
const (
	parentSignupPath   = "/gia-dinh/dang-ky"
	parentLoginPath    = "/gia-dinh/dang-nhap"
	parentForgotPath   = "/gia-dinh/quen-mat-khau"
	parentCodesPath    = "/gia-dinh/ma-khoi-phuc"
	parentPasswordPath = "/gia-dinh/mat-khau"
	parentApprovePath  = "/can-bo/phu-huynh"
)

// parentAccountRoutes registers the parent account pages and the staff
// page that approves parents and resets their passwords.
func (s *Server) parentAccountRoutes() {
	if s.cfg.Families == nil {
		return
	}
	s.handle("GET "+parentSignupPath, s.parentSignupShow)
	s.handle("POST "+parentSignupPath, s.parentSignupSubmit)
	s.handle("GET "+parentLoginPath, s.parentLoginShow)
	s.handle("POST "+parentLoginPath, s.parentLoginSubmit)
	s.handle("POST /gia-dinh/dang-xuat", s.parentLogoutSubmit)
	s.handle("GET "+parentForgotPath, s.parentForgotShow)
	s.handle("POST "+parentForgotPath, s.parentForgotMail)
	s.handle("POST "+parentForgotPath+"/ma", s.parentForgotCode)
	s.handle("GET /gia-dinh/dat-lai/{token}", s.parentResetShow)
	s.handle("POST /gia-dinh/dat-lai/{token}", s.parentResetSubmit)
	s.handle("GET "+parentCodesPath, s.parentGate(true, s.parentCodesShow))
	s.handle("POST "+parentCodesPath, s.parentGate(true, s.parentCodesIssue))
	s.handle("GET "+parentPasswordPath, s.parentGate(true, s.parentPasswordShow))
	s.handle("POST "+parentPasswordPath, s.parentGate(true, s.parentPasswordSubmit))
	s.handle("POST /gia-dinh/xoa-tai-khoan", s.parentGate(true, s.parentAccountDelete))
	s.parentHomeRoutes()
	if s.cfg.Auth != nil {
		deciders := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer, auth.RoleSchool)
		ward := s.requireRole(auth.RoleWardAdmin, auth.RoleOfficer)
		s.handle("GET "+parentApprovePath, deciders(s.parentApproveList))
		s.handle("POST "+parentApprovePath+"/{id}/duyet", deciders(s.parentApproveSubmit))
		s.handle("POST "+parentApprovePath+"/{id}/tu-choi", deciders(s.parentRefuseSubmit))
		s.handle("POST "+parentApprovePath+"/dat-lai", ward(s.parentStaffReset))
	}
}

// parentForm is the values and errors of a parent account form: Errs maps
// a field name to its message (in the page's language), Focus is the
// first field with an error (it gets autofocus).
type parentForm struct {
	Values map[string]string
	Errs   map[string]string
	Focus  string
	Error  string // a message for the whole form
	Flash  string
	// List is every error in the order found, for the summary at the top.
	List []parentFieldErr
}

// parentFieldErr is one entry of a form's error summary.
type parentFieldErr struct{ Field, Msg string }

func newParentForm() parentForm {
	return parentForm{Values: map[string]string{}, Errs: map[string]string{}}
}

// setErr puts msg beside field (the first error of a field wins).
func (f *parentForm) setErr(field, msg string) {
	if _, ok := f.Errs[field]; ok {
		return
	}
	f.Errs[field] = msg
	f.List = append(f.List, parentFieldErr{Field: field, Msg: msg})
	if f.Focus == "" {
		f.Focus = field
	}
}

// addValidation puts each problem of a *family.ValidationError beside its
// field; it reports whether err was one.
func (f *parentForm) addValidation(lang string, err error) bool {
	var ve *family.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve.Errors {
		f.setErr(fe.Field, fe.Message(lang))
	}
	return true
}

// waitText says how long a throttled parent must wait, in whole minutes.
func waitText(lang string, err error) string {
	var te *family.ThrottledError
	d := time.Minute
	if errors.As(err, &te) {
		d = te.RetryAfter
	}
	m := int(math.Ceil(d.Minutes()))
	if lang == "en" {
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d phút", m)
}

// parentRetryAfter sets Retry-After for a throttled request.
func parentRetryAfter(w http.ResponseWriter, err error) {
	var te *family.ThrottledError
	if errors.As(err, &te) {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(te.RetryAfter.Seconds())), 10))
	}
}

// parentBody parses a bounded form body; false (after answering 400 or
// 413) when it cannot.
func (s *Server) parentBody(w http.ResponseWriter, r *http.Request) bool {
	if r.PostForm != nil {
		return true
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "toolarge")
		} else {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
		}
		return false
	}
	return true
}

// clip bounds a value echoed back into a form.
func clip(v string, n int) string {
	if len(v) > n {
		v = v[:n]
	}
	return strings.ToValidUTF8(v, "")
}
