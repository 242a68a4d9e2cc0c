package notify_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/notify"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

type nopAudit struct{}

func (nopAudit) Record(context.Context, cases.Actor, string, int64, string) error { return nil }

// TestCaseWorkflowToMailAndNotices runs a report through the real cases
// service, store and notifier to a real SMTP conversation, and checks that
// the right people are told and that no personal data travels.
func TestCaseWorkflowToMailAndNotices(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	users := map[string]int64{}
	for email, role := range map[string]auth.Role{"canbo@phuong.vn": auth.RoleOfficer, "chutich@phuong.vn": auth.RoleChairman,
		"quantri@phuong.vn": auth.RoleWardAdmin} {
		u := &auth.User{Email: email, Name: string(role), Role: role, PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users[email] = u.ID
	}
	key := make([]byte, secret.KeySize)
	rand.Read(key)
	sealer, _ := secret.New(map[byte][]byte{1: key}, 1)
	cs, err := st.Cases(sealer, filepath.Join(dir, "uploads"))
	if err != nil {
		t.Fatal(err)
	}
	port, next := notify.StartPlainSMTP(t)
	m, err := notify.NewMailer(notify.MailerConfig{SMTP: notify.SMTPConfig{Host: "127.0.0.1", Port: port, From: "no-reply@phuong.vn", TLS: notify.TLSNone}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	n, err := notify.New(notify.Config{Users: st, Notices: st, Mailer: m, BaseURL: "https://ml.phuong.vn"})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := cases.NewService(cases.Config{Store: cs, Notifier: n, Audit: nopAudit{}})
	if err != nil {
		t.Fatal(err)
	}
	const child, reporter, place = "Nguyễn Thị Bé Na", "Trần Văn Báo", "Nhà văn hoá tổ 3"
	officer := cases.Actor{UserID: users["canbo@phuong.vn"], Role: cases.RoleOfficer, Name: "Cán bộ"}
	c, err := svc.Intake(ctx, officer, cases.Intake{Category: cases.CategorySextortion, Channel: cases.ChannelPhone, Urgent: true,
		Place: place, Sensitive: cases.Sensitive{ChildName: child, ChildAge: 13, Description: "Bé Na bị doạ tung ảnh",
			ReporterName: reporter, ReporterPhone: "0912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	// New → officers; urgent → ward admins.
	got := map[string]string{}
	for range 2 {
		to, data := next()
		got[to] = data
	}
	if len(got) != 2 || got["canbo@phuong.vn"] == "" || got["quantri@phuong.vn"] == "" {
		t.Fatalf("recipients: %v", keys(got))
	}
	for to, data := range got {
		for _, secret := range []string{child, "Bé Na", reporter, "0912345678", place, "Nguy", "Tr=E1=BA=A7n"} {
			if strings.Contains(data, secret) {
				t.Errorf("mail to %s carries %q", to, secret)
			}
		}
		if !strings.Contains(data, "/can-bo/ho-so/") {
			t.Errorf("mail to %s has no link", to)
		}
	}
	for email, want := range map[string]int{"canbo@phuong.vn": 1, "quantri@phuong.vn": 1, "chutich@phuong.vn": 0} {
		ns, err := st.UserNotices(ctx, users[email], 0)
		if err != nil || len(ns) != want {
			t.Fatalf("%s notices: %d %v", email, len(ns), err)
		}
		for _, x := range ns {
			if x.CaseID != c.ID || strings.Contains(x.TextVi+x.TextEn, "Na") {
				t.Fatalf("notice: %+v", x)
			}
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
