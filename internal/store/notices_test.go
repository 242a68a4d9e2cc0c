package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/notify"
)

func TestNoticeRecipientsAndReadState(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		now := time.Now()
		mk := func(email string, role auth.Role, org int64, disabled bool) int64 {
			u := &auth.User{Email: email, Name: email, Role: role, OrgID: org, PasswordHash: "h", Disabled: disabled,
				CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		off1 := mk("o1@phuong.vn", auth.RoleOfficer, 0, false)
		off2 := mk("o2@phuong.vn", auth.RoleOfficer, 0, false)
		mk("o3@phuong.vn", auth.RoleOfficer, 0, true) // disabled: never told
		sch5 := mk("gv5@truong.vn", auth.RoleSchool, 5, false)
		mk("gv6@truong.vn", auth.RoleSchool, 6, false)

		ids := func(rs []notify.Recipient) []int64 {
			var out []int64
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return out
		}
		for _, tc := range []struct {
			name string
			user int64
			role string
			org  int64
			want []int64
		}{
			{"role", 0, cases.RoleOfficer, 0, []int64{off1, off2}},
			{"org", 0, cases.RoleSchool, 5, []int64{sch5}},
			{"user", off2, "", 0, []int64{off2}},
			{"user wins over role", off1, cases.RoleSchool, 6, []int64{off1}},
			{"nobody", 0, cases.RoleChairman, 0, nil},
		} {
			rs, err := s.ActiveRecipients(ctx, tc.user, tc.role, tc.org)
			if err != nil || !slices.Equal(ids(rs), tc.want) {
				t.Errorf("%s: %v %v, want %v", tc.name, ids(rs), err, tc.want)
			}
		}
		if rs, _ := s.ActiveRecipients(ctx, off1, "", 0); len(rs) != 1 || rs[0].Email != "o1@phuong.vn" {
			t.Fatalf("recipient fields: %+v", rs)
		}

		cs := caseStore(t, s)
		c := sampleCase("NOTI2345", now)
		if err := cs.CreateCase(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
		ns := []notify.Notice{
			{UserID: off1, CaseID: c.ID, Kind: cases.EventNew, TextVi: "Có báo cáo mới", TextEn: "New report", CreatedAt: now},
			{UserID: off2, CaseID: c.ID, Kind: cases.EventNew, TextVi: "Có báo cáo mới", TextEn: "New report", CreatedAt: now},
			{UserID: off1, CaseID: c.ID, Kind: cases.EventOverdue, TextVi: "Quá hạn", TextEn: "Overdue", CreatedAt: now.Add(time.Minute)},
		}
		if err := s.AddNotices(ctx, ns); err != nil {
			t.Fatal(err)
		}
		if ns[0].ID == 0 || ns[2].ID <= ns[0].ID {
			t.Fatalf("ids not set: %+v", ns)
		}
		got, err := s.UserNotices(ctx, off1, 0)
		if err != nil || len(got) != 2 || got[0].Kind != cases.EventOverdue || got[0].TextVi != "Quá hạn" ||
			got[0].CaseID != c.ID || !got[0].ReadAt.IsZero() || got[1].CreatedAt.UnixMilli() != now.UnixMilli() {
			t.Fatalf("notices of user 1: %+v %v", got, err)
		}
		if n, _ := s.UnreadNotices(ctx, off1); n != 2 {
			t.Fatalf("unread: %d", n)
		}
		// Another user's notice id is never marked.
		if n, err := s.MarkNoticesRead(ctx, off1, []int64{ns[1].ID}, now); n != 0 || err != nil {
			t.Fatalf("marked someone else's notice: %d %v", n, err)
		}
		if n, _ := s.MarkNoticesRead(ctx, off1, []int64{ns[2].ID}, now); n != 1 {
			t.Fatalf("mark one: %d", n)
		}
		if n, _ := s.UnreadNotices(ctx, off1); n != 1 {
			t.Fatalf("unread after one: %d", n)
		}
		if n, _ := s.MarkNoticesRead(ctx, off1, nil, now); n != 1 {
			t.Fatalf("mark all: %d", n)
		}
		if n, _ := s.UnreadNotices(ctx, off2); n != 1 {
			t.Fatalf("user 2 unread: %d", n)
		}
		if got, _ := s.UserNotices(ctx, off1, 1); len(got) != 1 || got[0].ReadAt.IsZero() {
			t.Fatalf("limit and read time: %+v", got)
		}
		// Purging the case takes its notices with it.
		if err := cs.DeleteCase(ctx, c.ID, cases.DeletionRecord{CaseID: c.ID, Code: c.Code, Category: c.Category,
			Channel: c.Channel, ReceivedAt: now, ClosedAt: now, DeletedAt: now}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.UserNotices(ctx, off2, 0); len(got) != 0 {
			t.Fatalf("notices outlived their case: %+v", got)
		}
	})
}
