package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
)

func TestOrganisationsRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		a := &cases.Organisation{Name: "Trường THCS Phù Liễn", Kind: cases.AgencySchool, Phone: "0225 3 876 543",
			Email: "thcs@phulien.edu.vn", Address: "Số 1 Phù Liễn", Contact: "Cô Hạnh, hiệu phó", Active: true,
			CreatedAt: now, UpdatedAt: now}
		b := &cases.Organisation{Name: "Công an phường", Kind: cases.AgencyPolice, Active: true, CreatedAt: now, UpdatedAt: now}
		for _, o := range []*cases.Organisation{a, b} {
			if err := s.CreateOrganisation(ctx, o); err != nil || o.ID == 0 {
				t.Fatalf("create: %v, id %d", err, o.ID)
			}
		}
		got, err := s.Organisation(ctx, a.ID)
		if err != nil || *got != *a {
			t.Fatalf("read back %+v, %v; want %+v", got, err, a)
		}
		a.Active, a.Phone = false, "0225 000"
		if err := s.UpdateOrganisation(ctx, a); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Organisation(ctx, a.ID); got.Active || got.Phone != "0225 000" {
			t.Errorf("update not stored: %+v", got)
		}
		if _, err := s.Organisation(ctx, 99); !errors.Is(err, cases.ErrOrgNotFound) {
			t.Errorf("#99: %v", err)
		}
		if err := s.UpdateOrganisation(ctx, &cases.Organisation{ID: 99, Name: "x", Kind: cases.AgencySchool}); !errors.Is(err, cases.ErrOrgNotFound) {
			t.Errorf("updating #99: %v", err)
		}
		all, _ := s.Organisations(ctx)
		if len(all) != 2 || all[0].Kind != cases.AgencyPolice {
			t.Errorf("list by kind: %+v", all)
		}
	})
}

func TestStaffMembers(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, u := range []*auth.User{
			{Email: "cb@phuong.vn", Name: "Chị Lan", Role: auth.RoleOfficer},
			{Email: "off@phuong.vn", Name: "Anh Nghỉ", Role: auth.RoleOfficer, Disabled: true},
		} {
			u.PasswordHash = "h"
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := s.StaffMembers(ctx)
		if err != nil || len(ms) != 2 || ms[0].Name != "Anh Nghỉ" || ms[0].Active || !ms[1].Active || ms[1].Role != cases.RoleOfficer {
			t.Fatalf("staff %+v, %v", ms, err)
		}
		if _, err := s.StaffMember(ctx, 99); !errors.Is(err, cases.ErrNotFound) {
			t.Errorf("#99: %v", err)
		}
	})
}

func TestTypedStepsAndDeliveryRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cs := caseStore(t, s)
		now := time.Now().UTC().Truncate(time.Millisecond)
		c := sampleCase("TYPED001", now)
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		c.Referrals = append(c.Referrals, cases.Referral{AgencyKind: cases.AgencySchool, OrgID: 5, Status: cases.ReferralPending,
			ReferredAt: now, Delivery: cases.DeliveryNobody})
		c.Steps = append(c.Steps,
			cases.Step{At: now, ActorID: 3, Action: cases.ActionRefer, OrgID: 5, AgencyKind: cases.AgencySchool,
				ReferralTo: cases.ReferralPending, Consent: true},
			cases.Step{At: now, ActorID: 3, Action: cases.ActionHandOff111, Parts: []cases.HandOffPart{cases.PartChild, cases.PartFamily}},
			cases.Step{At: now, ActorID: 3, Action: cases.ActionEditDetails, Fields: []string{"likely_harm", "caregiver"}},
			cases.Step{At: now, ActorID: 1, Action: cases.ActionAssign, AssigneeID: 3})
		if err := cs.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		c.Referrals[0].Delivery, c.Referrals[0].DeliveredAccounts, c.Referrals[0].DeliveredEmails = cases.DeliveryDelivered, 2, 1
		if err := cs.UpdateCase(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := cs.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r := got.Referrals[0]; r.Delivery != cases.DeliveryDelivered || r.DeliveredAccounts != 2 || r.DeliveredEmails != 1 {
			t.Errorf("referral delivery %+v", r)
		}
		st := got.Steps
		if len(st) != 5 || st[1].OrgID != 5 || st[1].AgencyKind != cases.AgencySchool || !st[1].Consent ||
			st[1].ReferralTo != cases.ReferralPending ||
			!slices.Equal(st[2].Parts, []cases.HandOffPart{cases.PartChild, cases.PartFamily}) ||
			!slices.Equal(st[3].Fields, []string{"likely_harm", "caregiver"}) || st[4].AssigneeID != 3 {
			t.Errorf("typed steps read back as %+v", st)
		}
	})
}

// TestLegacyHistoryIsConverted builds rows as they were before migration
// 0210 (English sentences in sealed notes, no typed fields), opens the case
// store again, and reads typed fields.
func TestLegacyHistoryIsConverted(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		sealer := testSealer(t)
		uploads := filepath.Join(t.TempDir(), "uploads")
		cs, err := s.Cases(sealer, uploads)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		c := sampleCase("LEGACY01", now)
		c.Referrals = []cases.Referral{{AgencyKind: cases.AgencySchool, OrgID: 12, Status: cases.ReferralAccepted, ReferredAt: now}}
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		refID := c.Referrals[0].ID
		old := []struct {
			action cases.Action
			note   string
		}{
			{cases.ActionAssign, "assignee 7"},
			{cases.ActionRefer, "referred to school 12 (consent true)"},
			{cases.ActionReferralUpdate, "referral " + itoa(int(refID)) + " pending -> accepted"},
			{cases.ActionAssess, "Ghi chú thật của cán bộ"},
		}
		for _, o := range old {
			note, err := cs.seal(o.note)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.write.ExecContext(ctx, `INSERT INTO case_steps (case_id, at, actor_id, actor_name, actor_role,
				action, from_status, to_status, note) VALUES ($1, $2, 1, 'Quản trị', 'ward_admin', $3, 'received', 'received', $4)`,
				c.ID, ms(now), string(o.action), note); err != nil {
				t.Fatal(err)
			}
		}
		// An account typed with an organisation number before the directory.
		if err := s.CreateUser(ctx, &auth.User{Email: "gv@truong.vn", Name: "Cô Lan", Role: auth.RoleSchool, OrgID: 12, PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		cs2, err := s.Cases(sealer, uploads) // what start-up does
		if err != nil {
			t.Fatal(err)
		}
		got, err := cs2.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		st := got.Steps
		if len(st) != 5 {
			t.Fatalf("%d steps", len(st))
		}
		if st[1].AssigneeID != 7 || st[1].Note != "" {
			t.Errorf("assign: %+v", st[1])
		}
		if st[2].OrgID != 12 || st[2].AgencyKind != cases.AgencySchool || !st[2].Consent || st[2].ReferralTo != cases.ReferralPending || st[2].Note != "" {
			t.Errorf("refer: %+v", st[2])
		}
		if st[3].ReferralID != refID || st[3].ReferralFrom != cases.ReferralPending || st[3].ReferralTo != cases.ReferralAccepted ||
			st[3].OrgID != 12 || st[3].AgencyKind != cases.AgencySchool {
			t.Errorf("referral update: %+v", st[3])
		}
		if st[4].Note != "Ghi chú thật của cán bộ" {
			t.Errorf("a real note was touched: %q", st[4].Note)
		}
		var untyped int
		if err := s.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_steps WHERE typed = 0").Scan(&untyped); err != nil || untyped != 0 {
			t.Errorf("%d untyped rows left, %v", untyped, err)
		}
		o, err := s.Organisation(ctx, 12)
		if err != nil || o.Kind != cases.AgencySchool || !o.Active {
			t.Errorf("organisation #12 typed before the directory: %+v, %v", o, err)
		}
		// A new organisation does not take an old number.
		n := &cases.Organisation{Name: "Trường mới", Kind: cases.AgencySchool, Active: true}
		if err := s.CreateOrganisation(ctx, n); err != nil || n.ID <= 12 {
			t.Errorf("new organisation id %d, %v", n.ID, err)
		}
		// Converting again changes nothing.
		if k, err := cs2.convertLegacySteps(ctx); err != nil || k != 0 {
			t.Errorf("second conversion: %d, %v", k, err)
		}
	})
}
