package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"manglanh/internal/family"
)

func newParent(t *testing.T, s *Store, email, phone string) *family.Parent {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	p := &family.Parent{Email: email, Phone: phone, Name: "Chị Lan", PasswordHash: "$argon2id$x", Status: family.StatusActive,
		Lang: "vi", CreatedAt: now, UpdatedAt: now}
	if err := s.CreateParent(context.Background(), p, []string{"h1", "h2"}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFamilyParentsStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := newParent(t, s, "lan@example.com", "")
		b := newParent(t, s, "", "+84912345678")
		if a.ID == 0 || b.ID == a.ID {
			t.Fatalf("ids %d %d", a.ID, b.ID)
		}
		// Unique logins, e-mail and phone separately; two NULL e-mails are fine.
		if err := s.CreateParent(ctx, &family.Parent{Email: "lan@example.com", PasswordHash: "x", Status: "active"}, nil); !errors.Is(err, family.ErrLoginTaken) {
			t.Fatalf("duplicate e-mail: %v", err)
		}
		if err := s.CreateParent(ctx, &family.Parent{Phone: "+84912345678", PasswordHash: "x", Status: "active"}, nil); !errors.Is(err, family.ErrLoginTaken) {
			t.Fatalf("duplicate phone: %v", err)
		}
		newParent(t, s, "", "+84987654321")

		got, err := s.ParentByLogin(ctx, "+84912345678")
		if err != nil || got.ID != b.ID || got.Email != "" || got.Name != "Chị Lan" {
			t.Fatalf("by phone: %+v %v", got, err)
		}
		if got, err := s.ParentByLogin(ctx, "lan@example.com"); err != nil || got.ID != a.ID {
			t.Fatalf("by e-mail: %+v %v", got, err)
		}
		if _, err := s.ParentByLogin(ctx, "nobody@example.com"); !errors.Is(err, family.ErrNotFound) || !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing: %v", err)
		}
		a.Status, a.SchoolOrgID, a.MustChangePassword, a.ApprovedBy = family.StatusPending, 7, true, ""
		if err := s.UpdateParent(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, _ = s.ParentByID(ctx, a.ID)
		if got.Status != family.StatusPending || got.SchoolOrgID != 7 || !got.MustChangePassword {
			t.Fatalf("after update: %+v", got)
		}
		if ps, err := s.Parents(ctx, family.StatusPending, 7, 10); err != nil || len(ps) != 1 || ps[0].ID != a.ID {
			t.Fatalf("pending of school 7: %+v %v", ps, err)
		}
		if ps, _ := s.Parents(ctx, family.StatusPending, 8, 10); len(ps) != 0 {
			t.Fatalf("pending of school 8: %+v", ps)
		}
		if ps, _ := s.Parents(ctx, family.StatusActive, 0, 10); len(ps) != 2 {
			t.Fatalf("active: %d", len(ps))
		}

		// Sessions.
		now := time.Now().UTC().Truncate(time.Millisecond)
		if err := s.CreateParentSession(ctx, &family.Session{TokenHash: "t1", ParentID: a.ID, CreatedAt: now, LastSeen: now, IP: "10.0.0.1"}); err != nil {
			t.Fatal(err)
		}
		s.CreateParentSession(ctx, &family.Session{TokenHash: "t2", ParentID: a.ID, CreatedAt: now, LastSeen: now})
		s.CreateParentSession(ctx, &family.Session{TokenHash: "t3", ParentID: b.ID, CreatedAt: now, LastSeen: now})
		if x, err := s.ParentSession(ctx, "t1"); err != nil || x.ParentID != a.ID || x.IP != "10.0.0.1" || !x.CreatedAt.Equal(now) {
			t.Fatalf("session: %+v %v", x, err)
		}
		later := now.Add(time.Hour)
		s.TouchParentSession(ctx, "t1", later)
		if x, _ := s.ParentSession(ctx, "t1"); !x.LastSeen.Equal(later) {
			t.Fatalf("touch: %v", x.LastSeen)
		}
		s.DeleteParentSession(ctx, "t1")
		if _, err := s.ParentSession(ctx, "t1"); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("deleted session: %v", err)
		}
		s.DeleteParentSessions(ctx, a.ID)
		if _, err := s.ParentSession(ctx, "t2"); !errors.Is(err, family.ErrNotFound) {
			t.Fatal("t2 survived DeleteParentSessions")
		}
		if _, err := s.ParentSession(ctx, "t3"); err != nil {
			t.Fatal("another parent's session was deleted")
		}

		// Recovery codes: the creation set, then a replacement; each once.
		if n, _ := s.ParentRecoveryCodesLeft(ctx, a.ID); n != 2 {
			t.Fatalf("codes at creation: %d", n)
		}
		if err := s.ReplaceParentRecoveryCodes(ctx, a.ID, []string{"c1", "c2", "c3"}, now); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.UseParentRecoveryCode(ctx, a.ID, "h1", now); ok {
			t.Fatal("an old code passed after replacement")
		}
		if ok, _ := s.UseParentRecoveryCode(ctx, b.ID, "c1", now); ok {
			t.Fatal("a's code passed for b")
		}
		if ok, _ := s.UseParentRecoveryCode(ctx, a.ID, "c1", now); !ok {
			t.Fatal("a fresh code failed")
		}
		if ok, _ := s.UseParentRecoveryCode(ctx, a.ID, "c1", now); ok {
			t.Fatal("a code passed twice")
		}
		if n, _ := s.ParentRecoveryCodesLeft(ctx, a.ID); n != 2 {
			t.Fatalf("codes left: %d", n)
		}

		// Reset tokens: live, expired, used once; using one ends sessions.
		s.CreateParentSession(ctx, &family.Session{TokenHash: "t4", ParentID: a.ID, CreatedAt: now, LastSeen: now})
		if err := s.CreateResetToken(ctx, a.ID, "r1", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		s.CreateResetToken(ctx, a.ID, "r2", now.Add(time.Hour))
		s.CreateResetToken(ctx, a.ID, "old", now.Add(-time.Minute))
		if id, err := s.ResetTokenParent(ctx, "r1", now); err != nil || id != a.ID {
			t.Fatalf("live token: %d %v", id, err)
		}
		if _, err := s.ResetTokenParent(ctx, "old", now); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("expired token: %v", err)
		}
		if _, err := s.UseResetToken(ctx, "old", now, "new"); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("using an expired token: %v", err)
		}
		if id, err := s.UseResetToken(ctx, "r1", now, "$new"); err != nil || id != a.ID {
			t.Fatalf("using: %d %v", id, err)
		}
		if _, err := s.UseResetToken(ctx, "r1", now, "$again"); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("second use: %v", err)
		}
		if _, err := s.UseResetToken(ctx, "r2", now, "$other"); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("a sibling link still worked after a reset: %v", err)
		}
		got, _ = s.ParentByID(ctx, a.ID)
		if got.PasswordHash != "$new" || got.MustChangePassword {
			t.Fatalf("after reset: %+v", got)
		}
		if _, err := s.ParentSession(ctx, "t4"); !errors.Is(err, family.ErrNotFound) {
			t.Fatal("a session survived the reset")
		}
	})
}

func TestFamilyProfilesStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := newParent(t, s, "a@example.com", "")
		b := newParent(t, s, "b@example.com", "")
		v0, err := s.PolicyVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		pause := now.Add(2 * time.Hour)
		rules := family.Rules{Block: []string{"adult", "tiktok"}, SafeSearch: "strict", Allow: []string{"vnexpress.net"},
			Deny: []string{"example.com"}, Schedules: []family.Schedule{{Name: "ngủ", Days: []string{"mon"}, From: "21:30", To: "06:00", AllowOnly: []string{"zalo"}}},
			Budgets: []family.Budget{{Key: "each:games", Minutes: 45}}, PausedUntil: pause,
			TempAllows: []family.TempAllow{{Domain: "roblox.com", Until: now.Add(time.Hour)}}}
		p := &family.Profile{Kind: family.KindChild, ParentID: a.ID, Nickname: "Bé An", BirthYear: 2015, Label: "be-an-abcd",
			ChildToken: "tok-a", TimeZone: "Asia/Ho_Chi_Minh", Rules: rules, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		v1, _ := s.PolicyVersion(ctx)
		if v1 <= v0 {
			t.Fatalf("create did not bump the version: %d → %d", v0, v1)
		}
		got, err := s.FamilyProfile(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.Rules) != fmt.Sprint(rules) || got.Label != "be-an-abcd" || got.ParentID != a.ID || got.BirthYear != 2015 {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got.Rules, rules)
		}
		// nil means age defaults, empty means none: both survive.
		q := &family.Profile{Kind: family.KindChild, ParentID: b.ID, Nickname: "Bình", Label: "binh-wxyz", ChildToken: "tok-b",
			Rules: family.Rules{Budgets: []family.Budget{}}, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateProfile(ctx, q); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FamilyProfile(ctx, q.ID)
		if got.Rules.Block != nil || got.Rules.Budgets == nil || len(got.Rules.Budgets) != 0 {
			t.Fatalf("nil/empty lost: block %#v budgets %#v", got.Rules.Block, got.Rules.Budgets)
		}
		// Labels are unique across profiles and devices.
		dup := &family.Profile{Kind: family.KindChild, ParentID: b.ID, Nickname: "x", Label: "be-an-abcd", Rules: family.Rules{}, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateProfile(ctx, dup); !errors.Is(err, family.ErrLabelTaken) {
			t.Fatalf("duplicate label: %v", err)
		}
		if err := s.CreateDevice(ctx, &family.Device{ProfileID: q.ID, Name: "máy", Kind: "android", Label: "be-an-abcd", CreatedAt: now}); !errors.Is(err, family.ErrLabelTaken) {
			t.Fatalf("device with a profile's label: %v", err)
		}
		if used, _ := s.LabelUsed(ctx, "be-an-abcd"); !used {
			t.Fatal("LabelUsed false for a used label")
		}
		if got, err := s.ProfileByToken(ctx, "tok-b"); err != nil || got.ID != q.ID {
			t.Fatalf("by token: %v %v", got, err)
		}
		if _, err := s.ProfileByToken(ctx, "nope"); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}
		if ps, _ := s.ProfilesOfParent(ctx, a.ID); len(ps) != 1 || ps[0].ID != p.ID {
			t.Fatalf("a's profiles: %+v", ps)
		}
		// A school profile with networks.
		sch := &family.Profile{Kind: family.KindSchool, OrgID: 9, Nickname: "THCS Lê Lợi", Label: "le-loi-0001",
			Networks: []string{"10.1.0.0/16", "192.0.2.7"}, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateProfile(ctx, sch); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.ProfilesOfOrg(ctx, 9); len(ps) != 1 || !slices.Equal(ps[0].Networks, sch.Networks) || ps[0].ChildToken != "" {
			t.Fatalf("school profiles: %+v", ps)
		}

		// UpdateProfile: the change and the bump in one transaction; an
		// error from the callback writes nothing and bumps nothing.
		before, _ := s.PolicyVersion(ctx)
		_, err = s.UpdateProfile(ctx, p.ID, func(x *family.Profile) error {
			x.Rules.Block = []string{"none"}
			return errors.New("refused")
		})
		if err == nil || err.Error() != "refused" {
			t.Fatalf("callback error: %v", err)
		}
		if v, _ := s.PolicyVersion(ctx); v != before {
			t.Fatal("a refused update bumped the version")
		}
		if got, _ := s.FamilyProfile(ctx, p.ID); !slices.Equal(got.Rules.Block, []string{"adult", "tiktok"}) {
			t.Fatalf("a refused update was written: %v", got.Rules.Block)
		}
		up, err := s.UpdateProfile(ctx, sch.ID, func(x *family.Profile) error {
			x.Rules.Block = []string{"games"}
			x.Networks = []string{"10.2.0.0/16"}
			return nil
		})
		if err != nil || !slices.Equal(up.Networks, []string{"10.2.0.0/16"}) {
			t.Fatalf("update: %+v %v", up, err)
		}
		if got, _ := s.FamilyProfile(ctx, sch.ID); !slices.Equal(got.Networks, []string{"10.2.0.0/16"}) || !slices.Equal(got.Rules.Block, []string{"games"}) {
			t.Fatalf("after update: %+v", got)
		}
		if v, _ := s.PolicyVersion(ctx); v != before+1 {
			t.Fatalf("update bumped %d → %d", before, v)
		}
		if _, err := s.UpdateProfile(ctx, 99999, func(*family.Profile) error { return nil }); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("update of a missing profile: %v", err)
		}

		// Devices.
		d := &family.Device{ProfileID: p.ID, Name: "Điện thoại của An", Kind: "android", Label: "be-an-abcd-d1", Clients: []string{"192.168.1.0/24"}, CreatedAt: now}
		if err := s.CreateDevice(ctx, d); err != nil {
			t.Fatal(err)
		}
		s.CreateDevice(ctx, &family.Device{ProfileID: p.ID, Name: "iPad", Kind: "ios", Label: "be-an-abcd-d2", CreatedAt: now})
		if err := s.CreateDevice(ctx, &family.Device{ProfileID: 99999, Name: "x", Kind: "ios", Label: "orphan-1", CreatedAt: now}); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("device of a missing profile: %v", err)
		}
		if used, _ := s.LabelUsed(ctx, "orphan-1"); used {
			t.Fatal("a failed device insert kept its label")
		}
		ds, err := s.DevicesOf(ctx, p.ID)
		if err != nil || len(ds) != 2 || ds[0].Name != "Điện thoại của An" || !slices.Equal(ds[0].Clients, d.Clients) || len(ds[1].Clients) != 0 {
			t.Fatalf("devices: %+v %v", ds, err)
		}
		if got, err := s.FamilyDevice(ctx, d.ID); err != nil || got.ProfileID != p.ID {
			t.Fatalf("device: %+v %v", got, err)
		}

		ps, dvs, err := s.PolicyProfiles(ctx)
		if err != nil || len(ps) != 3 || len(dvs) != 2 {
			t.Fatalf("policy: %d profiles, %d devices, %v", len(ps), len(dvs), err)
		}
		for _, x := range ps {
			if x.ID == sch.ID && !slices.Equal(x.Networks, []string{"10.2.0.0/16"}) {
				t.Fatalf("policy networks: %v", x.Networks)
			}
		}

		v, _ := s.PolicyVersion(ctx)
		if err := s.DeleteDevice(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if used, _ := s.LabelUsed(ctx, "be-an-abcd-d1"); used {
			t.Fatal("a deleted device kept its label")
		}
		if err := s.DeleteDevice(ctx, d.ID); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
		if err := s.DeleteProfile(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if v2, _ := s.PolicyVersion(ctx); v2 != v+2 {
			t.Fatalf("deletes bumped %d → %d", v, v2)
		}
		for _, l := range []string{"be-an-abcd", "be-an-abcd-d2"} {
			if used, _ := s.LabelUsed(ctx, l); used {
				t.Fatalf("label %s kept after the profile was deleted", l)
			}
		}
		if ds, _ := s.DevicesOf(ctx, p.ID); len(ds) != 0 {
			t.Fatalf("devices of a deleted profile: %v", ds)
		}
		if err := s.DeleteProfile(ctx, p.ID); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("second profile delete: %v", err)
		}
	})
}

// TestPolicyNotify checks that a change on PostgreSQL notifies
// manglanh_policy when, and only when, it commits.
func TestPolicyNotify(t *testing.T) {
	s := OpenTestPostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := s.write.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "LISTEN manglanh_policy"); err != nil {
		t.Fatal(err)
	}
	a := newParent(t, s, "n@example.com", "")
	now := time.Now().UTC()
	if err := s.CreateProfile(ctx, &family.Profile{Kind: family.KindChild, ParentID: a.ID, Nickname: "N", Label: "n-0001", ChildToken: "tn", CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := waitNotification(ctx, conn); err != nil {
		t.Fatalf("no notification after a committed change: %v", err)
	}
}

func waitNotification(ctx context.Context, conn *sql.Conn) error {
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver conn is %T", dc)
		}
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		n, err := pc.Conn().WaitForNotification(wctx)
		if err != nil {
			return err
		}
		if n.Channel != "manglanh_policy" {
			return fmt.Errorf("channel %q", n.Channel)
		}
		return nil
	})
}

func TestFamilyDeleteParent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		a := newParent(t, s, "a@example.com", "")
		b := newParent(t, s, "b@example.com", "")
		now := time.Now().UTC()
		for i, owner := range []int64{a.ID, a.ID, b.ID} {
			p := &family.Profile{Kind: family.KindChild, ParentID: owner, Nickname: "x", Label: fmt.Sprintf("l-%d", i),
				ChildToken: fmt.Sprintf("t-%d", i), CreatedAt: now, UpdatedAt: now}
			if err := s.CreateProfile(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateDevice(ctx, &family.Device{ProfileID: p.ID, Name: "d", Kind: "ios", Label: fmt.Sprintf("l-%d-d", i), CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		s.CreateParentSession(ctx, &family.Session{TokenHash: "sa", ParentID: a.ID, CreatedAt: now, LastSeen: now})
		s.CreateResetToken(ctx, a.ID, "ra", now.Add(time.Hour))
		v, _ := s.PolicyVersion(ctx)
		if err := s.DeleteParent(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if v2, _ := s.PolicyVersion(ctx); v2 != v+1 {
			t.Fatalf("version %d → %d", v, v2)
		}
		if _, err := s.ParentByID(ctx, a.ID); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("parent kept: %v", err)
		}
		ps, ds, _ := s.PolicyProfiles(ctx)
		if len(ps) != 1 || ps[0].ParentID != b.ID || len(ds) != 1 || ds[0].ProfileID != ps[0].ID {
			t.Fatalf("left: %+v %+v", ps, ds)
		}
		for _, l := range []string{"l-0", "l-0-d", "l-1", "l-1-d"} {
			if used, _ := s.LabelUsed(ctx, l); used {
				t.Fatalf("label %s kept", l)
			}
		}
		if used, _ := s.LabelUsed(ctx, "l-2-d"); !used {
			t.Fatal("another family's label was freed")
		}
		if _, err := s.ParentSession(ctx, "sa"); !errors.Is(err, family.ErrNotFound) {
			t.Fatal("session kept")
		}
		if err := s.DeleteParent(ctx, a.ID); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})
}
