package alert

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// Mailer sends one plain-text e-mail.
type Mailer interface {
	Send(ctx context.Context, to []string, subject, body string) error
}

// SMTP is a minimal Mailer over an SMTP relay. (internal/notify had no
// committed sender when alerts were written; this one does only what
// alerts need: STARTTLS, implicit TLS or plain on loopback, AUTH PLAIN.)
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (default), "tls" (implicit, port 465) or "none"
	// (a relay on loopback only).
	TLS     string
	Timeout time.Duration // default 30 s
	// TLSConfig overrides the TLS settings (tests with their own CA).
	TLSConfig *tls.Config
	// Now stamps the Date header; default time.Now.
	Now func() time.Time
}

// Send delivers one message to the recipients.
func (m *SMTP) Send(ctx context.Context, to []string, subject, body string) error {
	if len(to) == 0 {
		return nil
	}
	for _, a := range append([]string{m.From}, to...) {
		if strings.ContainsAny(a, "\r\n<>") || !strings.Contains(a, "@") {
			return fmt.Errorf("smtp: invalid address %q", a)
		}
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	tcfg := m.TLSConfig
	if tcfg == nil {
		tcfg = &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
	}
	d := &net.Dialer{Timeout: timeout}
	var conn net.Conn
	var err error
	if m.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tcfg}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp: connecting to %s: %w", addr, err)
	}
	deadline := time.Now().Add(timeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("smtp: greeting: %w", err)
	}
	defer c.Close()
	if m.TLS == "" || m.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the relay does not offer STARTTLS")
		}
		if err := c.StartTLS(tcfg); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, m.Host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(m.From); err != nil {
		return fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return fmt.Errorf("smtp: RCPT TO %s: %w", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: DATA: %w", err)
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	if _, err := w.Write(buildMail(m.From, to, subject, body, now())); err != nil {
		return fmt.Errorf("smtp: writing the message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp: ending the message: %w", err)
	}
	return c.Quit()
}

// buildMail writes a UTF-8 plain-text message with a base64 body (lines
// of 76), so Vietnamese survives any relay.
func buildMail(from string, to []string, subject, body string, at time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(strings.ReplaceAll(body, "\n", "\r\n")))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
