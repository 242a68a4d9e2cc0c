package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Authenticate checks an e-mail and password from client ip. On success it
// returns a new session: StageFull for a viewer, StagePassword when a TOTP
// code is due next, StageEnrol when the user must first set TOTP up.
// Failures are ErrInvalidCredentials whether or not the account exists, or
// *ThrottledError after too many failures for the account or the address.
func (s *Service) Authenticate(ctx context.Context, email, password, ip string) (*Login, error) {
	email = NormalizeEmail(email)
	acctKey, ipKey := "acct:"+email, "ip:"+ip
	now := s.now()
	if err := s.throttled(ctx, now, acctKey, ipKey); err != nil {
		return nil, err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("reading user: %w", err)
	}
	hash := s.dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, err := s.verify(ctx, password, hash)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// A malformed stored hash: log it, and refuse like a wrong password.
		s.log.ErrorContext(ctx, "verifying password", "user", u.ID, "err", err)
	}
	if !ok || u == nil || u.Disabled {
		s.fail(ctx, acctKey, s.cfg.AccountFailures, now)
		s.fail(ctx, ipKey, s.cfg.IPFailures, now)
		a, id, detail := Actor{IP: ip}, int64(0), "unknown account"
		if u != nil {
			a, id, detail = ActorOf(u, ip), u.ID, "wrong password"
			if u.Disabled {
				detail = "disabled account"
			}
		}
		if err := s.record(ctx, a, "auth.login_failed", id, detail); err != nil {
			s.log.ErrorContext(ctx, "auditing failed sign-in", "err", err)
		}
		return nil, ErrInvalidCredentials
	}
	s.unthrottle(ctx, acctKey)
	if NeedsRehash(u.PasswordHash, s.cfg.Hash) {
		if h, err := s.hash(ctx, password); err == nil {
			u.PasswordHash = h
			u.UpdatedAt = now.UTC()
			if err := s.store.UpdateUser(ctx, u); err != nil {
				s.log.WarnContext(ctx, "storing rehashed password", "user", u.ID, "err", err)
			}
		}
	}
	stage := StageFull
	switch {
	case u.Role.NeedsTOTP() && u.TOTPEnabled:
		stage = StagePassword
	case u.Role.NeedsTOTP():
		stage = StageEnrol
	}
	if stage == StageFull {
		return s.completeLogin(ctx, u, ip, "password")
	}
	if err := s.record(ctx, ActorOf(u, ip), "auth.password_ok", u.ID, "next="+string(stage)); err != nil {
		return nil, err
	}
	return s.newSession(ctx, u, stage, ip)
}

// throttled returns a *ThrottledError when any key is locked at now.
func (s *Service) throttled(ctx context.Context, now time.Time, keys ...string) error {
	var wait time.Duration
	for _, k := range keys {
		w, err := s.throttle.wait(ctx, k, now)
		if err != nil {
			return fmt.Errorf("reading sign-in throttle: %w", err)
		}
		wait = max(wait, w)
	}
	if wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	return nil
}

// fail counts a failure of key. The caller refuses the attempt whatever
// happens here; a failure that could not be counted is logged.
func (s *Service) fail(ctx context.Context, key string, limit int, now time.Time) {
	if err := s.throttle.fail(ctx, key, limit, now); err != nil {
		s.log.ErrorContext(ctx, "counting a sign-in failure", "err", err)
	}
}

// unthrottle forgets key's failures.
func (s *Service) unthrottle(ctx context.Context, key string) {
	if err := s.throttle.reset(ctx, key); err != nil {
		s.log.ErrorContext(ctx, "resetting the sign-in throttle", "err", err)
	}
}

// completeLogin records a finished sign-in and issues a full session.
func (s *Service) completeLogin(ctx context.Context, u *User, ip, how string) (*Login, error) {
	now := s.now().UTC()
	u.LastLoginAt, u.UpdatedAt = now, now
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("recording sign-in time: %w", err)
	}
	if err := s.record(ctx, ActorOf(u, ip), "auth.login", u.ID, how); err != nil {
		return nil, err
	}
	return s.newSession(ctx, u, StageFull, ip)
}

// pending returns the session at stage named by token, and its user.
func (s *Service) pending(ctx context.Context, token string, stage Stage) (*Session, *User, error) {
	sess, u, err := s.Lookup(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	if sess.Stage != stage {
		return nil, nil, ErrNoSession
	}
	return sess, u, nil
}

// VerifyTOTP completes a sign-in at StagePassword with a code from the
// user's app. On success the half-session is replaced by a full one with a
// new token. A wrong code, or a code already used, is ErrInvalidCode;
// failures count toward the account's lock-out.
func (s *Service) VerifyTOTP(ctx context.Context, token, code, ip string) (*Login, error) {
	sess, u, err := s.pending(ctx, token, StagePassword)
	if err != nil {
		return nil, err
	}
	if err := s.checkCode(ctx, u, code, ip); err != nil {
		return nil, err
	}
	if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return nil, fmt.Errorf("replacing session: %w", err)
	}
	return s.completeLogin(ctx, u, ip, "password+totp")
}

// checkCode verifies code against u's secret, refusing replays, and
// counts failures toward the lock-out.
func (s *Service) checkCode(ctx context.Context, u *User, code, ip string) error {
	now := s.now()
	acctKey := "acct:" + u.Email
	if err := s.throttled(ctx, now, acctKey); err != nil {
		return err
	}
	key, err := s.openSecret(u.TOTPSecret)
	if err != nil {
		return err
	}
	step := matchTOTP(key, code, now)
	detail := "wrong code"
	if step >= 0 {
		used, err := s.store.UseTOTPStep(ctx, u.ID, step)
		if err != nil {
			return fmt.Errorf("recording TOTP step: %w", err)
		}
		if used {
			s.unthrottle(ctx, acctKey)
			u.TOTPLastStep = step
			return nil
		}
		detail = "code replayed"
	}
	s.fail(ctx, acctKey, s.cfg.AccountFailures, now)
	if err := s.record(ctx, ActorOf(u, ip), "auth.totp_failed", u.ID, detail); err != nil {
		s.log.ErrorContext(ctx, "auditing failed code", "err", err)
	}
	return ErrInvalidCode
}

// Enrolment is what a user needs to set up their authenticator app.
type Enrolment struct {
	Secret string // base32, to type in by hand
	URI    string // otpauth://totp/…, for a QR code or a tap on the phone
}

// StartEnrolment returns the TOTP secret for a session at StageEnrol,
// creating and storing it (pending) on first call; later calls return the
// same secret so a reload does not invalidate what the user scanned.
func (s *Service) StartEnrolment(ctx context.Context, token string) (*Enrolment, error) {
	_, u, err := s.pending(ctx, token, StageEnrol)
	if err != nil {
		return nil, err
	}
	var key []byte
	if u.TOTPSecret != nil {
		if key, err = s.openSecret(u.TOTPSecret); err != nil {
			return nil, err
		}
	} else {
		if key, err = NewTOTPSecret(); err != nil {
			return nil, err
		}
		if u.TOTPSecret, err = s.sealSecret(key); err != nil {
			return nil, err
		}
		u.UpdatedAt = s.now().UTC()
		if err := s.store.UpdateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("storing TOTP secret: %w", err)
		}
	}
	return &Enrolment{Secret: EncodeSecret(key), URI: ProvisioningURI(s.cfg.Issuer, u.Email, key)}, nil
}

// EnrolTOTP confirms the app works with a first code, turns TOTP on, and
// replaces the half-session with a full one.
func (s *Service) EnrolTOTP(ctx context.Context, token, code, ip string) (*Login, error) {
	sess, u, err := s.pending(ctx, token, StageEnrol)
	if err != nil {
		return nil, err
	}
	if u.TOTPSecret == nil {
		return nil, ErrInvalidCode
	}
	if err := s.checkCode(ctx, u, code, ip); err != nil {
		return nil, err
	}
	u.TOTPEnabled = true
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("enabling TOTP: %w", err)
	}
	if err := s.record(ctx, ActorOf(u, ip), "auth.totp_enrolled", u.ID, ""); err != nil {
		return nil, err
	}
	if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return nil, fmt.Errorf("replacing session: %w", err)
	}
	return s.completeLogin(ctx, u, ip, "password+totp")
}

// ChangePassword changes the password of the user of the full session
// named by token, after checking the current one. Every session of the user
// ends, and a new full session is returned for this browser.
func (s *Service) ChangePassword(ctx context.Context, token, current, next, ip string) (*Login, error) {
	_, u, err := s.pending(ctx, token, StageFull)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acctKey := "acct:" + u.Email
	if err := s.throttled(ctx, now, acctKey); err != nil {
		return nil, err
	}
	ok, err := s.verify(ctx, current, u.PasswordHash)
	if err != nil || !ok {
		s.fail(ctx, acctKey, s.cfg.AccountFailures, now)
		if err := s.record(ctx, ActorOf(u, ip), "auth.password_change_failed", u.ID, "wrong current password"); err != nil {
			s.log.ErrorContext(ctx, "auditing failed password change", "err", err)
		}
		return nil, ErrWrongPassword
	}
	if err := CheckPasswordPolicy(next); err != nil {
		return nil, err
	}
	if next == current {
		return nil, fmt.Errorf("%w: the new password equals the old one", ErrPasswordCommon)
	}
	if u.PasswordHash, err = s.hash(ctx, next); err != nil {
		return nil, err
	}
	u.MustChangePassword = false
	u.PasswordChangedAt = now.UTC()
	if err := s.saveAndRevoke(ctx, u); err != nil {
		return nil, err
	}
	if err := s.record(ctx, ActorOf(u, ip), "user.password_change", u.ID, ""); err != nil {
		return nil, err
	}
	return s.newSession(ctx, u, StageFull, ip)
}

// sealSecret stores key sealed, or behind a 0 byte when there is no Sealer.
func (s *Service) sealSecret(key []byte) ([]byte, error) {
	if s.cfg.Sealer == nil {
		return append([]byte{0}, key...), nil
	}
	sealed, err := s.cfg.Sealer.Seal(key)
	if err != nil {
		return nil, fmt.Errorf("sealing TOTP secret: %w", err)
	}
	if len(sealed) == 0 || sealed[0] == 0 {
		return nil, errors.New("auth: sealer output starts with the reserved byte 0")
	}
	return sealed, nil
}

func (s *Service) openSecret(stored []byte) ([]byte, error) {
	switch {
	case len(stored) == 0:
		return nil, errors.New("auth: user has no TOTP secret")
	case stored[0] == 0:
		return stored[1:], nil
	case s.cfg.Sealer == nil:
		return nil, errors.New("auth: TOTP secret is sealed but no key is configured")
	}
	key, err := s.cfg.Sealer.Open(stored)
	if err != nil {
		return nil, fmt.Errorf("opening TOTP secret: %w", err)
	}
	return key, nil
}
