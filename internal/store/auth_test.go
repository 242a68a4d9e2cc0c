package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"manglanh/internal/auth"
)

func TestUsersAndSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		u := &auth.User{Email: "gv@truong.vn", Name: "Cô Lan", Role: auth.RoleSchool, OrgID: 12, PasswordHash: "$argon2id$x",
			MustChangePassword: true, TOTPSecret: []byte{1, 2, 0, 3}, CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := s.CreateUser(ctx, u); err != nil || u.ID == 0 {
			t.Fatalf("create: %v (id %d)", err, u.ID)
		}
		dup := *u
		if err := s.CreateUser(ctx, &dup); !errors.Is(err, auth.ErrEmailTaken) {
			t.Fatalf("duplicate e-mail: %v", err)
		}
		got, err := s.UserByEmail(ctx, "gv@truong.vn")
		if err != nil || got.ID != u.ID || got.Role != auth.RoleSchool || got.OrgID != 12 || !got.MustChangePassword ||
			got.Disabled || !bytes.Equal(got.TOTPSecret, u.TOTPSecret) || !got.CreatedAt.Equal(now) || !got.LastLoginAt.IsZero() {
			t.Fatalf("read back %+v, %v", got, err)
		}
		if _, err := s.UserByEmail(ctx, "khong@co.vn"); !errors.Is(err, auth.ErrNotFound) || !errors.Is(err, ErrNotFound) {
			t.Fatalf("missing user: %v", err)
		}
		got.Disabled, got.TOTPEnabled, got.TOTPSecret, got.LastLoginAt = true, true, nil, now.Add(time.Hour)
		if err := s.UpdateUser(ctx, got); err != nil {
			t.Fatal(err)
		}
		again, _ := s.UserByID(ctx, u.ID)
		if !again.Disabled || !again.TOTPEnabled || again.TOTPSecret != nil || !again.LastLoginAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("after update %+v", again)
		}
		if err := s.UpdateUser(ctx, &auth.User{ID: 999}); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("update missing: %v", err)
		}

		// TOTP steps only move forward.
		for _, tc := range []struct {
			step int64
			ok   bool
		}{{100, true}, {100, false}, {99, false}, {101, true}} {
			if ok, err := s.UseTOTPStep(ctx, u.ID, tc.step); err != nil || ok != tc.ok {
				t.Fatalf("step %d: %v, %v", tc.step, ok, err)
			}
		}

		other := &auth.User{Email: "a@phuong.vn", Name: "A", Role: auth.RoleWardAdmin, PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := s.CreateUser(ctx, other); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListUsers(ctx)
		if err != nil || len(list) != 2 || list[0].Email != "a@phuong.vn" {
			t.Fatalf("list %+v, %v", list, err)
		}

		for i, x := range []auth.Session{
			{TokenHash: "h1", UserID: u.ID, Stage: auth.StageFull, CreatedAt: now, LastSeen: now, IP: "192.0.2.1"},
			{TokenHash: "h2", UserID: u.ID, Stage: auth.StagePassword, CreatedAt: now, LastSeen: now.Add(-time.Hour)},
			{TokenHash: "h3", UserID: other.ID, Stage: auth.StageFull, CreatedAt: now.Add(-13 * time.Hour), LastSeen: now},
		} {
			if err := s.CreateSession(ctx, &x); err != nil {
				t.Fatalf("session %d: %v", i, err)
			}
		}
		x, err := s.SessionByHash(ctx, "h1")
		if err != nil || x.UserID != u.ID || x.Stage != auth.StageFull || x.IP != "192.0.2.1" || !x.CreatedAt.Equal(now) {
			t.Fatalf("session %+v, %v", x, err)
		}
		if err := s.TouchSession(ctx, "h1", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if x, _ := s.SessionByHash(ctx, "h1"); !x.LastSeen.Equal(now.Add(time.Minute)) {
			t.Fatalf("touch: %v", x.LastSeen)
		}
		n, err := s.PurgeSessions(ctx, now.Add(-30*time.Minute), now.Add(-12*time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("purge = %d, %v", n, err)
		}
		if _, err := s.SessionByHash(ctx, "h3"); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("purged session: %v", err)
		}
		s.CreateSession(ctx, &auth.Session{TokenHash: "h4", UserID: u.ID, Stage: auth.StageFull, CreatedAt: now, LastSeen: now})
		if n, err := s.DeleteUserSessions(ctx, u.ID); err != nil || n != 2 {
			t.Fatalf("delete user sessions = %d, %v", n, err)
		}
		if err := s.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRecoveryCodesStore(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
		u := &auth.User{Email: "cb@phuong.vn", Name: "Cán bộ", Role: auth.RoleOfficer, PasswordHash: "$argon2id$x",
			CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceRecoveryCodes(ctx, u.ID, []string{"h1", "h2", "h3"}, now); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.UseRecoveryCode(ctx, u.ID, "h2", now); !ok || err != nil {
			t.Fatalf("first use: %v %v", ok, err)
		}
		if ok, err := s.UseRecoveryCode(ctx, u.ID, "h2", now); ok || err != nil {
			t.Fatalf("second use of the same code: %v %v", ok, err)
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID+1, "h1", now); ok {
			t.Fatal("another user's code was accepted")
		}
		if n, err := s.RecoveryCodesLeft(ctx, u.ID); n != 2 || err != nil {
			t.Fatalf("left %d, %v", n, err)
		}
		if err := s.ReplaceRecoveryCodes(ctx, u.ID, []string{"h4"}, now); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.UseRecoveryCode(ctx, u.ID, "h1", now); ok {
			t.Fatal("an old code survived a new issue")
		}
		if n, _ := s.RecoveryCodesLeft(ctx, u.ID); n != 1 {
			t.Fatalf("left %d after a new issue, want 1", n)
		}
	})
}
