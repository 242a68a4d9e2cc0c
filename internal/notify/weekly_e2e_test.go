package notify_test

import (
	"context"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/notify"
	"manglanh/internal/querylog"
	"manglanh/internal/store"
	"manglanh/internal/web"
)

type plainHasher struct{}

func (plainHasher) Hash(p string) (string, error)    { return "h:" + p, nil }
func (plainHasher) Verify(p, h string) (bool, error) { return h == "h:"+p, nil }

type sendNow struct{ m *notify.Mailer }

func (s sendNow) SendNow(ctx context.Context, to, subject, body string) error {
	return s.m.SendNow(ctx, notify.Message{To: to, Subject: subject, Body: body})
}

// TestWeeklySummaryOverSMTP runs the Monday job against the test SMTP
// server: the parent gets last week's summary as text with the link, the
// page's record says "sent", a second run sends nothing, and a relay that
// cannot be reached is recorded as not sent.
func TestWeeklySummaryOverSMTP(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Monday 7 December 2026, 08:00 in Hà Nội: the job sends week 49.
	now := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	fam, err := family.New(family.Config{Store: st, Hasher: plainHasher{}, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := web.New(web.Config{Families: fam}); err != nil { // registers the e-mail's texts
		t.Fatal(err)
	}
	par, err := fam.SignUp(ctx, family.SignUp{Login: "me@example.com", Password: "con đi học về nhà", Name: "Chị Lan"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := fam.CreateChild(ctx, family.Actor{Parent: par}, family.NewChild{Nickname: "Bin", BirthYear: 2015})
	if err != nil {
		t.Fatal(err)
	}
	// Tuesday of week 49, 10:00 local: 9 gambling sites blocked.
	if err := st.AddHourly(ctx, []querylog.Hourly{{Hour: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC), Profile: p.Label,
		Category: "gambling", Action: querylog.Blocked, Queries: 9}}); err != nil {
		t.Fatal(err)
	}
	port, next := notify.StartPlainSMTP(t)
	m, err := notify.NewMailer(notify.MailerConfig{SMTP: notify.SMTPConfig{Host: "127.0.0.1", Port: port, From: "portal@phuong.example",
		TLS: notify.TLSNone, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	link := func(id int64, week string) string { return "https://mang.example/gia-dinh/tre/1/tuan?tuan=" + week }
	n, err := fam.SendWeekly(ctx, sendNow{m}, web.WeeklyMailText, link)
	if err != nil || n != 1 {
		mm, _ := st.WeeklyMails(ctx, p.ID, "2026-W49")
		t.Fatalf("sent %d, err %v %+v", n, err, mm)
	}
	to, data := next()
	if to != "me@example.com" {
		t.Fatalf("to %s", to)
	}
	body := decodeBody(t, data)
	for _, want := range []string{"Tuần của Bin", "30/11 – 06/12/2026", "cờ bạc: 9", "game bài đổi thưởng", "tuan=2026-W49"} {
		if !strings.Contains(body, want) {
			t.Errorf("e-mail lacks %q:\n%s", want, body)
		}
	}
	mails, _ := st.WeeklyMails(ctx, p.ID, "2026-W49")
	if len(mails) != 1 || mails[0].Status != family.MailSent {
		t.Fatalf("record: %+v", mails)
	}
	if n, _ := fam.SendWeekly(ctx, sendNow{m}, web.WeeklyMailText, link); n != 0 {
		t.Fatalf("sent again: %d", n)
	}

	// A relay that is not there: recorded as not sent, with the reason.
	dead, err := notify.NewMailer(notify.MailerConfig{SMTP: notify.SMTPConfig{Host: "127.0.0.1", Port: 1, From: "portal@phuong.example",
		TLS: notify.TLSNone, Timeout: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	p2, err := fam.CreateChild(ctx, family.Actor{Parent: par}, family.NewChild{Nickname: "Na", BirthYear: 2016})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := fam.SendWeekly(ctx, sendNow{dead}, web.WeeklyMailText, link); n != 0 || err != nil {
		t.Fatalf("dead relay: %d %v", n, err)
	}
	mails, _ = st.WeeklyMails(ctx, p2.ID, "2026-W49")
	if len(mails) != 1 || mails[0].Status != family.MailFailed || mails[0].Error == "" {
		t.Fatalf("a failed e-mail must be recorded as failed: %+v", mails)
	}
	// Not Monday morning: nothing is tried.
	now = time.Date(2026, 12, 9, 1, 0, 0, 0, time.UTC)
	if n, _ := fam.SendWeekly(ctx, sendNow{m}, web.WeeklyMailText, link); n != 0 {
		t.Fatalf("sent on a Wednesday: %d", n)
	}
}

func decodeBody(t *testing.T, data string) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v", err)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
