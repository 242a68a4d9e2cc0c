package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

func TestRecoveryCodeFormat(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	shape := regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$`)
	for range 200 {
		c, err := newRecoveryCode()
		if err != nil {
			t.Fatal(err)
		}
		if !shape.MatchString(c) || seen[c] {
			t.Fatalf("code %q (repeat %v)", c, seen[c])
		}
		seen[c] = true
	}
	for in, want := range map[string]string{
		"abcd-efgh-2345-jklm":     "ABCDEFGH2345JKLM",
		" ABCD EFGH 2345 JKLM ":   "ABCDEFGH2345JKLM",
		"ABCDEFGH2345JKLM":        "ABCDEFGH2345JKLM",
		"ABCD-EFGH-2345-JKL":      "",
		"ABCD-EFGH-2345-JKLM1":    "",
		"ABCD-EFGH-2345-JKL0":     "",
		"ABCD-EFGH-2345-JKLM;--'": "",
		"":                        "",
	} {
		if got := normalizeRecoveryCode(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRecoveryCodesSignInOnceEach: an admin issues ten codes; each signs
// in once in place of a TOTP code, never twice; a new set voids the old;
// issue and use are audited; only admins issue, and not for viewers.
func TestRecoveryCodesSignInOnceEach(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	admin := f.add(t, "admin@phuong.vn", RoleWardAdmin, 0)
	u := f.add(t, "canbo@phuong.vn", RoleOfficer, 0)
	viewer := f.add(t, "xem@phuong.vn", RoleViewer, 0)
	f.signIn(t, "canbo@phuong.vn") // enrols TOTP

	if _, err := f.svc.IssueRecoveryCodes(ctx, ActorOf(u, ""), u.ID); !errors.Is(err, ErrForbidden) {
		t.Fatalf("officer issues codes: %v", err)
	}
	if _, err := f.svc.IssueRecoveryCodes(ctx, ActorOf(admin, ""), viewer.ID); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("codes for a viewer: %v", err)
	}
	codes, err := f.svc.IssueRecoveryCodes(ctx, ActorOf(admin, "192.0.2.9"), u.ID)
	if err != nil || len(codes) != RecoveryCodeCount {
		t.Fatalf("issue: %d codes, %v", len(codes), err)
	}
	// What the store gets is the hash of each code, never the code.
	for _, c := range codes {
		if _, ok := f.store.recovery[u.ID][recoveryHash(normalizeRecoveryCode(c))]; !ok {
			t.Fatalf("code %s is not stored as its hash", c)
		}
		if _, ok := f.store.recovery[u.ID][normalizeRecoveryCode(c)]; ok {
			t.Fatal("a code is stored in clear")
		}
	}
	if n, _ := f.svc.RecoveryCodesLeft(ctx, ActorOf(admin, ""), u.ID); n != RecoveryCodeCount {
		t.Fatalf("left %d", n)
	}

	signInWith := func(code string) error {
		l, err := f.svc.Authenticate(ctx, "canbo@phuong.vn", "mat khau du dai", "192.0.2.1")
		if err != nil || l.Stage != StagePassword {
			t.Fatalf("password step: %+v %v", l, err)
		}
		full, err := f.svc.VerifyRecoveryCode(ctx, l.Token, code, "192.0.2.1")
		if err == nil && (full.Stage != StageFull || full.Token == l.Token) {
			t.Fatalf("recovery sign-in %+v", full)
		}
		return err
	}
	if err := signInWith(strings.ToLower(strings.ReplaceAll(codes[0], "-", " "))); err != nil {
		t.Fatalf("first code, typed loosely: %v", err)
	}
	if err := signInWith(codes[0]); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("a used code signed in again: %v", err)
	}
	if err := signInWith(codes[1]); err != nil {
		t.Fatalf("second code: %v", err)
	}
	if n, _ := f.svc.RecoveryCodesLeft(ctx, ActorOf(admin, ""), u.ID); n != RecoveryCodeCount-2 {
		t.Fatalf("left %d, want %d", n, RecoveryCodeCount-2)
	}
	// A new set voids every old code.
	fresh, err := f.svc.IssueRecoveryCodes(ctx, ActorOf(admin, ""), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := signInWith(codes[2]); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("an old code works after a new issue: %v", err)
	}
	if err := signInWith(fresh[9]); err != nil {
		t.Fatalf("new code: %v", err)
	}
	for _, a := range []string{"user.recovery_issued", "auth.recovery_used", "auth.recovery_failed"} {
		if f.audit.count(a) == 0 {
			t.Errorf("no %s audit entry", a)
		}
	}
	if f.audit.count("user.recovery_issued") != 2 || f.audit.count("auth.recovery_used") != 3 {
		t.Errorf("issued %d, used %d", f.audit.count("user.recovery_issued"), f.audit.count("auth.recovery_used"))
	}
}

// TestRecoveryCodeFailuresLockTheAccount: guessing recovery codes counts
// toward the same lock-out as wrong TOTP codes.
func TestRecoveryCodeFailuresLockTheAccount(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	admin := f.add(t, "admin@phuong.vn", RoleWardAdmin, 0)
	u := f.add(t, "p@phuong.vn", RolePolice, 0)
	f.signIn(t, "p@phuong.vn")
	codes, err := f.svc.IssueRecoveryCodes(ctx, ActorOf(admin, ""), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.svc.Authenticate(ctx, "p@phuong.vn", "mat khau du dai", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, guess := range []string{"AAAA-AAAA-AAAA-AAAA", "x", "BBBB-BBBB-BBBB-BBBB", "CCCC-CCCC-CCCC-CCCC", "DDDD-DDDD-DDDD-DDDD"} {
		if _, err := f.svc.VerifyRecoveryCode(ctx, l.Token, guess, ""); !errors.Is(err, ErrInvalidCode) {
			t.Fatalf("guess %q: %v", guess, err)
		}
	}
	if _, err := f.svc.VerifyRecoveryCode(ctx, l.Token, codes[0], ""); !errors.Is(err, ErrThrottled) {
		t.Fatalf("right code during lock-out: %v", err)
	}
	if _, err := f.svc.VerifyTOTP(ctx, l.Token, f.code(t, u.ID), ""); !errors.Is(err, ErrThrottled) {
		t.Fatalf("TOTP during a lock-out from recovery guesses: %v", err)
	}
}

// TestIssueOwnRecoveryCodesNeedsThePassword: a signed-in user makes their
// own set only with their current password; the set works at sign-in.
func TestIssueOwnRecoveryCodesNeedsThePassword(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.add(t, "gv@truong.vn", RoleSchool, 4)
	full := f.signIn(t, "gv@truong.vn")
	if _, err := f.svc.IssueOwnRecoveryCodes(ctx, full.Token, "sai mat khau", ""); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if f.audit.count("user.recovery_issue_failed") != 1 {
		t.Error("refusal not audited")
	}
	if _, err := f.svc.IssueOwnRecoveryCodes(ctx, "no-such-token", "mat khau du dai", ""); !errors.Is(err, ErrNoSession) {
		t.Fatalf("without a session: %v", err)
	}
	codes, err := f.svc.IssueOwnRecoveryCodes(ctx, full.Token, "mat khau du dai", "")
	if err != nil || len(codes) != RecoveryCodeCount {
		t.Fatalf("own codes: %d, %v", len(codes), err)
	}
	if n, _ := f.svc.OwnRecoveryCodesLeft(ctx, full.Token); n != RecoveryCodeCount {
		t.Fatalf("left %d", n)
	}
	l, err := f.svc.Authenticate(ctx, "gv@truong.vn", "mat khau du dai", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.VerifyRecoveryCode(ctx, l.Token, codes[3], ""); err != nil {
		t.Fatalf("own code at sign-in: %v", err)
	}
}
