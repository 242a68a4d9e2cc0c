package family_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

var e164VN = regexp.MustCompile(`^\+84[2-9][0-9]{8,9}$`)

func FuzzNormalizeLogin(f *testing.F) {
	for _, s := range []string{"0912345678", "+84 912 345 678", "lan@example.com", "", "@", "84", "０９１２３４５６７８"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		email, phone, fe := family.NormalizeLogin(in)
		if fe != nil {
			if email != "" || phone != "" || fe.Vi == "" || fe.En == "" {
				t.Fatalf("%q: error with values %q %q", in, email, phone)
			}
			return
		}
		if (email == "") == (phone == "") {
			t.Fatalf("%q: want exactly one of e-mail and phone, got %q %q", in, email, phone)
		}
		if phone != "" && !e164VN.MatchString(phone) {
			t.Fatalf("%q: phone %q", in, phone)
		}
		e2, p2, fe2 := family.NormalizeLogin(email + phone)
		if fe2 != nil || e2 != email || p2 != phone {
			t.Fatalf("%q: not idempotent: %q %q → %q %q %v", in, email, phone, e2, p2, fe2)
		}
	})
}

func FuzzNormalizeDomain(f *testing.F) {
	for _, s := range []string{"example.com", "https://Ví-dụ.vn/x", "*.a.b", "1.2.3.4", "localhost", "a..b", "x.y:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, ok := family.NormalizeDomain(in)
		if !ok {
			return
		}
		if d != strings.ToLower(d) || len(d) > 253 || !strings.Contains(d, ".") {
			t.Fatalf("%q → %q", in, d)
		}
		if d2, ok := family.NormalizeDomain(d); !ok || d2 != d {
			t.Fatalf("%q → %q → %q %v: not idempotent", in, d, d2, ok)
		}
	})
}

// FuzzScheduleRules checks that any schedule the service accepts compiles.
func FuzzScheduleRules(f *testing.F) {
	f.Add("mon", "21:30", "06:00", "roblox", "zalo", 60)
	f.Add("", "00:00", "24:00", "youtube", "", 1)
	f.Add("sun", "08:00", "08:00", "", "a.vn", 1440)
	reg, err := filter.NewRegistry()
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	svc, err := family.New(family.Config{Store: nilStore{}, Hasher: cheapHasher{}, Registry: reg, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, day, from, to, block, allowOnly string, minutes int) {
		r := family.Rules{Schedules: []family.Schedule{{Days: []string{day}, From: from, To: to,
			Block: strings.Split(block, ","), AllowOnly: strings.Split(allowOnly, ",")}},
			Budgets: []family.Budget{{Key: "each:games", Minutes: minutes}}}
		out, err := svc.ValidateRules(r)
		if err != nil {
			return
		}
		specs := family.Specs([]family.Profile{{ID: 1, Kind: family.KindChild, Label: "x-abcd", Rules: out}}, nil, now)
		if _, err := filter.Compile(reg, specs, ""); err != nil {
			t.Fatalf("accepted %+v does not compile: %v", out, err)
		}
	})
}

// nilStore is a Store that is never called (ValidateRules reads nothing).
type nilStore struct{ family.Store }
