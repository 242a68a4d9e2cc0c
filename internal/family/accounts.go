package family

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/auth"
)

// SignUp is what a parent types to make an account.
type SignUp struct {
	Login       string // an e-mail or a Vietnamese phone number
	Password    string
	Name        string // optional
	SchoolOrgID int64  // optional: the school that approves (families.approval: school)
	Lang        string // "vi" (default) or "en"
}

// tokenHash is the stored form of a session or reset token.
func tokenHash(kind, token string) string {
	sum := sha256.Sum256([]byte("manglanh-parent-" + kind + ":" + token))
	return hex.EncodeToString(sum[:])
}

// sanitized returns a copy of p without its password hash.
func sanitized(p *Parent) *Parent {
	c := *p
	c.PasswordHash = ""
	return &c
}

// SignUp makes a parent account: active at once when families.approval is
// "none", pending otherwise. Every field is checked first; problems come
// back together as one *ValidationError. A login already used is
// ErrLoginTaken (the web says so: sign-up cannot hide it, since the
// account must be unique; the reset page never tells).
func (s *Service) SignUp(ctx context.Context, in SignUp) (*Parent, error) {
	var v ValidationError
	email, phone, fe := NormalizeLogin(in.Login)
	v.check(fe)
	v.check(checkPassword("password", in.Password))
	name := strings.TrimSpace(in.Name)
	v.check(validName("name", name))
	if err := s.validSchool(ctx, &v, "school", in.SchoolOrgID); err != nil {
		return nil, err
	}
	lang := in.Lang
	if lang != "en" {
		lang = "vi"
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	hash, err := s.cfg.Hasher.Hash(in.Password)
	if err != nil {
		return nil, fmt.Errorf("hashing password: %w", err)
	}
	now := s.now().UTC()
	p := &Parent{Email: email, Phone: phone, Name: name, PasswordHash: hash, Status: StatusActive,
		SchoolOrgID: in.SchoolOrgID, Lang: lang, WeeklyEmail: email != "", CreatedAt: now, UpdatedAt: now}
	if s.cfg.Approval != ApprovalNone {
		p.Status = StatusPending
	}
	if err := s.store.CreateParent(ctx, p, nil); err != nil {
		if errors.Is(err, ErrLoginTaken) {
			return nil, ErrLoginTaken
		}
		return nil, fmt.Errorf("creating parent: %w", err)
	}
	s.audit(ctx, Actor{Parent: p}, "family.signed_up", p.ID, "status="+string(p.Status))
	return sanitized(p), nil
}

// checkPassword applies the staff password policy.
func checkPassword(field, pw string) *FieldError {
	switch err := auth.CheckPasswordPolicy(pw); {
	case err == nil && len(pw) <= auth.MaxPasswordLength:
		return nil
	case errors.Is(err, auth.ErrPasswordTooShort):
		return &FieldError{Field: field, Vi: fmt.Sprintf("Mật khẩu cần ít nhất %d ký tự.", auth.MinPasswordLength),
			En: fmt.Sprintf("The password needs at least %d characters.", auth.MinPasswordLength)}
	case errors.Is(err, auth.ErrPasswordCommon):
		return &FieldError{Field: field, Vi: "Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.",
			En: "This password is too common and easy to guess. Choose another one."}
	}
	return &FieldError{Field: field, Vi: fmt.Sprintf("Mật khẩu dài quá %d byte.", auth.MaxPasswordLength),
		En: fmt.Sprintf("The password is longer than %d bytes.", auth.MaxPasswordLength)}
}

// dummy returns a hash to verify against when the login is unknown, so an
// unknown login takes as long as a wrong password.
func (s *Service) dummy() string {
	s.dummyOnce.Do(func() {
		h, err := s.cfg.Hasher.Hash("manglanh-no-such-parent")
		if err == nil {
			s.dummyHash = h
		}
	})
	return s.dummyHash
}

// Login checks a login and password and opens a session; it returns the
// cookie token. A pending parent gets a session too (their pages say they
// wait for approval). Repeated failures lock the login and the address for
// a while (*ThrottledError); an unknown login, a wrong password and a
// disabled account are all ErrBadLogin.
func (s *Service) Login(ctx context.Context, login, password, ip string) (string, *Parent, error) {
	key := loginKey(login)
	acctKey, ipKey := "acct:"+key, "ip:"+ip
	now := s.now()
	for _, k := range []string{acctKey, ipKey} {
		if d, err := s.throttle.Wait(ctx, k, now); err != nil {
			return "", nil, fmt.Errorf("reading sign-in throttle: %w", err)
		} else if d > 0 {
			return "", nil, &ThrottledError{RetryAfter: d}
		}
	}
	var p *Parent
	if email, phone, fe := NormalizeLogin(login); fe == nil {
		found, err := s.store.ParentByLogin(ctx, email+phone)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return "", nil, fmt.Errorf("reading parent: %w", err)
		}
		p = found
	}
	hash := s.dummy()
	if p != nil {
		hash = p.PasswordHash
	}
	ok := false
	if len(password) <= auth.MaxPasswordLength {
		var err error
		ok, err = s.cfg.Hasher.Verify(password, hash)
		if err != nil && p != nil {
			s.log.ErrorContext(ctx, "verifying parent password", "parent", p.ID, "err", err)
		}
	}
	if !ok || p == nil || p.Status == StatusDisabled {
		s.throttleFail(ctx, acctKey, AccountFailures, now)
		s.throttleFail(ctx, ipKey, IPFailures, now)
		if p != nil {
			s.audit(ctx, Actor{Parent: p, IP: ip}, "family.login_failed", p.ID, "")
		}
		return "", nil, ErrBadLogin
	}
	s.throttleReset(ctx, acctKey)
	token, err := s.openSession(ctx, p, ip)
	if err != nil {
		return "", nil, err
	}
	p.LastLoginAt = now.UTC()
	if err := s.store.UpdateParent(ctx, p); err != nil {
		s.log.WarnContext(ctx, "recording parent sign-in", "parent", p.ID, "err", err)
	}
	s.audit(ctx, Actor{Parent: p, IP: ip}, "family.login", p.ID, "")
	return token, sanitized(p), nil
}

// loginKey is the throttle key of what was typed (normalised when it can
// be, so "0912…" and "+84912…" share one count).
func loginKey(login string) string {
	if email, phone, fe := NormalizeLogin(login); fe == nil {
		return email + phone
	}
	l := strings.ToLower(strings.TrimSpace(login))
	if len(l) > 100 {
		l = l[:100]
	}
	return l
}

func (s *Service) openSession(ctx context.Context, p *Parent, ip string) (string, error) {
	token, err := randomToken(32)
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	if len(ip) > 64 {
		ip = ip[:64]
	}
	if err := s.store.CreateParentSession(ctx, &Session{TokenHash: tokenHash("session", token), ParentID: p.ID,
		CreatedAt: now, LastSeen: now, IP: ip}); err != nil {
		return "", fmt.Errorf("creating parent session: %w", err)
	}
	return token, nil
}

// Session returns the parent of a live session token; ErrNotFound when the
// token is unknown, expired, or its account disabled.
func (s *Service) Session(ctx context.Context, token string) (*Parent, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNotFound
	}
	h := tokenHash("session", token)
	sess, err := s.store.ParentSession(ctx, h)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Sub(sess.LastSeen) > SessionIdle || now.Sub(sess.CreatedAt) > SessionAbsolute {
		if err := s.store.DeleteParentSession(ctx, h); err != nil {
			s.log.WarnContext(ctx, "deleting expired parent session", "err", err)
		}
		return nil, ErrNotFound
	}
	p, err := s.store.ParentByID(ctx, sess.ParentID)
	if err != nil {
		return nil, err
	}
	if p.Status == StatusDisabled {
		if err := s.store.DeleteParentSessions(ctx, p.ID); err != nil {
			s.log.WarnContext(ctx, "deleting disabled parent's sessions", "err", err)
		}
		return nil, ErrNotFound
	}
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.store.TouchParentSession(ctx, h, now.UTC()); err != nil {
			s.log.WarnContext(ctx, "touching parent session", "err", err)
		}
	}
	return sanitized(p), nil
}

// Logout ends the session of token (nothing when there is none).
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" || len(token) > 100 {
		return nil
	}
	return s.store.DeleteParentSession(ctx, tokenHash("session", token))
}

// ChangePassword changes the signed-in parent's password after checking the
// current one, clears MustChangePassword, and ends every other session
// (the caller's token stays valid).
func (s *Service) ChangePassword(ctx context.Context, a Actor, token, current, next string) error {
	if !a.isParent() {
		return ErrNotFound
	}
	p, err := s.store.ParentByID(ctx, a.Parent.ID)
	if err != nil {
		return err
	}
	var v ValidationError
	ok, _ := s.cfg.Hasher.Verify(current, p.PasswordHash)
	if len(current) > auth.MaxPasswordLength || !ok {
		v.add("current", "Mật khẩu hiện tại không đúng.", "The current password is wrong.")
	}
	v.check(checkPassword("password", next))
	if current == next && ok {
		v.add("password", "Mật khẩu mới phải khác mật khẩu hiện tại.", "The new password must differ from the current one.")
	}
	if err := v.err(); err != nil {
		return err
	}
	hash, err := s.cfg.Hasher.Hash(next)
	if err != nil {
		return fmt.Errorf("hashing password: %w", err)
	}
	p.PasswordHash = hash
	p.MustChangePassword = false
	p.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateParent(ctx, p); err != nil {
		return err
	}
	if err := s.store.DeleteParentSessions(ctx, p.ID); err != nil {
		return err
	}
	if token != "" {
		// Keep the caller signed in with a fresh session.
		now := s.now().UTC()
		if err := s.store.CreateParentSession(ctx, &Session{TokenHash: tokenHash("session", token), ParentID: p.ID,
			CreatedAt: now, LastSeen: now, IP: a.IP}); err != nil {
			return fmt.Errorf("renewing session: %w", err)
		}
	}
	s.audit(ctx, a, "family.password_changed", p.ID, "")
	return nil
}

// PendingParents lists the accounts a may approve: every pending parent for
// the ward's officer and admin; for a school account, those who chose its
// school (when families.approval is "school"). Anyone else: ErrForbidden.
func (s *Service) PendingParents(ctx context.Context, a Actor) ([]Parent, error) {
	var ps []Parent
	var err error
	switch {
	case a.isWardStaff():
		ps, err = s.store.Parents(ctx, StatusPending, 0, 500)
	case a.isSchoolStaff() && a.StaffRole == "school" && s.cfg.Approval == ApprovalSchool:
		ps, err = s.store.Parents(ctx, StatusPending, a.StaffOrgID, 500)
	default:
		return nil, ErrForbidden
	}
	for i := range ps {
		ps[i].PasswordHash = ""
	}
	return ps, err
}

// mayDecide reports whether a may approve or refuse p.
func (s *Service) mayDecide(a Actor, p *Parent) bool {
	switch {
	case a.isWardStaff():
		return true
	case a.isSchoolStaff() && a.StaffRole == "school" && s.cfg.Approval == ApprovalSchool:
		return p.SchoolOrgID == a.StaffOrgID
	}
	return false
}

// ApproveParent makes a pending account active. ErrNotFound when the
// account is not pending or not a's to decide.
func (s *Service) ApproveParent(ctx context.Context, a Actor, parentID int64) error {
	return s.decide(ctx, a, parentID, StatusActive, "family.parent_approved")
}

// RefuseParent disables a pending account (it can no longer sign in).
func (s *Service) RefuseParent(ctx context.Context, a Actor, parentID int64) error {
	return s.decide(ctx, a, parentID, StatusDisabled, "family.parent_refused")
}

func (s *Service) decide(ctx context.Context, a Actor, parentID int64, to Status, action string) error {
	if !a.isStaff() {
		return ErrForbidden
	}
	p, err := s.store.ParentByID(ctx, parentID)
	if err != nil {
		return err
	}
	if p.Status != StatusPending || !s.mayDecide(a, p) {
		return ErrNotFound
	}
	p.Status = to
	p.ApprovedBy = a.String()
	p.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateParent(ctx, p); err != nil {
		return err
	}
	if to == StatusDisabled {
		if err := s.store.DeleteParentSessions(ctx, p.ID); err != nil {
			return err
		}
	}
	s.audit(ctx, a, action, p.ID, "")
	return nil
}

// DeleteAccount deletes the signed-in parent's account and everything it
// owns (the children's profiles and devices stop being filtered as theirs
// at the next policy reload), after checking the password: the parent's
// right to deletion (Law 91/2025, Decree 56/2017 Art. 36).
func (s *Service) DeleteAccount(ctx context.Context, a Actor, password string) error {
	if !a.isParent() {
		return ErrNotFound
	}
	p, err := s.store.ParentByID(ctx, a.Parent.ID)
	if err != nil {
		return err
	}
	if ok, _ := s.cfg.Hasher.Verify(password, p.PasswordHash); len(password) > auth.MaxPasswordLength || !ok {
		var v ValidationError
		v.add("delete_password", "Mật khẩu không đúng.", "The password is wrong.")
		return &v
	}
	if err := s.store.DeleteParent(ctx, p.ID); err != nil {
		return err
	}
	s.audit(ctx, a, "family.account_deleted", p.ID, "")
	return nil
}
