package family_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/family"
	"manglanh/internal/filter"
	"manglanh/internal/store"
)

// cheapHasher is argon2id at its lowest cost, so tests stay fast.
type cheapHasher struct{}

func (cheapHasher) Hash(p string) (string, error) {
	return auth.HashPassword(p, auth.HashParams{Memory: 64, Time: 1, Threads: 1})
}
func (cheapHasher) Verify(p, h string) (bool, error) { return auth.VerifyPassword(p, h) }

// mailbox records what the service sends.
type mailbox struct {
	mu   sync.Mutex
	sent []string // "to|subject|body"
}

func (m *mailbox) Send(_ context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to+"|"+subject+"|"+body)
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type fixture struct {
	svc   *family.Service
	st    *store.Store
	clock *clock
	mail  *mailbox
}

func newFixture(t *testing.T, approval string) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	mb := &mailbox{}
	svc, err := family.New(family.Config{Store: st, Approval: approval, Hasher: cheapHasher{}, Mailer: mb,
		PortalURL: "https://manglanh.example.vn", Reserved: []string{"truong-le-loi"}, Now: c.now,
		Schools: func(context.Context) ([]family.School, error) {
			return []family.School{{ID: 5, Name: "THCS Lê Lợi"}, {ID: 6, Name: "TH Kim Đồng"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, st: st, clock: c, mail: mb}
}

const goodPassword = "con đi học về nhà"

func (f *fixture) parent(t *testing.T, login string) (family.Actor, string) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.svc.SignUp(ctx, family.SignUp{Login: login, Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	token, p, err := f.svc.Login(ctx, login, goodPassword, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	return family.Actor{Parent: p, IP: "192.0.2.1"}, token
}

func fields(err error) []string {
	var ve *family.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Errors {
		if f.Vi == "" || f.En == "" {
			out = append(out, f.Field+"(missing text)")
			continue
		}
		out = append(out, f.Field)
	}
	return out
}

func TestNormalizeLogin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, email, phone string
		bad              bool
	}{
		{in: "0912345678", phone: "+84912345678"},
		{in: "0912 345 678", phone: "+84912345678"},
		{in: "0912.345.678", phone: "+84912345678"},
		{in: "+84 912 345 678", phone: "+84912345678"},
		{in: "84912345678", phone: "+84912345678"},
		{in: "+84912345678", phone: "+84912345678"},
		{in: "0387654321", phone: "+84387654321"},
		{in: "02438123456", phone: "+842438123456"},
		{in: " Lan.Nguyen@Example.COM ", email: "lan.nguyen@example.com"},
		{in: "", bad: true},
		{in: "0912", bad: true},
		{in: "09123456789", bad: true},     // 11 digits with 0: not a mobile
		{in: "0112345678", bad: true},      // no such prefix
		{in: "+1 415 555 0100", bad: true}, // not Vietnamese
		{in: "0912345678; DROP TABLE", bad: true},
		{in: "lan@", bad: true},
		{in: "@example.com", bad: true},
		{in: "lan@example", bad: true},
		{in: "lan @example.com", bad: true},
		{in: "<script>@x.com", bad: true},
		{in: "a@b..com", bad: true},
		{in: "lan\n@example.com", bad: true},
		{in: strings.Repeat("a", 250) + "@example.com", bad: true},
	} {
		email, phone, fe := family.NormalizeLogin(tc.in)
		if tc.bad {
			if fe == nil || fe.Field != "login" || fe.Vi == "" || fe.En == "" {
				t.Errorf("%q: want an error for login, got %q %q %v", tc.in, email, phone, fe)
			}
			continue
		}
		if fe != nil || email != tc.email || phone != tc.phone {
			t.Errorf("%q: got %q %q %v, want %q %q", tc.in, email, phone, fe, tc.email, tc.phone)
		}
	}
	if got := family.DisplayPhone("+84912345678"); got != "0912 345 678" {
		t.Errorf("DisplayPhone: %q", got)
	}
}

func TestValidateRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	now := f.clock.t
	long := strings.Repeat("a", 5000)
	for _, tc := range []struct {
		name  string
		rules family.Rules
		want  []string // fields with errors, in order; nil = valid
	}{
		{"empty is the age defaults", family.Rules{}, nil},
		{"a full valid set", family.Rules{Block: []string{"Adult", "tiktok", "gambling", "tiktok"}, SafeSearch: "strict",
			Allow: []string{"https://VNExpress.net/path?q=1", "*.edu.vn"}, Deny: []string{"example.com:443"},
			Schedules: []family.Schedule{{Name: "ngủ", Days: []string{"mon", "TUE"}, From: "21:30", To: "06:00", AllowOnly: []string{"zalo", "thptquocgia.edu.vn"}},
				{From: "00:00", To: "24:00", Block: []string{"youtube"}}},
			Budgets:     []family.Budget{{Key: "each:games", Minutes: 60}, {Key: "group:games", Minutes: 180}, {Key: "all", Minutes: 1440}, {Key: "tiktok", Minutes: 1}},
			PausedUntil: filter.PauseForever}, nil},
		{"none alone", family.Rules{Block: []string{"none"}}, nil},
		{"unknown names, none with others", family.Rules{Block: []string{"adult", "porn", "'; DROP TABLE x;--"}}, []string{"block"}},
		{"none with others", family.Rules{Block: []string{"none", "adult"}}, []string{"block"}},
		{"safe search", family.Rules{SafeSearch: "maximum"}, []string{"safe_search"}},
		{"bad sites", family.Rules{Allow: []string{"<b>x</b>", "localhost", "192.168.1.1", "nodot", long}, Deny: []string{"ok.vn", "bad site.vn"}}, []string{"allow", "deny"}},
		{"allowed and denied", family.Rules{Allow: []string{"a.vn"}, Deny: []string{"A.vn"}}, []string{"deny"}},
		{"schedule from = to", family.Rules{Schedules: []family.Schedule{{From: "08:00", To: "08:00", Block: []string{"roblox"}}}}, []string{"schedules.0.to"}},
		{"schedule bad clock and days", family.Rules{Schedules: []family.Schedule{{Days: []string{"someday"}, From: "25:00", To: "8:0", Block: []string{"youtube"}}}},
			[]string{"schedules.0.days", "schedules.0.from", "schedules.0.to"}},
		{"schedule blocks nothing", family.Rules{Schedules: []family.Schedule{{From: "08:00", To: "09:00"}}}, []string{"schedules.0.block"}},
		{"schedule hostile name", family.Rules{Schedules: []family.Schedule{{Name: "a\x00b", From: "08:00", To: "09:00", Block: []string{"youtube"}}}}, []string{"schedules.0.name"}},
		{"budgets 0 and 10000", family.Rules{Budgets: []family.Budget{{Key: "tiktok", Minutes: 0}, {Key: "youtube", Minutes: 10000}}},
			[]string{"budgets.0.minutes", "budgets.1.minutes"}},
		{"budget keys", family.Rules{Budgets: []family.Budget{{Key: "group:news", Minutes: 5}, {Key: "adult", Minutes: 5}, {Key: "tiktok", Minutes: 5}, {Key: "TikTok", Minutes: 5}}},
			[]string{"budgets.0.key", "budgets.1.key", "budgets.3.key"}},
		{"pause in the past", family.Rules{PausedUntil: now.Add(-time.Minute)}, []string{"until"}},
		{"too many schedules", family.Rules{Schedules: make([]family.Schedule, 21)}, []string{"schedules"}},
		{"everything wrong at once", family.Rules{Block: []string{"x"}, SafeSearch: "x", Allow: []string{"x"}, Deny: []string{"y"},
			Budgets: []family.Budget{{Key: "all", Minutes: -1}}}, []string{"block", "safe_search", "allow", "deny", "budgets.0.minutes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := f.svc.ValidateRules(tc.rules)
			got := fields(err)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("fields %v, want %v (err %v)", got, tc.want, err)
			}
			if tc.want == nil && err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				// What the service accepts, the DNS compiler must accept
				// too: otherwise one parent's rules would stop every
				// policy reload.
				reg, _ := filter.NewRegistry()
				specs := family.Specs([]family.Profile{{ID: 1, Kind: family.KindChild, Label: "x-abcd", BirthYear: 2015, Rules: out}}, nil, now)
				if _, err := filter.Compile(reg, specs, ""); err != nil {
					t.Fatalf("accepted rules do not compile: %v", err)
				}
			}
			if tc.name == "a full valid set" {
				if !slices.Equal(out.Block, []string{"adult", "tiktok", "gambling"}) || !slices.Equal(out.Allow, []string{"vnexpress.net", "edu.vn"}) ||
					!slices.Equal(out.Deny, []string{"example.com"}) || !slices.Equal(out.Schedules[0].Days, []string{"mon", "tue"}) {
					t.Fatalf("not cleaned: %+v", out)
				}
			}
		})
	}
}

func TestCreateChildAndAuthorization(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	ctx := context.Background()
	a, _ := f.parent(t, "0912345678")
	b, _ := f.parent(t, "b@example.com")

	for _, tc := range []struct {
		in   family.NewChild
		want []string
	}{
		{family.NewChild{Nickname: ""}, []string{"nickname"}},
		{family.NewChild{Nickname: strings.Repeat("Ă", 41)}, []string{"nickname"}},
		{family.NewChild{Nickname: "An\u202e"}, []string{"nickname"}},
		{family.NewChild{Nickname: "An", BirthYear: 2030}, []string{"birth_year"}},
		{family.NewChild{Nickname: "An", BirthYear: 2007}, []string{"birth_year"}},
		{family.NewChild{Nickname: "An", BirthYear: 1}, []string{"birth_year"}},
		{family.NewChild{Nickname: "An", OrgID: 77}, []string{"school"}},
		{family.NewChild{Nickname: "\x07", BirthYear: -5, OrgID: -1}, []string{"nickname", "birth_year", "school"}},
	} {
		_, err := f.svc.CreateChild(ctx, a, tc.in)
		if got := fields(err); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: fields %v, want %v", tc.in, got, tc.want)
		}
	}
	if ps, _ := f.svc.Profiles(ctx, a); len(ps) != 0 {
		t.Fatalf("a refused profile was saved: %+v", ps)
	}

	p, err := f.svc.CreateChild(ctx, a, family.NewChild{Nickname: "Bé Đức Anh <b>", BirthYear: 2016, OrgID: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Label, "be-duc-anh-b-") || !family.ValidLabel(p.Label) || len(p.ChildToken) < 20 || p.Rules.Block != nil || p.Rules.Budgets != nil {
		t.Fatalf("profile: %+v", p)
	}
	if got, err := f.svc.ProfileByToken(ctx, p.ChildToken); err != nil || got.ID != p.ID {
		t.Fatalf("by token: %v %v", got, err)
	}
	for _, tok := range []string{"", "x' OR '1'='1", strings.Repeat("a", 65), p.ChildToken + "x"} {
		if _, err := f.svc.ProfileByToken(ctx, tok); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("token %q: %v", tok, err)
		}
	}
	d, err := f.svc.AddDevice(ctx, a, p.ID, "Điện thoại của An", "android")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddDevice(ctx, a, p.ID, "", "toaster"); !slices.Equal(fields(err), []string{"name", "kind"}) {
		t.Fatalf("bad device: %v", err)
	}

	// Another family: everything is "not found".
	if _, err := f.svc.Profile(ctx, b, p.ID); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b reads a's profile: %v", err)
	}
	if ps, _ := f.svc.Profiles(ctx, b); len(ps) != 0 {
		t.Errorf("b lists a's profiles: %v", ps)
	}
	if _, err := f.svc.UpdateRules(ctx, b, p.ID, family.Rules{Block: []string{"none"}}); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b changes a's rules: %v", err)
	}
	if err := f.svc.Pause(ctx, b, p.ID, filter.PauseForever); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b pauses a's child: %v", err)
	}
	if _, err := f.svc.Devices(ctx, b, p.ID); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b lists a's devices: %v", err)
	}
	if _, err := f.svc.AddDevice(ctx, b, p.ID, "x", "ios"); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b adds a device to a's child: %v", err)
	}
	if err := f.svc.RemoveDevice(ctx, b, d.ID); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b removes a's device: %v", err)
	}
	if err := f.svc.DeleteProfile(ctx, b, p.ID); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("b deletes a's profile: %v", err)
	}
	// Staff (an officer, a school) see no child profile; nobody sees with the zero actor.
	for _, x := range []family.Actor{{}, {StaffID: 1, StaffRole: "officer"}, {StaffID: 2, StaffRole: "school", StaffOrgID: 5}} {
		if _, err := f.svc.Profile(ctx, x, p.ID); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("%v reads a child's profile: %v", x, err)
		}
	}
	if ds, _ := f.svc.Devices(ctx, a, p.ID); len(ds) != 1 {
		t.Fatalf("b's attempts changed a's devices: %v", ds)
	}

	// The owner changes rules: all or nothing.
	v0, _ := f.svc.PolicyVersion(ctx)
	if _, err := f.svc.UpdateRules(ctx, a, p.ID, family.Rules{Block: []string{"adult"}, Budgets: []family.Budget{{Key: "tiktok", Minutes: 0}}}); err == nil {
		t.Fatal("a budget of 0 was accepted")
	}
	if got, _ := f.svc.Profile(ctx, a, p.ID); got.Rules.Block != nil {
		t.Fatalf("half-saved: %+v", got.Rules)
	}
	if v, _ := f.svc.PolicyVersion(ctx); v != v0 {
		t.Fatal("a refused change bumped the version")
	}
	got, err := f.svc.UpdateRules(ctx, a, p.ID, family.Rules{Block: []string{"adult", "roblox"}, Budgets: []family.Budget{{Key: "roblox", Minutes: 30}}})
	if err != nil || !slices.Equal(got.Rules.Block, []string{"adult", "roblox"}) {
		t.Fatalf("update: %+v %v", got, err)
	}
	if err := f.svc.Pause(ctx, a, p.ID, f.clock.t.Add(-time.Hour)); !slices.Equal(fields(err), []string{"until"}) {
		t.Fatalf("pause in the past: %v", err)
	}
	until := f.clock.t.Add(2 * time.Hour)
	if err := f.svc.Pause(ctx, a, p.ID, until); err != nil {
		t.Fatal(err)
	}
	// Saving rules keeps the pause.
	if got, _ := f.svc.UpdateRules(ctx, a, p.ID, family.Rules{Block: []string{"adult"}}); !got.Rules.PausedUntil.Equal(until) {
		t.Fatalf("rules save lost the pause: %v", got.Rules.PausedUntil)
	}
	if err := f.svc.Pause(ctx, a, p.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.Profile(ctx, a, p.ID); !got.Rules.PausedUntil.IsZero() {
		t.Fatalf("resume: %v", got.Rules.PausedUntil)
	}
	if err := f.svc.RemoveDevice(ctx, a, d.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteProfile(ctx, a, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Profile(ctx, a, p.ID); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("deleted profile: %v", err)
	}
}

func TestAccounts(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	ctx := context.Background()
	for _, tc := range []struct {
		in   family.SignUp
		want []string
	}{
		{family.SignUp{Login: "", Password: ""}, []string{"login", "password"}},
		{family.SignUp{Login: "0912345678", Password: "short"}, []string{"password"}},
		{family.SignUp{Login: "0912345678", Password: "matkhau123"}, []string{"password"}},
		{family.SignUp{Login: "0912345678", Password: strings.Repeat("x", 300)}, []string{"password"}},
		{family.SignUp{Login: "0912345678", Password: goodPassword, Name: "a\nb"}, []string{"name"}},
		{family.SignUp{Login: "0912345678", Password: goodPassword, SchoolOrgID: 99}, []string{"school"}},
		{family.SignUp{Login: "<svg onload=x>", Password: "1", Name: strings.Repeat("n", 81), SchoolOrgID: -1}, []string{"login", "password", "name", "school"}},
	} {
		if _, err := f.svc.SignUp(ctx, tc.in); !slices.Equal(fields(err), tc.want) {
			t.Errorf("%+v: %v, want %v", tc.in, fields(err), tc.want)
		}
	}
	p, err := f.svc.SignUp(ctx, family.SignUp{Login: "0912 345 678", Password: goodPassword, Name: "Chị Lan", SchoolOrgID: 5, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Phone != "+84912345678" || p.Status != family.StatusActive || p.PasswordHash != "" || p.Lang != "en" {
		t.Fatalf("parent: %+v", p)
	}
	if _, err := f.svc.SignUp(ctx, family.SignUp{Login: "+84912345678", Password: goodPassword}); !errors.Is(err, family.ErrLoginTaken) {
		t.Fatalf("same phone again: %v", err)
	}
	// Sign-in with another spelling of the number.
	token, got, err := f.svc.Login(ctx, "84912345678", goodPassword, "192.0.2.9")
	if err != nil || got.ID != p.ID || got.PasswordHash != "" {
		t.Fatalf("login: %+v %v", got, err)
	}
	if s, err := f.svc.Session(ctx, token); err != nil || s.ID != p.ID {
		t.Fatalf("session: %v %v", s, err)
	}
	for _, bad := range []string{"", "x", token + "x", strings.Repeat("a", 200)} {
		if _, err := f.svc.Session(ctx, bad); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("session %q: %v", bad, err)
		}
	}
	// Sessions end after SessionIdle.
	f.clock.t = f.clock.t.Add(family.SessionIdle + time.Minute)
	if _, err := f.svc.Session(ctx, token); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("idle session still works: %v", err)
	}
	token, _, _ = f.svc.Login(ctx, "0912345678", goodPassword, "192.0.2.9")
	if err := f.svc.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Session(ctx, token); !errors.Is(err, family.ErrNotFound) {
		t.Fatal("session survives logout")
	}
	// Wrong password, unknown login: one error; then the login is locked.
	if _, _, err := f.svc.Login(ctx, "0999999999", goodPassword, "192.0.2.9"); !errors.Is(err, family.ErrBadLogin) {
		t.Fatalf("unknown: %v", err)
	}
	for i := range family.AccountFailures {
		if _, _, err := f.svc.Login(ctx, "0912345678", "wrong password!", "192.0.2."+fmt.Sprint(10+i)); !errors.Is(err, family.ErrBadLogin) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
	}
	_, _, err = f.svc.Login(ctx, "+84 912 345 678", goodPassword, "192.0.2.50")
	var te *family.ThrottledError
	if !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Fatalf("after %d failures: %v", family.AccountFailures, err)
	}
	f.clock.t = f.clock.t.Add(2 * time.Minute)
	if _, _, err := f.svc.Login(ctx, "0912345678", goodPassword, "192.0.2.50"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
}

func TestApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "school")
	ctx := context.Background()
	a, _ := f.parent(t, "a@example.com") // no school: the ward decides
	if a.Parent.Status != family.StatusPending {
		t.Fatalf("status %s", a.Parent.Status)
	}
	if _, err := f.svc.SignUp(ctx, family.SignUp{Login: "0987654321", Password: goodPassword, SchoolOrgID: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateChild(ctx, a, family.NewChild{Nickname: "An"}); !errors.Is(err, family.ErrPending) {
		t.Fatalf("a pending parent made a profile: %v", err)
	}
	officer := family.Actor{StaffID: 1, StaffRole: "officer"}
	school5 := family.Actor{StaffID: 2, StaffRole: "school", StaffOrgID: 5}
	school6 := family.Actor{StaffID: 3, StaffRole: "school", StaffOrgID: 6}
	police := family.Actor{StaffID: 4, StaffRole: "police"}
	if ps, err := f.svc.PendingParents(ctx, officer); err != nil || len(ps) != 2 || ps[0].PasswordHash != "" {
		t.Fatalf("officer's list: %+v %v", ps, err)
	}
	ps, err := f.svc.PendingParents(ctx, school5)
	if err != nil || len(ps) != 1 || ps[0].Phone != "+84987654321" {
		t.Fatalf("school 5's list: %+v %v", ps, err)
	}
	if ps, _ := f.svc.PendingParents(ctx, school6); len(ps) != 0 {
		t.Fatalf("school 6 sees another school's parents: %+v", ps)
	}
	if _, err := f.svc.PendingParents(ctx, police); !errors.Is(err, family.ErrForbidden) {
		t.Fatalf("police: %v", err)
	}
	if _, err := f.svc.PendingParents(ctx, a); !errors.Is(err, family.ErrForbidden) {
		t.Fatalf("a parent lists pending parents: %v", err)
	}
	if err := f.svc.ApproveParent(ctx, school6, ps[0].ID); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("school 6 approves school 5's parent: %v", err)
	}
	if err := f.svc.ApproveParent(ctx, a, ps[0].ID); !errors.Is(err, family.ErrForbidden) {
		t.Fatalf("a parent approves: %v", err)
	}
	if err := f.svc.ApproveParent(ctx, school5, ps[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ApproveParent(ctx, school5, ps[0].ID); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("approved twice: %v", err)
	}
	if err := f.svc.ApproveParent(ctx, school5, a.Parent.ID); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("a school approves a parent without school: %v", err)
	}
	if err := f.svc.RefuseParent(ctx, officer, a.Parent.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Login(ctx, "a@example.com", goodPassword, "192.0.2.1"); !errors.Is(err, family.ErrBadLogin) {
		t.Fatalf("a refused parent signs in: %v", err)
	}
	_, p, err := f.svc.Login(ctx, "0987654321", goodPassword, "192.0.2.1")
	if err != nil || p.Status != family.StatusActive || p.ApprovedBy != "staff:2" {
		t.Fatalf("approved parent: %+v %v", p, err)
	}
	if _, err := f.svc.CreateChild(ctx, family.Actor{Parent: p}, family.NewChild{Nickname: "An"}); err != nil {
		t.Fatal(err)
	}
}

func TestRecovery(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	ctx := context.Background()
	phone, _ := f.parent(t, "0912345678")
	mail, _ := f.parent(t, "lan@example.com")

	// Recovery codes: shown once, each works once, only for their account.
	codes, err := f.svc.IssueRecoveryCodes(ctx, phone, "wrong")
	if !slices.Equal(fields(err), []string{"password"}) || codes != nil {
		t.Fatalf("codes with a wrong password: %v", err)
	}
	codes, err = f.svc.IssueRecoveryCodes(ctx, phone, goodPassword)
	if err != nil || len(codes) != family.RecoveryCodeCount {
		t.Fatalf("codes: %v %v", codes, err)
	}
	if n, _ := f.svc.RecoveryCodesLeft(ctx, phone); n != family.RecoveryCodeCount {
		t.Fatalf("left: %d", n)
	}
	const next = "một mật khẩu mới dài"
	if err := f.svc.RecoverWithCode(ctx, "lan@example.com", codes[0], next, "192.0.2.3"); !errors.Is(err, family.ErrBadLogin) {
		t.Fatalf("another account's code: %v", err)
	}
	if err := f.svc.RecoverWithCode(ctx, "0912345678", codes[0], "short", "192.0.2.3"); !slices.Equal(fields(err), []string{"password"}) {
		t.Fatalf("short new password: %v", err)
	}
	if err := f.svc.RecoverWithCode(ctx, "0912 345 678", strings.ToLower(codes[0]), next, "192.0.2.3"); err != nil {
		t.Fatalf("recovering: %v", err)
	}
	if err := f.svc.RecoverWithCode(ctx, "0912345678", codes[0], next+"2", "192.0.2.3"); !errors.Is(err, family.ErrBadLogin) {
		t.Fatalf("a code worked twice: %v", err)
	}
	if _, _, err := f.svc.Login(ctx, "0912345678", next, "192.0.2.3"); err != nil {
		t.Fatalf("new password: %v", err)
	}

	// E-mail link: nothing tells whether an account exists.
	if err := f.svc.RequestReset(ctx, "nobody@example.com", "192.0.2.4"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RequestReset(ctx, "0912345678", "192.0.2.4"); err != nil {
		t.Fatal(err) // a phone gets no e-mail, and no different answer
	}
	if len(f.mail.sent) != 0 {
		t.Fatalf("mail sent for an unknown account or a phone: %v", f.mail.sent)
	}
	if err := f.svc.RequestReset(ctx, "LAN@example.com", "192.0.2.4"); err != nil {
		t.Fatal(err)
	}
	if len(f.mail.sent) != 1 || !strings.HasPrefix(f.mail.sent[0], "lan@example.com|") {
		t.Fatalf("mail: %v", f.mail.sent)
	}
	_, body, _ := strings.Cut(f.mail.sent[0], "/gia-dinh/dat-lai/")
	token, _, _ := strings.Cut(body, "\n")
	if err := f.svc.CheckResetToken(ctx, token); err != nil {
		t.Fatalf("fresh link: %v", err)
	}
	f.clock.t = f.clock.t.Add(family.ResetTTL + time.Second)
	if err := f.svc.CheckResetToken(ctx, token); !errors.Is(err, family.ErrBadToken) {
		t.Fatalf("an expired link: %v", err)
	}
	if err := f.svc.ResetWithToken(ctx, token, next); !errors.Is(err, family.ErrBadToken) {
		t.Fatalf("an expired link reset: %v", err)
	}
	f.svc.RequestReset(ctx, "lan@example.com", "192.0.2.5")
	_, body, _ = strings.Cut(f.mail.sent[1], "/gia-dinh/dat-lai/")
	token, _, _ = strings.Cut(body, "\n")
	if err := f.svc.ResetWithToken(ctx, token, next); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ResetWithToken(ctx, token, next+"x"); !errors.Is(err, family.ErrBadToken) {
		t.Fatalf("a link worked twice: %v", err)
	}
	if _, _, err := f.svc.Login(ctx, "lan@example.com", next, "192.0.2.5"); err != nil {
		t.Fatal(err)
	}
	// The link's requests are throttled: 3 per login, then a pause.
	f.svc.RequestReset(ctx, "lan@example.com", "192.0.2.6")
	if err := f.svc.RequestReset(ctx, "lan@example.com", "192.0.2.6"); !errors.Is(err, family.ErrThrottled) {
		t.Fatalf("fourth request: %v", err)
	}

	// Staff reset: only the ward; a temporary password that must be changed.
	if _, err := f.svc.StaffResetPassword(ctx, family.Actor{StaffID: 9, StaffRole: "school", StaffOrgID: 5}, phone.Parent.ID); !errors.Is(err, family.ErrForbidden) {
		t.Fatalf("school resets: %v", err)
	}
	if _, err := f.svc.StaffResetPassword(ctx, mail, phone.Parent.ID); !errors.Is(err, family.ErrForbidden) {
		t.Fatalf("a parent resets another: %v", err)
	}
	officer := family.Actor{StaffID: 1, StaffRole: "officer"}
	found, err := f.svc.FindParent(ctx, officer, "0912.345.678")
	if err != nil || found.ID != phone.Parent.ID {
		t.Fatalf("find: %v %v", found, err)
	}
	temp, err := f.svc.StaffResetPassword(ctx, officer, found.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, p, err := f.svc.Login(ctx, "0912345678", temp, "192.0.2.7")
	if err != nil || !p.MustChangePassword {
		t.Fatalf("temporary password: %+v %v", p, err)
	}
	a := family.Actor{Parent: p}
	if err := f.svc.ChangePassword(ctx, a, tok, "not it", next); !slices.Equal(fields(err), []string{"current"}) {
		t.Fatalf("wrong current: %v", err)
	}
	if err := f.svc.ChangePassword(ctx, a, tok, temp, temp); !slices.Equal(fields(err), []string{"password"}) {
		t.Fatalf("same password: %v", err)
	}
	if err := f.svc.ChangePassword(ctx, a, tok, temp, "ba mẹ yêu con nhiều"); err != nil {
		t.Fatal(err)
	}
	if s, err := f.svc.Session(ctx, tok); err != nil || s.MustChangePassword {
		t.Fatalf("after change: %+v %v", s, err)
	}
}

func TestSpecsAndDefaults(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ year, age int }{{0, 0}, {2026, 1}, {2016, 10}, {2010, 16}, {2008, 18}} {
		if got := family.Age(tc.year, now); got != tc.age {
			t.Errorf("Age(%d) = %d, want %d", tc.year, got, tc.age)
		}
	}
	if got := family.DefaultBudgets(12); fmt.Sprint(got) != "[{each:games 60} {group:games 180}]" {
		t.Errorf("DefaultBudgets(12) = %v", got)
	}
	if got := family.DefaultBudgets(18); got == nil || len(got) != 0 {
		t.Errorf("DefaultBudgets(18) = %#v", got)
	}
	profiles := []family.Profile{
		{ID: 1, Kind: family.KindChild, Label: "an-abcd", BirthYear: 2016, Rules: family.Rules{
			Block: []string{"tiktok"}, Deny: []string{"x.vn"}, PausedUntil: now.Add(-time.Minute),
			TempAllows: []family.TempAllow{{Domain: "old.vn", Until: now.Add(-time.Second)}, {Domain: "new.vn", Until: now.Add(time.Hour)}},
			Schedules:  []family.Schedule{{Name: "ngủ", From: "21:00", To: "06:00", Block: []string{"roblox"}}}}},
		{ID: 2, Kind: family.KindChild, Label: "binh-wxyz", Rules: family.Rules{Budgets: []family.Budget{}, PausedUntil: filter.PauseForever}},
		{ID: 3, Kind: family.KindSchool, Label: "le-loi-0001", Networks: []string{"10.1.0.0/16"}},
	}
	devices := []family.Device{{ID: 7, ProfileID: 1, Label: "an-abcd-d1"}, {ID: 8, ProfileID: 99, Label: "orphan"}}
	specs := family.Specs(profiles, devices, now)
	if len(specs) != 3 {
		t.Fatalf("%d specs", len(specs))
	}
	a, b, c := specs[0], specs[1], specs[2]
	if a.Name != "an-abcd" || a.ID != 1 || a.Age != 10 || !a.PausedUntil.IsZero() || len(a.TempAllow) != 1 || a.TempAllow[0].Domain != "new.vn" ||
		len(a.Devices) != 1 || a.Devices[0].ID != 7 || fmt.Sprint(a.Budgets) != "[{each:games 60} {group:games 180}]" || a.Schedules[0].From != "21:00" {
		t.Errorf("child spec: %+v", a)
	}
	if len(b.Budgets) != 0 || !b.PausedUntil.Equal(filter.PauseForever) || b.Age != 0 {
		t.Errorf("spec with no budgets: %+v", b)
	}
	if len(c.Budgets) != 0 || !slices.Equal(c.Clients, []string{"10.1.0.0/16"}) {
		t.Errorf("school spec: %+v", c)
	}
	// The specs compile.
	reg, err := filter.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := filter.Compile(reg, specs, ""); err != nil {
		t.Errorf("compiling specs: %v", err)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Bé Đức Anh":            "be-duc-anh",
		"Hòa / hoà":             "hoa-hoa",
		"  --An--  ":            "an",
		"<script>":              "script",
		"中文":                    "",
		strings.Repeat("a", 99): strings.Repeat("a", 20),
	} {
		if got := family.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLabels(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	for label, ok := range map[string]bool{
		"be-an-k3x9": true, "a": true, strings.Repeat("a", 63): true,
		"": false, "-an": false, "an-": false, "Bé-An": false, "be_an": false, "be.an": false,
		strings.Repeat("a", 64): false, "an\x00": false, "<b>": false, "truong-le-loi": false,
	} {
		fe := f.svc.CheckLabel("label", label)
		if (fe == nil) != ok {
			t.Errorf("CheckLabel(%q) = %v, want ok=%v", label, fe, ok)
		}
		if fe != nil && (fe.Vi == "" || fe.En == "") {
			t.Errorf("CheckLabel(%q): message missing", label)
		}
	}
	// Generated labels are valid, distinct, and never a YAML profile's name.
	a, _ := f.parent(t, "lan@example.com")
	seen := map[string]bool{}
	for range 20 {
		p, err := f.svc.CreateChild(context.Background(), a, family.NewChild{Nickname: "中文"})
		if errors.Is(err, family.ErrLimit) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Label, "tre-") || f.svc.CheckLabel("label", p.Label) != nil || seen[p.Label] {
			t.Fatalf("label %q", p.Label)
		}
		seen[p.Label] = true
	}
	if _, err := f.svc.CreateChild(context.Background(), a, family.NewChild{Nickname: "một nữa"}); !errors.Is(err, family.ErrLimit) {
		t.Fatalf("child %d: %v", family.MaxChildren+1, err)
	}
}

// activityStore adds recorded DNS activity to a store (the policy
// engineer's tables, faked here); plainStore hides any the store has.
type activityStore struct {
	family.Store
	seen  map[int64]time.Time
	usage []family.Usage
}

func (a activityStore) BudgetUsage(_ context.Context, profileID int64, day string) ([]family.Usage, error) {
	var out []family.Usage
	for _, u := range a.usage {
		if u.ProfileID == profileID && u.Day == day {
			out = append(out, u)
		}
	}
	return out, nil
}

func (a activityStore) DevicesSeen(_ context.Context, ids []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for _, id := range ids {
		if t, ok := a.seen[id]; ok {
			out[id] = t
		}
	}
	return out, nil
}

type plainStore struct{ family.Store }

func TestActivity(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "none")
	ctx := context.Background()
	a, _ := f.parent(t, "lan@example.com")
	p, _ := f.svc.CreateChild(ctx, a, family.NewChild{Nickname: "An"})
	d, _ := f.svc.AddDevice(ctx, a, p.ID, "Điện thoại", "android")
	seenAt := f.clock.t.Add(-10 * time.Minute)
	act := activityStore{Store: plainStore{f.st}, seen: map[int64]time.Time{d.ID: seenAt},
		usage: []family.Usage{{ProfileID: p.ID, Day: "2026-12-03", Key: "each:games", Minutes: 42}}}
	with, _ := family.New(family.Config{Store: act, Hasher: cheapHasher{}, Now: f.clock.now})
	without, _ := family.New(family.Config{Store: plainStore{f.st}, Hasher: cheapHasher{}, Now: f.clock.now})
	if !with.HasActivity() || without.HasActivity() {
		t.Fatal("HasActivity")
	}
	ds, err := with.Devices(ctx, a, p.ID)
	if err != nil || len(ds) != 1 || !ds[0].LastSeen.Equal(seenAt) {
		t.Fatalf("devices with activity: %+v %v", ds, err)
	}
	if ds, _ := without.Devices(ctx, a, p.ID); !ds[0].LastSeen.IsZero() {
		t.Fatalf("last seen invented: %v", ds[0].LastSeen)
	}
	if u, err := with.Usage(ctx, p.ID, "2026-12-03"); err != nil || len(u) != 1 || u[0].Minutes != 42 {
		t.Fatalf("usage: %+v %v", u, err)
	}
	if _, err := without.Usage(ctx, p.ID, "2026-12-03"); !errors.Is(err, family.ErrNoActivity) {
		t.Fatalf("usage without activity: %v", err)
	}
	if _, err := with.Usage(ctx, p.ID, "03/12/2026"); err == nil {
		t.Fatal("a malformed day was accepted")
	}
}
