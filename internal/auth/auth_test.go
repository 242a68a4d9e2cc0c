package auth

import (
	"bytes"
	"context"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"manglanh/internal/secret"
)

var cheap = HashParams{Memory: 64, Time: 1, Threads: 1}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("mật khẩu dài lắm", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %q", h)
	}
	h2, _ := HashPassword("mật khẩu dài lắm", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for pw, want := range map[string]bool{"mật khẩu dài lắm": true, "mật khẩu dài lắ": false, "": false} {
		if ok, err := VerifyPassword(pw, h); err != nil || ok != want {
			t.Errorf("verify %q = %v, %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		strings.Replace(h, "$argon2id$", "$argon2id$$", 1)} {
		if _, err := VerifyPassword("x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if NeedsRehash(h, cheap) || !NeedsRehash(h, DefaultHashParams) {
		t.Error("NeedsRehash wrong")
	}
}

func TestPasswordPolicy(t *testing.T) {
	for pw, want := range map[string]error{
		"ngắn":                  ErrPasswordTooShort,
		"123456789":             ErrPasswordTooShort,
		"1234567890":            ErrPasswordCommon,
		"Anhyeuem123":           ErrPasswordCommon,
		"aaaaaaaaaaaa":          ErrPasswordCommon,
		"đồng hồ cát 7":         nil,
		"correct horse battery": nil,
	} {
		if err := CheckPasswordPolicy(pw); !errors.Is(err, want) {
			t.Errorf("%q: %v, want %v", pw, err, want)
		}
	}
}

func TestHOTPVectorsRFC4226(t *testing.T) {
	key := []byte("12345678901234567890")
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := HOTP(key, int64(i), 6); got != w {
			t.Errorf("counter %d: %s, want %s", i, got, w)
		}
	}
}

func TestTOTPVectorsRFC6238(t *testing.T) {
	key := []byte("12345678901234567890")
	for unix, want := range map[int64]string{59: "94287082", 1111111109: "07081804", 1111111111: "14050471",
		1234567890: "89005924", 2000000000: "69279037", 20000000000: "65353130"} {
		if got := HOTP(key, TOTPStep(time.Unix(unix, 0)), 8); got != want {
			t.Errorf("T=%d: %s, want %s", unix, got, want)
		}
	}
}

func TestTOTPSkewWindow(t *testing.T) {
	key := []byte("12345678901234567890")
	now := time.Unix(1_800_000_000, 0)
	step := TOTPStep(now)
	for d, ok := range map[int64]bool{-2: false, -1: true, 0: true, 1: true, 2: false} {
		got := matchTOTP(key, HOTP(key, step+d, 6), now)
		if (got == step+d) != ok {
			t.Errorf("offset %d: matched step %d", d, got)
		}
	}
	if matchTOTP(key, "12345", now) != -1 || matchTOTP(key, "abcdef", now) != -1 {
		t.Error("malformed code matched")
	}
}

func TestProvisioningURI(t *testing.T) {
	key := []byte("12345678901234567890")
	u, err := url.Parse(ProvisioningURI("Mạng Lành", "can.bo@phuong.vn", key))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Mạng Lành:can.bo@phuong.vn" {
		t.Fatalf("uri %v (path %q)", u, u.Path)
	}
	sec, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.Query().Get("secret"))
	if !bytes.Equal(sec, key) || u.Query().Get("digits") != "6" || u.Query().Get("period") != "30" {
		t.Fatalf("query %v", u.Query())
	}
}

type fixture struct {
	svc   *Service
	store *memStore
	audit *memAudit
	clock *fakeClock
}

func newFixture(t *testing.T, sealer Sealer) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), audit: &memAudit{}, clock: &fakeClock{t: time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)}}
	svc, err := NewService(Config{Store: f.store, Audit: f.audit, Clock: f.clock.Now, Hash: cheap, Sealer: sealer})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

func (f *fixture) add(t *testing.T, email string, role Role, org int64) *User {
	t.Helper()
	u, err := f.svc.AddUser(context.Background(), SystemActor, NewUser{Email: email, Name: "Cán bộ " + string(role),
		Role: role, OrgID: org, Password: "mat khau du dai"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// code returns the current TOTP code of user id.
func (f *fixture) code(t *testing.T, id int64) string {
	t.Helper()
	u, _ := f.store.UserByID(context.Background(), id)
	key, err := f.svc.openSecret(u.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	return HOTP(key, TOTPStep(f.clock.Now()), 6)
}

// signIn takes a TOTP-enrolled user through both steps.
func (f *fixture) signIn(t *testing.T, email string) *Login {
	t.Helper()
	ctx := context.Background()
	l, err := f.svc.Authenticate(ctx, email, "mat khau du dai", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Stage == StageEnrol {
		if _, err := f.svc.StartEnrolment(ctx, l.Token); err != nil {
			t.Fatal(err)
		}
		l, err = f.svc.EnrolTOTP(ctx, l.Token, f.code(t, l.User.ID), "192.0.2.1")
	} else if l.Stage == StagePassword {
		f.clock.Add(TOTPPeriod) // a fresh step: the last one may be used
		l, err = f.svc.VerifyTOTP(ctx, l.Token, f.code(t, l.User.ID), "192.0.2.1")
	}
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestSignInWithEnrolmentThenTOTP(t *testing.T) {
	key, err := secret.LoadOrCreateKey(t.TempDir() + "/key")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, key)
	ctx := context.Background()
	u := f.add(t, "Officer@Phuong.vn ", RoleOfficer, 0)
	if u.Email != "officer@phuong.vn" {
		t.Fatalf("e-mail not normalised: %q", u.Email)
	}
	l, err := f.svc.Authenticate(ctx, "officer@phuong.vn", "mat khau du dai", "192.0.2.1")
	if err != nil || l.Stage != StageEnrol {
		t.Fatalf("authenticate = %+v, %v", l, err)
	}
	if _, err := f.svc.Session(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatalf("half-session reaches pages: %v", err)
	}
	en, err := f.svc.StartEnrolment(ctx, l.Token)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := f.svc.StartEnrolment(ctx, l.Token)
	if en.Secret != again.Secret || !strings.Contains(en.URI, "secret="+en.Secret) {
		t.Fatalf("enrolment changed on reload: %+v %+v", en, again)
	}
	stored, _ := f.store.UserByID(ctx, u.ID)
	plain, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(en.Secret)
	if bytes.Contains(stored.TOTPSecret, plain) || stored.TOTPSecret[0] != 1 {
		t.Fatal("TOTP secret stored in clear despite a sealer")
	}
	if _, err := f.svc.EnrolTOTP(ctx, l.Token, "000000", "192.0.2.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("wrong enrolment code: %v", err)
	}
	full, err := f.svc.EnrolTOTP(ctx, l.Token, f.code(t, u.ID), "192.0.2.1")
	if err != nil || full.Stage != StageFull || full.Token == l.Token {
		t.Fatalf("enrol = %+v, %v", full, err)
	}
	if got, err := f.svc.Session(ctx, full.Token); err != nil || got.ID != u.ID || got.PasswordHash != "" {
		t.Fatalf("session = %+v, %v", got, err)
	}
	if _, _, err := f.svc.Lookup(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatal("the half-session token survived the upgrade")
	}
	if err := f.svc.Logout(ctx, full.Token, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, full.Token); !errors.Is(err, ErrNoSession) {
		t.Fatal("session alive after logout")
	}

	// Second sign-in: password, then a code. The code just used is refused.
	usedCode := f.code(t, u.ID)
	l, err = f.svc.Authenticate(ctx, "officer@phuong.vn", "mat khau du dai", "192.0.2.1")
	if err != nil || l.Stage != StagePassword {
		t.Fatalf("authenticate = %+v, %v", l, err)
	}
	if _, err := f.svc.VerifyTOTP(ctx, l.Token, usedCode, "192.0.2.1"); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("replayed code: %v", err)
	}
	f.clock.Add(TOTPPeriod)
	if _, err := f.svc.VerifyTOTP(ctx, l.Token, f.code(t, u.ID), "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"auth.password_ok", "auth.totp_enrolled", "auth.login", "auth.logout", "auth.totp_failed", "user.create"} {
		if f.audit.count(a) == 0 {
			t.Errorf("no %s audit entry", a)
		}
	}
	for _, e := range f.audit.entries {
		if strings.Contains(e.Detail, "officer@") || strings.Contains(e.Detail, "mat khau") {
			t.Errorf("personal data in audit detail: %+v", e)
		}
	}
}

func TestViewerNeedsNoTOTPAndOthersDo(t *testing.T) {
	f := newFixture(t, nil)
	f.add(t, "viewer@phuong.vn", RoleViewer, 0)
	l, err := f.svc.Authenticate(context.Background(), "viewer@phuong.vn", "mat khau du dai", "")
	if err != nil || l.Stage != StageFull {
		t.Fatalf("viewer: %+v, %v", l, err)
	}
	for _, r := range Roles {
		if r.NeedsTOTP() == (r == RoleViewer) {
			t.Errorf("role %s: NeedsTOTP %v", r, r.NeedsTOTP())
		}
	}
}

func TestThrottlingPerAccountAndAddress(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.add(t, "a@phuong.vn", RoleViewer, 0)
	var known, unknown []error
	for range 5 {
		_, err := f.svc.Authenticate(ctx, "a@phuong.vn", "sai mat khau!", "198.51.100.1")
		known = append(known, err)
		_, err = f.svc.Authenticate(ctx, "khong-co@phuong.vn", "sai mat khau!", "198.51.100.2")
		unknown = append(unknown, err)
	}
	for i := range known {
		if !errors.Is(known[i], ErrInvalidCredentials) || known[i].Error() != unknown[i].Error() {
			t.Fatalf("attempt %d: known %v, unknown %v", i, known[i], unknown[i])
		}
	}
	// Locked now, even with the right password; an unknown account alike.
	_, err := f.svc.Authenticate(ctx, "a@phuong.vn", "mat khau du dai", "198.51.100.3")
	var te *ThrottledError
	if !errors.As(err, &te) || te.RetryAfter != time.Minute {
		t.Fatalf("6th attempt: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, "khong-co@phuong.vn", "x", "198.51.100.3"); !errors.Is(err, ErrThrottled) {
		t.Fatalf("unknown account not locked alike: %v", err)
	}
	f.clock.Add(time.Minute)
	if _, err := f.svc.Authenticate(ctx, "a@phuong.vn", "sai mat khau!", "198.51.100.3"); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatal(err)
	}
	_, err = f.svc.Authenticate(ctx, "a@phuong.vn", "mat khau du dai", "198.51.100.3")
	if !errors.As(err, &te) || te.RetryAfter != 2*time.Minute {
		t.Fatalf("lock-out did not double: %v", err)
	}
	f.clock.Add(2 * time.Minute)
	if _, err := f.svc.Authenticate(ctx, "a@phuong.vn", "mat khau du dai", "198.51.100.3"); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}

	// One address trying many accounts is locked after 20 failures.
	for i := range 20 {
		f.svc.Authenticate(ctx, fmt.Sprintf("u%d@phuong.vn", i), "sai mat khau!", "203.0.113.9")
	}
	if _, err := f.svc.Authenticate(ctx, "a@phuong.vn", "mat khau du dai", "203.0.113.9"); !errors.Is(err, ErrThrottled) {
		t.Fatalf("address not locked: %v", err)
	}
	if _, err := f.svc.Authenticate(ctx, "a@phuong.vn", "mat khau du dai", "203.0.113.10"); err != nil {
		t.Fatalf("another address locked too: %v", err)
	}
}

func TestTOTPFailuresLockTheAccount(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	u := f.add(t, "p@phuong.vn", RolePolice, 0)
	f.signIn(t, "p@phuong.vn")
	l, err := f.svc.Authenticate(ctx, "p@phuong.vn", "mat khau du dai", "")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := f.svc.VerifyTOTP(ctx, l.Token, "000000", ""); !errors.Is(err, ErrInvalidCode) {
			t.Fatal(err)
		}
	}
	f.clock.Add(TOTPPeriod)
	if _, err := f.svc.VerifyTOTP(ctx, l.Token, f.code(t, u.ID), ""); !errors.Is(err, ErrThrottled) {
		t.Fatalf("right code during lock-out: %v", err)
	}
}

func TestSessionTimeouts(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	f.add(t, "o@phuong.vn", RoleOfficer, 0)
	l := f.signIn(t, "o@phuong.vn")
	// Activity every 25 minutes keeps it alive until 12 h after sign-in.
	for elapsed := 25 * time.Minute; elapsed < 12*time.Hour; elapsed += 25 * time.Minute {
		f.clock.Add(25 * time.Minute)
		if _, err := f.svc.Session(ctx, l.Token); err != nil {
			t.Fatalf("after %v: %v", elapsed, err)
		}
	}
	f.clock.Add(25 * time.Minute)
	if _, err := f.svc.Session(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatalf("alive past the absolute timeout: %v", err)
	}
	l = f.signIn(t, "o@phuong.vn")
	f.clock.Add(31 * time.Minute)
	if _, err := f.svc.Session(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatalf("alive past the idle timeout: %v", err)
	}
	half, err := f.svc.Authenticate(ctx, "o@phuong.vn", "mat khau du dai", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(11 * time.Minute)
	if _, err := f.svc.VerifyTOTP(ctx, half.Token, f.code(t, half.User.ID), ""); !errors.Is(err, ErrNoSession) {
		t.Fatalf("half-session alive after 11 min: %v", err)
	}
	if n, err := f.svc.PurgeSessions(ctx); err != nil || f.store.sessionCount() != 0 {
		t.Fatalf("purge = %d, %v; left %d", n, err, f.store.sessionCount())
	}
}

func TestResetChangeAndDisable(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	admin := f.add(t, "admin@phuong.vn", RoleWardAdmin, 0)
	u := f.add(t, "school@phuong.vn", RoleSchool, 3)
	adminActor := ActorOf(admin, "192.0.2.1")
	l := f.signIn(t, "school@phuong.vn")

	if err := f.svc.ResetPassword(ctx, ActorOf(u, ""), admin.ID, "tam thoi 12345"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-admin reset: %v", err)
	}
	if err := f.svc.ResetPassword(ctx, adminActor, u.ID, "tam thoi 12345"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatal("session survived a password reset")
	}
	l, err := f.svc.Authenticate(ctx, "school@phuong.vn", "tam thoi 12345", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(TOTPPeriod)
	l, err = f.svc.VerifyTOTP(ctx, l.Token, f.code(t, u.ID), "")
	if err != nil || !l.User.MustChangePassword {
		t.Fatalf("after reset: %+v, %v", l, err)
	}
	if _, err := f.svc.ChangePassword(ctx, l.Token, "sai", "mat khau moi rat dai", ""); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong current: %v", err)
	}
	if _, err := f.svc.ChangePassword(ctx, l.Token, "tam thoi 12345", "123456789", ""); !errors.Is(err, ErrPasswordTooShort) {
		t.Fatalf("weak new: %v", err)
	}
	nl, err := f.svc.ChangePassword(ctx, l.Token, "tam thoi 12345", "mat khau moi rat dai", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, l.Token); !errors.Is(err, ErrNoSession) {
		t.Fatal("old session survived the change")
	}
	if got, err := f.svc.Session(ctx, nl.Token); err != nil || got.MustChangePassword {
		t.Fatalf("new session = %+v, %v", got, err)
	}

	if err := f.svc.DisableUser(ctx, adminActor, admin.ID, true); !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("admin disabled themself: %v", err)
	}
	if err := f.svc.DisableUser(ctx, adminActor, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, nl.Token); !errors.Is(err, ErrNoSession) {
		t.Fatal("session of a disabled user alive")
	}
	if _, err := f.svc.Authenticate(ctx, "school@phuong.vn", "mat khau moi rat dai", ""); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("disabled user signed in: %v", err)
	}
	if err := f.svc.ResetTOTP(ctx, adminActor, u.ID); err != nil {
		t.Fatal(err)
	}
	f.svc.DisableUser(ctx, adminActor, u.ID, false)
	if l, err := f.svc.Authenticate(ctx, "school@phuong.vn", "mat khau moi rat dai", ""); err != nil || l.Stage != StageEnrol {
		t.Fatalf("after TOTP reset: %+v, %v", l, err)
	}
	us, err := f.svc.ListUsers(ctx, adminActor)
	if err != nil || len(us) != 2 || us[1].PasswordHash != "" || us[1].TOTPSecret != nil {
		t.Fatalf("list = %+v, %v", us, err)
	}
	if _, err := f.svc.ListUsers(ctx, ActorOf(u, "")); !errors.Is(err, ErrForbidden) {
		t.Fatal("non-admin listed users")
	}
}

func TestAddUserValidation(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	ok := NewUser{Email: "x@phuong.vn", Name: "X", Role: RoleOfficer, Password: "mat khau du dai"}
	for name, mut := range map[string]func(*NewUser){
		"bad e-mail":      func(n *NewUser) { n.Email = "not-an-email" },
		"no name":         func(n *NewUser) { n.Name = " " },
		"bad role":        func(n *NewUser) { n.Role = "root" },
		"school w/o org":  func(n *NewUser) { n.Role = RoleSchool },
		"officer w/ org":  func(n *NewUser) { n.OrgID = 4 },
		"short password":  func(n *NewUser) { n.Password = "short" },
		"control in name": func(n *NewUser) { n.Name = "a\nb" },
	} {
		n := ok
		mut(&n)
		if _, err := f.svc.AddUser(ctx, SystemActor, n); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := f.svc.AddUser(ctx, SystemActor, ok); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddUser(ctx, SystemActor, ok); !errors.Is(err, ErrEmailTaken) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := f.svc.AddUser(ctx, Actor{ID: 1, Role: RoleOfficer}, ok); !errors.Is(err, ErrForbidden) {
		t.Fatalf("officer added a user: %v", err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("mat khau du dai", DefaultHashParams)
	}
}
