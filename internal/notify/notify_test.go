package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/cases"
)

type fakeUsers struct{ byRole map[string][]Recipient }

func (f fakeUsers) ActiveRecipients(_ context.Context, userID int64, role string, orgID int64) ([]Recipient, error) {
	if userID != 0 {
		for _, rs := range f.byRole {
			for _, r := range rs {
				if r.ID == userID {
					return []Recipient{r}, nil
				}
			}
		}
		return nil, nil
	}
	return f.byRole[role], nil
}

type fakeNotices struct {
	mu  sync.Mutex
	ns  []Notice
	err error
}

func (f *fakeNotices) AddNotices(_ context.Context, ns []Notice) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	f.ns = append(f.ns, ns...)
	return nil
}

// parsed is a received message decoded as a mail client would.
type parsed struct {
	subject, body string
	header        mail.Header
}

func decode(t *testing.T, data string) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not a valid message: %v\n%s", err, data)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" || !strings.Contains(m.Header.Get("Content-Type"), "charset=utf-8") {
		t.Fatalf("content headers: %v", m.Header)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
		if len(line) > 998 {
			t.Fatalf("line longer than RFC 5322 allows: %d", len(line))
		}
	}
	return parsed{subject: subj, body: string(body), header: m.Header}
}

func testEvent() cases.Event {
	return cases.Event{Kind: cases.EventOverdue, CaseID: 42, Code: "AB23CD45", Category: cases.CategorySextortion,
		RiskLevel: cases.LevelHigh, Urgent: true, Deadline: cases.DeadlineEmergency,
		Due: time.Date(2026, 11, 27, 7, 30, 0, 0, time.UTC), ToUserID: 7, At: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
}

func TestCaseEventOverSTARTTLSWithAuth(t *testing.T) {
	cert, pool := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS(cert), user: "canbo", pass: "mật-khẩu-bí-mật"})
	var logBuf syncBuffer
	log := slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), Username: "canbo",
		Password: "mật-khẩu-bí-mật", From: "Mạng Lành Phù Liễn <no-reply@phulien.gov.vn>", TLS: TLSStartTLS, RootCAs: pool,
		Timeout: 5 * time.Second}, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	notices := &fakeNotices{}
	n, err := New(Config{Users: fakeUsers{byRole: map[string][]Recipient{cases.RoleOfficer: {{ID: 7, Email: "lan@phulien.gov.vn", Name: "Lan"}}}},
		Notices: notices, Mailer: m, BaseURL: "https://manglanh.phulien.gov.vn/", WardName: "UBND phường Phù Liễn", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.CaseEvent(context.Background(), testEvent()); err != nil {
		t.Fatal(err)
	}
	got := srv.wait()
	if !got.TLS || got.AuthAs != "canbo" || got.From != "no-reply@phulien.gov.vn" || len(got.To) != 1 || got.To[0] != "lan@phulien.gov.vn" {
		t.Fatalf("envelope: %+v", got)
	}
	p := decode(t, got.Data)
	for _, want := range []string{"AB23-CD45", "Đã quá hạn xử lý", "Deadline passed"} {
		if !strings.Contains(p.subject, want) {
			t.Errorf("subject %q lacks %q", p.subject, want)
		}
	}
	for _, want := range []string{"Mã hồ sơ: AB23-CD45", "Đe doạ tung ảnh nhạy cảm", "Mức nguy cơ: Cao",
		"14:30 27/11/2026", "https://manglanh.phulien.gov.vn/can-bo/ho-so/42", "-- English --", "Risk level: High",
		"Category: Sextortion", "[KHẨN]", "UBND phường Phù Liễn"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("body lacks %q:\n%s", want, p.body)
		}
	}
	if strings.Index(p.body, "Mã hồ sơ") > strings.Index(p.body, "Case code") {
		t.Error("Vietnamese must come first")
	}
	for _, h := range []string{"From", "To", "Date", "Message-Id", "Mime-Version"} {
		if p.header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	if _, err := p.header.Date(); err != nil {
		t.Errorf("Date header: %v", err)
	}
	if from, err := p.header.AddressList("From"); err != nil || from[0].Name != "Mạng Lành Phù Liễn" {
		t.Errorf("From: %v %v", from, err)
	}
	if raw := strings.ReplaceAll(got.Data, "\r\n", "\n"); strings.ContainsAny(raw[:strings.Index(raw, "\n\n")], "ạàảãáăâđêôơư") {
		t.Error("raw headers must be ASCII (RFC 2047)")
	}
	notices.mu.Lock()
	if len(notices.ns) != 1 || notices.ns[0].UserID != 7 || notices.ns[0].CaseID != 42 || !strings.Contains(notices.ns[0].TextVi, "AB23-CD45") ||
		!strings.Contains(notices.ns[0].TextEn, "Deadline passed") {
		t.Errorf("notices: %+v", notices.ns)
	}
	notices.mu.Unlock()
	waitFor(t, func() bool { return m.Stats().Sent == 1 })
	if strings.Contains(logBuf.String(), "mật-khẩu-bí-mật") {
		t.Fatal("password in the log")
	}
}

func TestImplicitTLSAndRoleRecipients(t *testing.T) {
	cert, pool := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS(cert), implicit: true})
	m, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "no-reply@phuong.vn",
		TLS: TLSImplicit, RootCAs: pool, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	admins := []Recipient{{ID: 1, Email: "a@phuong.vn"}, {ID: 2, Email: "b@phuong.vn"}}
	notices := &fakeNotices{}
	n, _ := New(Config{Users: fakeUsers{byRole: map[string][]Recipient{cases.RoleWardAdmin: admins}}, Notices: notices, Mailer: m})
	e := testEvent()
	e.Kind, e.ToUserID, e.ToRole = cases.EventEscalation, 0, cases.RoleWardAdmin
	if err := n.CaseEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	to := map[string]bool{}
	for range 2 {
		got := srv.wait()
		if !got.TLS {
			t.Fatal("not over TLS")
		}
		to[got.To[0]] = true
		if p := decode(t, got.Data); !strings.Contains(p.body, "/can-bo/ho-so/42") {
			t.Fatalf("link: %s", p.body)
		}
	}
	if !to["a@phuong.vn"] || !to["b@phuong.vn"] || len(notices.ns) != 2 {
		t.Fatalf("recipients: %v, notices %d", to, len(notices.ns))
	}
}

func TestLoopbackPlainAndRetryWithBackoff(t *testing.T) {
	srv := startSMTP(t, &smtpServer{failMail: 2, user: "u", pass: "p"})
	m, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "x@phuong.vn",
		TLS: TLSNone, Username: "u", Password: "p", Timeout: 5 * time.Second}, Backoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !m.Enqueue(Message{To: "lan@phuong.vn", Subject: "Thử", Body: "Nội dung", Date: time.Now()}) {
		t.Fatal("enqueue refused")
	}
	got := srv.wait()
	if got.TLS || got.AuthAs != "u" {
		t.Fatalf("loopback plain with auth: %+v", got)
	}
	waitFor(t, func() bool { return m.Stats().Sent == 1 })
	if st := m.Stats(); st.Retried != 2 || st.Failed != 0 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	srv := startSMTP(t, &smtpServer{rcptCode: 550})
	m, _ := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "x@phuong.vn", TLS: TLSNone},
		Backoff: time.Millisecond})
	defer m.Close()
	m.Enqueue(Message{To: "nobody@phuong.vn", Subject: "s", Body: "b"})
	waitFor(t, func() bool { return m.Stats().Failed == 1 })
	time.Sleep(50 * time.Millisecond)
	if st := m.Stats(); st.Retried != 0 || st.Sent != 0 {
		t.Fatalf("stats: %+v", st)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.mails != 1 {
		t.Fatalf("tried %d times", srv.mails)
	}
}

func TestNoSTARTTLSOfferedMeansNoMail(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	var logBuf syncBuffer
	m, _ := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "x@phuong.vn", TLS: TLSStartTLS,
		Username: "canbo", Password: "hunter2-secret"}, MaxAttempts: 1, Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	defer m.Close()
	m.Enqueue(Message{To: "lan@phuong.vn", Subject: "s", Body: "b"})
	waitFor(t, func() bool { return m.Stats().Failed == 1 })
	srv.mu.Lock()
	n := len(srv.msgs) + srv.mails
	srv.mu.Unlock()
	if n != 0 {
		t.Fatal("sent in clear although STARTTLS was required")
	}
	if !strings.Contains(logBuf.String(), "STARTTLS") || strings.Contains(logBuf.String(), "hunter2-secret") {
		t.Fatalf("log: %s", logBuf.String())
	}
}

func TestWrongPasswordIsPermanentAndNotLogged(t *testing.T) {
	cert, pool := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: serverTLS(cert), user: "canbo", pass: "right"})
	var logBuf syncBuffer
	m, _ := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "x@phuong.vn", Username: "canbo",
		Password: "wrong-Pa55word", RootCAs: pool}, Logger: slog.New(slog.NewJSONHandler(&logBuf, nil)), Backoff: time.Millisecond})
	defer m.Close()
	m.Enqueue(Message{To: "lan@phuong.vn", Subject: "s", Body: "b"})
	waitFor(t, func() bool { return m.Stats().Failed == 1 })
	out := logBuf.String()
	if strings.Contains(out, "wrong-Pa55word") || !strings.Contains(out, "535") || !strings.Contains(out, `"password_set":true`) {
		t.Fatalf("log: %s", out)
	}
}

func TestConfigRefusesUnsafeSettings(t *testing.T) {
	for _, c := range []SMTPConfig{
		{Host: "smtp.gmail.com", Port: 25, From: "x@y.vn", TLS: TLSNone},
		{Host: "127.0.0.1", Port: 0, From: "x@y.vn"},
		{Host: "127.0.0.1", Port: 25, From: "not an address"},
		{Host: "127.0.0.1", Port: 25, From: "x@y.vn", TLS: "ssl"},
		{Host: "", Port: 25, From: "x@y.vn"},
	} {
		if m, err := NewMailer(MailerConfig{SMTP: c}); err == nil {
			m.Close()
			t.Errorf("accepted %+v", c)
		}
	}
}

func TestHungRelayNeverBlocksCaseEvents(t *testing.T) {
	port := blackHole(t)
	m, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: port, From: "x@phuong.vn", TLS: TLSNone,
		Timeout: 200 * time.Millisecond}, QueueSize: 3, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	notices := &fakeNotices{}
	n, _ := New(Config{Users: fakeUsers{byRole: map[string][]Recipient{cases.RoleOfficer: {{ID: 7, Email: "a@phuong.vn"}}}},
		Notices: notices, Mailer: m})
	done := make(chan error, 1)
	go func() {
		var err error
		for range 20 {
			err = errors.Join(err, n.CaseEvent(context.Background(), testEvent()))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("case events blocked on a hung mail relay")
	}
	if len(notices.ns) != 20 {
		t.Fatalf("notices: %d", len(notices.ns))
	}
	if st := m.Stats(); st.Dropped < 16 {
		t.Fatalf("the queue must be bounded: %+v", st)
	}
	waitFor(t, func() bool { return m.Stats().Failed >= 1 }) // the timeout fired
	m.Close()
}

func TestCaseEventErrors(t *testing.T) {
	n, _ := New(Config{Users: fakeUsers{}, Notices: &fakeNotices{}})
	if err := n.CaseEvent(context.Background(), testEvent()); !errors.Is(err, ErrNoRecipients) {
		t.Fatalf("no recipient: %v", err)
	}
	e := testEvent()
	e.ToUserID = 0
	if err := n.CaseEvent(context.Background(), e); err == nil {
		t.Fatal("an event without addressee was accepted")
	}
	// A disabled assignee: the ward admins are told instead.
	notices := &fakeNotices{}
	n, _ = New(Config{Users: fakeUsers{byRole: map[string][]Recipient{cases.RoleWardAdmin: {{ID: 1, Email: "a@b.vn"}}}}, Notices: notices})
	if err := n.CaseEvent(context.Background(), testEvent()); err != nil || len(notices.ns) != 1 || notices.ns[0].UserID != 1 {
		t.Fatalf("fallback to ward admins: %v %+v", err, notices.ns)
	}
	broken := &fakeNotices{err: errors.New("disk full")}
	n, _ = New(Config{Users: fakeUsers{byRole: map[string][]Recipient{"x": {{ID: 7, Email: "a@b.vn"}}}}, Notices: broken})
	if err := n.CaseEvent(context.Background(), testEvent()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("store failure must be returned (deadline notices are retried): %v", err)
	}
	if _, err := New(Config{}); err == nil {
		t.Fatal("New without Users")
	}
}

func TestBuildRefusesHeaderInjectionAndEncodesLongSubjects(t *testing.T) {
	from, _ := mail.ParseAddress("Mạng Lành <a@b.vn>")
	to, _ := mail.ParseAddress("c@d.vn")
	if _, err := build(from, to, Message{Subject: "x\r\nBcc: evil@x.com"}, "<1@b.vn>"); err == nil {
		t.Fatal("line break in subject accepted")
	}
	long := strings.Repeat("Hồ sơ quá hạn xử lý khẩn cấp ", 8)
	data, err := build(from, to, Message{Subject: long, Body: strings.Repeat("dòng rất dài ", 100) + "\n.\nhết"}, "<1@b.vn>")
	if err != nil {
		t.Fatal(err)
	}
	p := decode(t, string(data))
	if p.subject != long || !strings.Contains(p.body, "\r\n.\r\nhết") {
		t.Fatalf("round trip: %q / %q", p.subject, p.body)
	}
	if _, err := mail.ParseAddress("evil@x.com\r\nBcc: y@z.com"); err == nil {
		t.Fatal("ParseAddress accepted a line break") // Enqueue relies on it
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met in time")
}

// syncBuffer is a bytes.Buffer safe for the mailer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
