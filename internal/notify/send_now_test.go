package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSendNowReportsTheRelaysAnswer(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	m, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "portal@phuong.example",
		TLS: TLSNone, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.SendNow(context.Background(), Message{To: "me@example.com", Subject: "Tóm tắt tuần", Body: "xin chào"}); err != nil {
		t.Fatalf("accepted message: %v", err)
	}
	got := srv.wait()
	if got.To[0] != "me@example.com" || !strings.Contains(got.Data, "Subject:") {
		t.Fatalf("relay got %+v", got)
	}

	refuse := startSMTP(t, &smtpServer{rcptCode: 550})
	m2, err := NewMailer(MailerConfig{SMTP: SMTPConfig{Host: "127.0.0.1", Port: refuse.port(), From: "portal@phuong.example",
		TLS: TLSNone, Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	err = m2.SendNow(context.Background(), Message{To: "me@example.com", Subject: "s", Body: "b"})
	var perm *PermanentError
	if !errors.As(err, &perm) {
		t.Fatalf("a refused recipient must be an error the caller sees, got %v", err)
	}
	if st := m2.Stats(); st.Failed != 1 || st.Sent != 0 {
		t.Fatalf("stats %+v", st)
	}
}
