package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/family"
)

func TestParentAlertsRoutingStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
		mk := func(email, label string) (*family.Parent, *family.Profile) {
			par := &family.Parent{Email: email, PasswordHash: "x", Status: family.StatusActive, Lang: "vi", CreatedAt: now, UpdatedAt: now}
			if err := s.CreateParent(ctx, par, nil); err != nil {
				t.Fatal(err)
			}
			p := &family.Profile{Kind: family.KindChild, ParentID: par.ID, Nickname: "Bin", Label: label, ChildToken: label + "tok", CreatedAt: now, UpdatedAt: now}
			if err := s.CreateProfile(ctx, p); err != nil {
				t.Fatal(err)
			}
			return par, p
		}
		par, p := mk("me@example.com", "bin-ab12")
		other, _ := mk("o@example.com", "na-cd34")
		c, ok, err := s.ParentOfProfile(ctx, "bin-ab12")
		if err != nil || !ok || c.ParentID != par.ID || c.ProfileID != p.ID || c.Email != "me@example.com" || c.Nickname != "Bin" {
			t.Fatalf("parent of profile: %+v %v %v", c, ok, err)
		}
		if _, ok, err := s.ParentOfProfile(ctx, "yaml-profile"); ok || err != nil {
			t.Fatalf("a profile without a parent: %v %v", ok, err)
		}
		a := alert.Alert{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: p.Label, Category: "gambling", Level: "medium", Time: now, Count: 5}
		if err := s.SaveAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
		d := alert.ParentDelivery{AlertID: a.ID, ParentID: par.ID, ProfileID: p.ID, Rule: a.Rule, Time: now, MailStatus: alert.ParentMailPending}
		if err := s.SaveParentDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if last, err := s.LastParentMail(ctx, p.ID, a.Rule); err != nil || !last.IsZero() {
			t.Fatalf("nothing mailed yet: %v %v", last, err)
		}
		d.MailStatus, d.MailedAt = alert.ParentMailSent, now.Add(time.Second)
		if err := s.SaveParentDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if last, err := s.LastParentMail(ctx, p.ID, a.Rule); err != nil || !last.Equal(d.MailedAt) {
			t.Fatalf("last mail: %v %v", last, err)
		}
		list, err := s.ParentAlerts(ctx, par.ID, 10)
		if err != nil || len(list) != 1 || list[0].Alert.ID != a.ID || list[0].Delivery.MailStatus != alert.ParentMailSent {
			t.Fatalf("parent alerts: %+v %v", list, err)
		}
		if list, _ := s.ParentAlerts(ctx, other.ID, 10); len(list) != 0 {
			t.Fatalf("another parent sees: %+v", list)
		}
		if _, err := s.ParentAlert(ctx, other.ID, a.ID); !errors.Is(err, family.ErrNotFound) {
			t.Fatalf("another parent's alert: %v", err)
		}
		if err := s.MarkParentAlertShared(ctx, a.ID, "consent words", now); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkParentAlertShared(ctx, a.ID, "later words", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ParentAlert(ctx, par.ID, a.ID)
		if err != nil || got.Consent != "consent words" || !got.SharedAt.Equal(now) {
			t.Fatalf("shared: %+v %v", got, err)
		}
	})
}

func TestFamilyBedtime(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		par := &family.Parent{Email: "b@example.com", PasswordHash: "x", Status: family.StatusActive, Lang: "vi", CreatedAt: now, UpdatedAt: now}
		if err := s.CreateParent(ctx, par, nil); err != nil {
			t.Fatal(err)
		}
		p := &family.Profile{Kind: family.KindChild, ParentID: par.ID, Nickname: "Bin", Label: "bin-zz99", ChildToken: "tokzz99", CreatedAt: now, UpdatedAt: now,
			Rules: family.Rules{Schedules: []family.Schedule{
				{Name: "Giờ học", From: "07:00", To: "11:00", Block: []string{"tiktok"}},
				{From: "21:30", To: "06:00", AllowOnly: []string{"zalo"}},
			}}}
		if err := s.CreateProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			label, schedule string
			want            bool
		}{
			{"bin-zz99", "bin-zz99-2", true},
			{"bin-zz99", "Giờ học", false},
			{"bin-zz99", "nope", false},
			{"other", "bin-zz99-2", false},
		} {
			got, err := s.FamilyBedtime(ctx, tc.label, tc.schedule)
			if err != nil || got != tc.want {
				t.Errorf("%s/%s: %v %v, want %v", tc.label, tc.schedule, got, err, tc.want)
			}
		}
	})
}
