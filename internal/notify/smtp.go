package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// TLS modes of SMTPConfig.
const (
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: loopback relays only
)

// SMTPConfig says how to reach the mail relay.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no AUTH
	Password string // never logged: see LogValue
	From     string // the envelope and header sender, e.g. "Mạng Lành <no-reply@ward.gov.vn>"
	TLS      string // TLSStartTLS (default), TLSImplicit or TLSNone
	// Timeout bounds one whole SMTP conversation; 30 s when 0.
	Timeout time.Duration
	// RootCAs verifies the relay's certificate; the system pool when nil.
	RootCAs *x509.CertPool
	// HelloName is sent in EHLO; "localhost" when empty.
	HelloName string
}

// LogValue keeps the password out of logs.
func (c SMTPConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", c.Host), slog.Int("port", c.Port),
		slog.String("username", c.Username), slog.String("tls", c.TLS), slog.Bool("password_set", c.Password != ""))
}

// isLoopback reports whether host is a loopback name or address.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// validate fills defaults and refuses unsafe or broken settings.
func (c *SMTPConfig) validate() (*mail.Address, error) {
	if c.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	if c.Port <= 0 || c.Port > 65535 {
		return nil, fmt.Errorf("smtp: invalid port %d", c.Port)
	}
	if c.TLS == "" {
		c.TLS = TLSStartTLS
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		if !isLoopback(c.Host) {
			return nil, fmt.Errorf("smtp: tls none is only allowed for a loopback relay, not %q", c.Host)
		}
	default:
		return nil, fmt.Errorf("smtp: tls must be starttls, tls or none, not %q", c.TLS)
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.HelloName == "" {
		c.HelloName = "localhost"
	}
	if strings.ContainsAny(c.HelloName+c.Username, "\r\n") {
		return nil, errors.New("smtp: line breaks in hello name or username")
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("smtp: from address %q: %w", c.From, err)
	}
	return from, nil
}

// Message is one e-mail: plain UTF-8 text.
type Message struct {
	To      string
	Subject string
	Body    string
	Date    time.Time
}

// PermanentError is an SMTP 5xx reply: retrying will not help.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// classify marks 5xx replies permanent; everything else (network errors,
// timeouts, 4xx) may pass on a later try.
func classify(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return &PermanentError{Err: err}
	}
	return err
}

// build renders msg as an RFC 5322 message with CRLF line ends: encoded
// headers (RFC 2047 for the subject and display names) and a
// quoted-printable UTF-8 body. Header values never carry line breaks.
func build(from *mail.Address, to *mail.Address, msg Message, msgID string) ([]byte, error) {
	if strings.ContainsAny(msg.Subject, "\r\n") {
		return nil, errors.New("line break in subject")
	}
	var b bytes.Buffer
	date := msg.Date
	if date.IsZero() {
		date = time.Now()
	}
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", from.String())
	hdr("To", to.String())
	hdr("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	hdr("Date", date.Format(time.RFC1123Z))
	hdr("Message-ID", msgID)
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Content-Transfer-Encoding", "quoted-printable")
	hdr("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

func newMessageID(from *mail.Address) string {
	r := make([]byte, 12)
	rand.Read(r)
	domain := "manglanh.invalid"
	if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
		domain = d
	}
	return "<" + hex.EncodeToString(r) + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + "@" + domain + ">"
}

// smtpClient sends one message per call over a new connection: notices are
// rare, and a fresh conversation has no stale state to recover from.
type smtpClient struct {
	cfg  SMTPConfig
	from *mail.Address
}

func (c *smtpClient) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: c.cfg.Host, RootCAs: c.cfg.RootCAs, MinVersion: tls.VersionTLS12}
}

// send runs one SMTP conversation for msg, bounded by the configured
// timeout and by ctx.
func (c *smtpClient) send(ctx context.Context, msg Message) (err error) {
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return &PermanentError{Err: fmt.Errorf("recipient address: %w", err)}
	}
	data, err := build(c.from, to, msg, newMessageID(c.from))
	if err != nil {
		return &PermanentError{Err: fmt.Errorf("building message: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(c.cfg.Host, strconv.Itoa(c.cfg.Port))
	d := net.Dialer{Timeout: c.cfg.Timeout}
	var conn net.Conn
	if c.cfg.TLS == TLSImplicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: c.tlsConfig()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	cl, err := smtp.NewClient(conn, c.cfg.Host)
	if err != nil {
		conn.Close()
		return classify(fmt.Errorf("greeting from %s: %w", addr, err))
	}
	defer cl.Close()
	if err := cl.Hello(c.cfg.HelloName); err != nil {
		return classify(fmt.Errorf("EHLO: %w", err))
	}
	if c.cfg.TLS == TLSStartTLS {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return errors.New("the relay does not offer STARTTLS: refusing to send in clear")
		}
		if err := cl.StartTLS(c.tlsConfig()); err != nil {
			return fmt.Errorf("STARTTLS: %w", err)
		}
	}
	if c.cfg.Username != "" {
		_, isTLS := cl.TLSConnectionState()
		if !isTLS && !isLoopback(c.cfg.Host) {
			return &PermanentError{Err: errors.New("refusing AUTH over an unencrypted connection")}
		}
		if ok, _ := cl.Extension("AUTH"); !ok {
			return &PermanentError{Err: errors.New("the relay does not offer AUTH")}
		}
		if err := cl.Auth(smtp.PlainAuth("", c.cfg.Username, c.cfg.Password, c.cfg.Host)); err != nil {
			// net/smtp's errors never include the password.
			return classify(fmt.Errorf("AUTH PLAIN as %s: %w", c.cfg.Username, err))
		}
	}
	if err := cl.Mail(c.from.Address); err != nil {
		return classify(fmt.Errorf("MAIL FROM: %w", err))
	}
	if err := cl.Rcpt(to.Address); err != nil {
		return classify(fmt.Errorf("RCPT TO: %w", err))
	}
	w, err := cl.Data()
	if err != nil {
		return classify(fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("writing message: %w", err)
	}
	if err := w.Close(); err != nil {
		return classify(fmt.Errorf("ending message: %w", err))
	}
	if err := cl.Quit(); err != nil {
		// The message was accepted at the end of DATA; a failed QUIT does
		// not make it unsent.
		return nil
	}
	return nil
}
