package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Recovery codes stand in for a TOTP code at sign-in when the phone is
// lost. A ward admin issues a set; each code works once; issuing a new set
// voids the old one. Only their SHA-256 is stored: a code has 80 random
// bits, so a stolen database does not give them away.
const (
	// RecoveryCodeCount is how many codes one issue makes.
	RecoveryCodeCount = 10
	// recoveryCodeLen is the length of a code without its dashes.
	recoveryCodeLen = 16
	// recoveryAlphabet is RFC 4648 base32: letters and the digits 2–7, so
	// no 0/O or 1/I pair to confuse when typing a code in.
	recoveryAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

// newRecoveryCode draws one code, shown as four groups of four
// ("ABCD-EFGH-2345-JKLM").
func newRecoveryCode() (string, error) {
	b := make([]byte, recoveryCodeLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("drawing a recovery code: %w", err)
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(recoveryAlphabet[x&31]) // 256 is a multiple of 32: no bias
	}
	return sb.String(), nil
}

// normalizeRecoveryCode upper-cases code and drops spaces and dashes; it
// returns "" for anything that cannot be a code.
func normalizeRecoveryCode(code string) string {
	if len(code) > 64 {
		return ""
	}
	var sb strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(recoveryAlphabet, r):
			sb.WriteRune(r)
		default:
			return ""
		}
	}
	if sb.Len() != recoveryCodeLen {
		return ""
	}
	return sb.String()
}

// recoveryHash is the stored form of a normalised code.
func recoveryHash(norm string) string {
	sum := sha256.Sum256([]byte("manglanh-recovery-v1:" + norm))
	return hex.EncodeToString(sum[:])
}

// IssueRecoveryCodes makes a new set of RecoveryCodeCount one-time codes
// for the user, voiding any earlier set, and returns them: this is the only
// time they exist in clear, so the caller shows them once and keeps them
// nowhere. Only a ward admin (or the CLI) may, for an account that signs
// in with two steps.
func (s *Service) IssueRecoveryCodes(ctx context.Context, actor Actor, userID int64) ([]string, error) {
	if !actor.isAdmin() {
		return nil, ErrForbidden
	}
	u, err := s.managed(ctx, actor, userID)
	if err != nil {
		return nil, err
	}
	return s.issueRecoveryCodes(ctx, actor, u)
}

// IssueOwnRecoveryCodes is IssueRecoveryCodes for the user of the full
// session named by token, who must give their current password again: a
// stolen session alone cannot mint codes that outlive it. A wrong password
// is ErrWrongPassword and counts toward the account's lock-out.
func (s *Service) IssueOwnRecoveryCodes(ctx context.Context, token, password, ip string) ([]string, error) {
	_, u, err := s.pending(ctx, token, StageFull)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acctKey := "acct:" + u.Email
	if err := s.throttled(ctx, now, acctKey); err != nil {
		return nil, err
	}
	ok, err := s.verify(ctx, password, u.PasswordHash)
	if err != nil || !ok {
		s.fail(ctx, acctKey, s.cfg.AccountFailures, now)
		if err := s.record(ctx, ActorOf(u, ip), "user.recovery_issue_failed", u.ID, "wrong password"); err != nil {
			s.log.ErrorContext(ctx, "auditing refused recovery codes", "err", err)
		}
		return nil, ErrWrongPassword
	}
	return s.issueRecoveryCodes(ctx, ActorOf(u, ip), u)
}

// OwnRecoveryCodesLeft counts the unused recovery codes of the user of the
// full session named by token.
func (s *Service) OwnRecoveryCodesLeft(ctx context.Context, token string) (int, error) {
	_, u, err := s.pending(ctx, token, StageFull)
	if err != nil {
		return 0, err
	}
	return s.store.RecoveryCodesLeft(ctx, u.ID)
}

func (s *Service) issueRecoveryCodes(ctx context.Context, actor Actor, u *User) ([]string, error) {
	if !u.Role.NeedsTOTP() {
		return nil, fmt.Errorf("%w: a %s account signs in without a second step", ErrInvalidInput, u.Role)
	}
	codes := make([]string, 0, RecoveryCodeCount)
	hashes := make([]string, 0, RecoveryCodeCount)
	for range RecoveryCodeCount {
		c, err := newRecoveryCode()
		if err != nil {
			return nil, err
		}
		codes = append(codes, c)
		hashes = append(hashes, recoveryHash(normalizeRecoveryCode(c)))
	}
	if err := s.store.ReplaceRecoveryCodes(ctx, u.ID, hashes, s.now().UTC()); err != nil {
		return nil, fmt.Errorf("storing recovery codes: %w", err)
	}
	if err := s.record(ctx, actor, "user.recovery_issued", u.ID, fmt.Sprintf("%d codes; earlier ones void", len(codes))); err != nil {
		return nil, err
	}
	return codes, nil
}

// RecoveryCodesLeft returns how many unused recovery codes a user has.
// Only a ward admin may ask.
func (s *Service) RecoveryCodesLeft(ctx context.Context, actor Actor, userID int64) (int, error) {
	if !actor.isAdmin() {
		return 0, ErrForbidden
	}
	return s.store.RecoveryCodesLeft(ctx, userID)
}

// VerifyRecoveryCode completes a sign-in at StagePassword with one of the
// user's recovery codes instead of a TOTP code. The code is used up. A
// wrong or already used code is ErrInvalidCode and counts toward the
// account's lock-out, as a wrong TOTP code does.
func (s *Service) VerifyRecoveryCode(ctx context.Context, token, code, ip string) (*Login, error) {
	sess, u, err := s.pending(ctx, token, StagePassword)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acctKey := "acct:" + u.Email
	if err := s.throttled(ctx, now, acctKey); err != nil {
		return nil, err
	}
	used := false
	detail := "malformed code"
	if norm := normalizeRecoveryCode(code); norm != "" {
		if used, err = s.store.UseRecoveryCode(ctx, u.ID, recoveryHash(norm), now.UTC()); err != nil {
			return nil, fmt.Errorf("using recovery code: %w", err)
		}
		detail = "unknown or used code"
	}
	if !used {
		s.fail(ctx, acctKey, s.cfg.AccountFailures, now)
		if err := s.record(ctx, ActorOf(u, ip), "auth.recovery_failed", u.ID, detail); err != nil {
			s.log.ErrorContext(ctx, "auditing failed recovery code", "err", err)
		}
		return nil, ErrInvalidCode
	}
	s.unthrottle(ctx, acctKey)
	left, err := s.store.RecoveryCodesLeft(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, ActorOf(u, ip), "auth.recovery_used", u.ID, fmt.Sprintf("%d codes left", left)); err != nil {
		return nil, err
	}
	if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
		return nil, fmt.Errorf("replacing session: %w", err)
	}
	return s.completeLogin(ctx, u, ip, "password+recovery_code")
}
