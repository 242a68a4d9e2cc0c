package family

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"manglanh/internal/auth"
)

// A parent who lost their password has three ways back:
//
//   - an e-mail reset link (RequestReset, then ResetWithToken), when the
//     account has an e-mail and the portal can send mail: one use, one hour,
//     only its hash stored; the answer never says whether an account exists;
//   - a recovery code (RecoverWithCode): ten one-time codes shown once,
//     right after sign-up (IssueRecoveryCodes);
//   - the ward's staff (StaffResetPassword), for a phone-only parent who
//     lost the codes too, after checking who they are in person: a
//     temporary password that must be changed at the next sign-in.

// RecoveryCodeCount is how many codes one issue makes.
const RecoveryCodeCount = 10

// codeHash is the stored form of a normalised code (its own prefix, so a
// staff code's hash never matches a parent's).
func codeHash(norm string) string {
	sum := sha256.Sum256([]byte("manglanh-parent-recovery:" + norm))
	return hex.EncodeToString(sum[:])
}

// IssueRecoveryCodes makes a new set of one-time recovery codes for the
// signed-in parent, voiding the old set, and returns them: the only time
// they exist in clear. password is checked again (a borrowed phone with a
// session open must not be enough); right after sign-up the web passes the
// password it has just received.
func (s *Service) IssueRecoveryCodes(ctx context.Context, a Actor, password string) ([]string, error) {
	if !a.isParent() {
		return nil, ErrNotFound
	}
	p, err := s.store.ParentByID(ctx, a.Parent.ID)
	if err != nil {
		return nil, err
	}
	if ok, _ := s.cfg.Hasher.Verify(password, p.PasswordHash); !ok {
		var v ValidationError
		v.add("password", "Mật khẩu không đúng.", "The password is wrong.")
		return nil, &v
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		c, err := auth.NewRecoveryCode()
		if err != nil {
			return nil, err
		}
		codes[i], hashes[i] = c, codeHash(auth.NormalizeRecoveryCode(c))
	}
	if err := s.store.ReplaceParentRecoveryCodes(ctx, p.ID, hashes, s.now().UTC()); err != nil {
		return nil, fmt.Errorf("storing recovery codes: %w", err)
	}
	s.audit(ctx, a, "family.recovery_codes_issued", p.ID, "")
	return codes, nil
}

// RecoveryCodesLeft is how many unused codes the parent has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, a Actor) (int, error) {
	if !a.isParent() {
		return 0, ErrNotFound
	}
	return s.store.ParentRecoveryCodesLeft(ctx, a.Parent.ID)
}

// RecoverWithCode sets a new password for login with one of its recovery
// codes, and signs the parent out everywhere. A wrong login or code is
// ErrBadLogin (which of the two is not told), throttled like sign-in.
func (s *Service) RecoverWithCode(ctx context.Context, login, code, password, ip string) error {
	key := "recover:" + loginKey(login)
	ipKey := "ip:" + ip
	now := s.now()
	for _, k := range []string{key, ipKey} {
		if d, err := s.throttle.Wait(ctx, k, now); err != nil {
			return fmt.Errorf("reading sign-in throttle: %w", err)
		} else if d > 0 {
			return &ThrottledError{RetryAfter: d}
		}
	}
	if fe := checkPassword("password", password); fe != nil {
		return &ValidationError{Errors: []FieldError{*fe}}
	}
	fail := func() error {
		s.throttleFail(ctx, key, AccountFailures, now)
		s.throttleFail(ctx, ipKey, IPFailures, now)
		return ErrBadLogin
	}
	email, phone, fe := NormalizeLogin(login)
	norm := auth.NormalizeRecoveryCode(code)
	if fe != nil || norm == "" {
		return fail()
	}
	p, err := s.store.ParentByLogin(ctx, email+phone)
	if errors.Is(err, ErrNotFound) {
		return fail()
	}
	if err != nil {
		return err
	}
	if p.Status == StatusDisabled {
		return fail()
	}
	ok, err := s.store.UseParentRecoveryCode(ctx, p.ID, codeHash(norm), now.UTC())
	if err != nil {
		return err
	}
	if !ok {
		return fail()
	}
	s.throttleReset(ctx, key)
	if err := s.setPassword(ctx, p, password, false); err != nil {
		return err
	}
	s.audit(ctx, Actor{Parent: p, IP: ip}, "family.recovered_with_code", p.ID, "")
	return nil
}

func (s *Service) setPassword(ctx context.Context, p *Parent, password string, mustChange bool) error {
	hash, err := s.cfg.Hasher.Hash(password)
	if err != nil {
		return fmt.Errorf("hashing password: %w", err)
	}
	p.PasswordHash = hash
	p.MustChangePassword = mustChange
	p.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateParent(ctx, p); err != nil {
		return err
	}
	return s.store.DeleteParentSessions(ctx, p.ID)
}

// RequestReset e-mails a one-hour, one-use reset link when login is the
// e-mail of an account and the portal can send mail. It returns nil
// whether or not an account exists, so the answer tells nothing; only a
// malformed login (*ValidationError), throttling and store failures are
// errors. Requests are throttled per address and per login.
func (s *Service) RequestReset(ctx context.Context, login, ip string) error {
	email, _, fe := NormalizeLogin(login)
	if fe != nil {
		return &ValidationError{Errors: []FieldError{*fe}}
	}
	now := s.now()
	key, ipKey := "reset:"+loginKey(login), "resetip:"+ip
	for _, k := range []string{key, ipKey} {
		if d, err := s.throttle.Wait(ctx, k, now); err != nil {
			return fmt.Errorf("reading sign-in throttle: %w", err)
		} else if d > 0 {
			return &ThrottledError{RetryAfter: d}
		}
	}
	// Every request counts: 3 links per login, 20 per address, then a pause.
	s.throttleFail(ctx, key, 3, now)
	s.throttleFail(ctx, ipKey, 20, now)
	if email == "" || !s.HasMailer() {
		return nil
	}
	p, err := s.store.ParentByLogin(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if p.Status == StatusDisabled {
		return nil
	}
	token, err := randomToken(32)
	if err != nil {
		return err
	}
	if err := s.store.CreateResetToken(ctx, p.ID, tokenHash("reset", token), now.Add(ResetTTL).UTC()); err != nil {
		return fmt.Errorf("storing reset token: %w", err)
	}
	link := strings.TrimSuffix(s.cfg.PortalURL, "/") + "/gia-dinh/dat-lai/" + token
	subject, body := resetMail(p.Lang, link)
	if err := s.cfg.Mailer.Send(ctx, p.Email, subject, body); err != nil {
		s.log.ErrorContext(ctx, "sending parent reset link", "parent", p.ID, "err", err)
	}
	s.audit(ctx, Actor{Parent: p, IP: ip}, "family.reset_requested", p.ID, "")
	return nil
}

func resetMail(lang, link string) (string, string) {
	if lang == "en" {
		return "Mạng Lành: choose a new password",
			"Someone (we hope you) asked to reset the password of your Mạng Lành family account.\n\n" +
				"Open this link within one hour to choose a new password (it works once):\n" + link + "\n\n" +
				"If you did not ask, ignore this e-mail: your password stays as it is.\n"
	}
	return "Mạng Lành: đặt lại mật khẩu",
		"Có người (hy vọng là bạn) vừa yêu cầu đặt lại mật khẩu tài khoản gia đình Mạng Lành của bạn.\n\n" +
			"Hãy mở liên kết này trong vòng một giờ để chọn mật khẩu mới (chỉ dùng được một lần):\n" + link + "\n\n" +
			"Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn vẫn giữ nguyên.\n"
}

// CheckResetToken returns ErrBadToken unless token is a live reset link.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	if token == "" || len(token) > 100 {
		return ErrBadToken
	}
	_, err := s.store.ResetTokenParent(ctx, tokenHash("reset", token), s.now().UTC())
	if errors.Is(err, ErrNotFound) {
		return ErrBadToken
	}
	return err
}

// ResetWithToken sets a new password with a live reset link, uses the
// link up, and signs the parent out everywhere.
func (s *Service) ResetWithToken(ctx context.Context, token, password string) error {
	if token == "" || len(token) > 100 {
		return ErrBadToken
	}
	if fe := checkPassword("password", password); fe != nil {
		return &ValidationError{Errors: []FieldError{*fe}}
	}
	hash, err := s.cfg.Hasher.Hash(password)
	if err != nil {
		return fmt.Errorf("hashing password: %w", err)
	}
	id, err := s.store.UseResetToken(ctx, tokenHash("reset", token), s.now().UTC(), hash)
	if errors.Is(err, ErrNotFound) {
		return ErrBadToken
	}
	if err != nil {
		return err
	}
	s.audit(ctx, Actor{Parent: &Parent{ID: id}}, "family.reset_with_link", id, "")
	return nil
}

// FindParent looks a parent up by e-mail or phone for the ward's staff
// (to reset a password or see a pending account); ErrForbidden for others.
func (s *Service) FindParent(ctx context.Context, a Actor, login string) (*Parent, error) {
	if !a.isWardStaff() {
		return nil, ErrForbidden
	}
	email, phone, fe := NormalizeLogin(login)
	if fe != nil {
		return nil, &ValidationError{Errors: []FieldError{*fe}}
	}
	p, err := s.store.ParentByLogin(ctx, email+phone)
	if err != nil {
		return nil, err
	}
	return sanitized(p), nil
}

// StaffResetPassword gives a parent a temporary password (returned, to be
// handed over in person) that must be changed at the next sign-in, and
// signs them out everywhere. Only the ward's officer or admin may.
func (s *Service) StaffResetPassword(ctx context.Context, a Actor, parentID int64) (string, error) {
	if !a.isWardStaff() {
		return "", ErrForbidden
	}
	p, err := s.store.ParentByID(ctx, parentID)
	if err != nil {
		return "", err
	}
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("drawing a temporary password: %w", err)
	}
	for i := range b {
		b[i] = labelAlphabet[b[i]&31]
	}
	temp := string(b[:5]) + "-" + string(b[5:])
	if err := s.setPassword(ctx, p, temp, true); err != nil {
		return "", err
	}
	s.audit(ctx, a, "family.password_reset_by_staff", p.ID, "")
	return temp, nil
}
