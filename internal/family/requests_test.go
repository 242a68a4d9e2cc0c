package family_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/store"
)

type plainHasher struct{}

func (plainHasher) Hash(p string) (string, error)    { return "h:" + p, nil }
func (plainHasher) Verify(p, h string) (bool, error) { return h == "h:"+p, nil }

func TestDecideRequestWritesRulesAndBumpsPolicy(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// 22:30 in Hà Nội on 3 December 2026.
	now := time.Date(2026, 12, 3, 15, 30, 0, 0, time.UTC)
	fam, err := family.New(family.Config{Store: st, Hasher: plainHasher{}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	par, _ := fam.SignUp(ctx, family.SignUp{Login: "me@example.com", Password: "con đi học về nhà"})
	other, _ := fam.SignUp(ctx, family.SignUp{Login: "o@example.com", Password: "con đi học về nhà"})
	me := family.Actor{Parent: par}
	p, err := fam.CreateChild(ctx, me, family.NewChild{Nickname: "Bin", BirthYear: 2015})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fam.AskAllow(ctx, "not-a-token", "x.com", ""); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	var ve *family.ValidationError
	if _, _, err := fam.AskAllow(ctx, p.ChildToken, "<b>x</b>", ""); !errors.As(err, &ve) || ve.Errors[0].Field != "d" {
		t.Fatalf("bad domain: %v", err)
	}
	ask := func(d string) *family.AllowRequest {
		r, _, err := fam.AskAllow(ctx, p.ChildToken, d, "games")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	day, always, refuse := ask("Roblox.com"), ask("khanacademy.org"), ask("nohu.example")
	if day.Domain != "roblox.com" {
		t.Fatalf("normalised: %q", day.Domain)
	}
	before, _ := fam.PolicyVersion(ctx)
	if _, err := fam.DecideRequest(ctx, family.Actor{Parent: other}, day.ID, family.DecideDay); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("another family: %v", err)
	}
	if _, err := fam.DecideRequest(ctx, family.Actor{StaffID: 1, StaffRole: "officer"}, day.ID, family.DecideDay); !errors.Is(err, family.ErrNotFound) {
		t.Fatalf("staff: %v", err)
	}
	if _, err := fam.DecideRequest(ctx, me, day.ID, "forever"); !errors.As(err, &ve) {
		t.Fatalf("bad decision: %v", err)
	}
	got, err := fam.DecideRequest(ctx, me, day.ID, family.DecideDay)
	if err != nil {
		t.Fatal(err)
	}
	// Until midnight in Hà Nội: 17:00 UTC.
	if want := time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC); !got.Until.Equal(want) {
		t.Fatalf("until %v, want %v", got.Until, want)
	}
	if _, err := fam.DecideRequest(ctx, me, always.ID, family.DecideAlways); err != nil {
		t.Fatal(err)
	}
	if _, err := fam.DecideRequest(ctx, me, refuse.ID, family.DecideRefuse); err != nil {
		t.Fatal(err)
	}
	if _, err := fam.DecideRequest(ctx, me, refuse.ID, family.DecideAlways); !errors.Is(err, family.ErrAlreadyDecided) {
		t.Fatalf("twice: %v", err)
	}
	after, _ := fam.PolicyVersion(ctx)
	if after <= before {
		t.Fatalf("policy version %d → %d: the DNS policy would not reload", before, after)
	}
	prof, _ := fam.Profile(ctx, me, p.ID)
	if len(prof.Rules.TempAllows) != 1 || prof.Rules.TempAllows[0].Domain != "roblox.com" {
		t.Fatalf("temp allows %+v", prof.Rules.TempAllows)
	}
	if len(prof.Rules.Allow) != 1 || prof.Rules.Allow[0] != "khanacademy.org" {
		t.Fatalf("allow %+v", prof.Rules.Allow)
	}
	specs := family.Specs([]family.Profile{*prof}, nil, now)
	if len(specs[0].TempAllow) != 1 || specs[0].TempAllow[0].Domain != "roblox.com" {
		t.Fatalf("the DNS spec lacks the temporary allow: %+v", specs[0].TempAllow)
	}
	if len(family.Specs([]family.Profile{*prof}, nil, now.Add(2*time.Hour))[0].TempAllow) != 0 {
		t.Fatal("the temporary allow outlived midnight")
	}
	pend, _ := fam.PendingRequests(ctx, p.ID)
	if len(pend) != 0 {
		t.Fatalf("still pending: %+v", pend)
	}
}
