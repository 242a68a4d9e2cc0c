package app

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/querylog"
)

// smtpSink is an SMTP server on loopback that accepts one message: a real
// SMTP conversation for the client, no TLS (smtp.tls: none on loopback).
func smtpSink(t *testing.T) (int, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		r := bufio.NewReader(c)
		say := func(l string) { io.WriteString(c, l+"\r\n") }
		say("220 sink.local ESMTP")
		var envelope []string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			up := strings.ToUpper(line)
			switch {
			case strings.HasPrefix(up, "EHLO") || strings.HasPrefix(up, "HELO"):
				say("250-sink.local")
				say("250 8BITMIME")
			case strings.HasPrefix(up, "MAIL FROM:") || strings.HasPrefix(up, "RCPT TO:"):
				envelope = append(envelope, line)
				say("250 ok")
			case up == "DATA":
				say("354 go on")
				var b strings.Builder
				for {
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if l == ".\r\n" {
						break
					}
					b.WriteString(strings.TrimPrefix(l, "."))
				}
				say("250 queued")
				got <- strings.Join(envelope, "\n") + "\n\n" + b.String()
			case up == "QUIT":
				say("221 bye")
				return
			case up == "RSET" || up == "NOOP":
				say("250 ok")
			default:
				say("502 not implemented")
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, got
}

// TestAlertsFromDNSEventsByMailAndWebhook wires alerts from a config file:
// blocked DNS events already in the store raise an alert, which reaches the
// profile's contact over a real SMTP conversation and a webhook receiver
// that checks the signature and the timestamp.
func TestAlertsFromDNSEventsByMailAndWebhook(t *testing.T) {
	port, mails := smtpSink(t)
	secret := "bi-mat-webhook"
	hooks := make(chan alert.Payload, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := alert.Verify([]byte(secret), r.Header.Get(alert.HeaderSignature), r.Header.Get(alert.HeaderTimestamp),
			body, time.Now(), time.Minute); err != nil {
			t.Errorf("webhook signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var p alert.Payload
		json.Unmarshal(body, &p)
		hooks <- p
	}))
	defer recv.Close()

	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "manglanh.yaml")
	os.WriteFile(cfgFile, []byte(`
data_dir: `+filepath.Join(dir, "data")+`
web: {listen: "127.0.0.1:0", base_url: "https://manglanh.phuong.example.vn"}
dns: {listen: ""}
smtp: {host: 127.0.0.1, port: `+strconv.Itoa(port)+`, tls: none, from: canhbao@phuong.example.vn}
alerts: {webhook_url: "`+recv.URL+`", webhook_secret: "`+secret+`"}
profiles:
  - name: an
    contacts: [me.an@example.vn]
    schedules: [{name: ngu, days: [mon], from: "21:30", to: "06:00", allow_only: [zalo]}]
`), 0o644)
	cfg, err := config.Load(cfgFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := New(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	svc := a.portal.alerts
	if _, err := svc.PollDNS(ctx); err != nil { // the cursor starts at the newest event
		t.Fatal(err)
	}
	now := time.Now()
	var evs []querylog.Event
	for i := range 5 {
		evs = append(evs, querylog.Event{Time: now.Add(time.Duration(i) * time.Second), Profile: "an", Client: "10.0.0.2",
			Name: "nohu-club.example", Category: "gambling", Action: querylog.Blocked})
	}
	if err := a.store.AddEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.PollDNS(ctx); n != 5 || err != nil {
		t.Fatalf("poll: %d %v", n, err)
	}
	go a.runAlertJobs(ctx)

	select {
	case m := <-mails:
		if !strings.Contains(m, "RCPT TO:<me.an@example.vn>") {
			t.Errorf("envelope:\n%s", m)
		}
		_, body, _ := strings.Cut(m, "\r\n\r\n")
		dec, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
		text := string(dec)
		for _, want := range []string{"5 lần cố vào trang cờ bạc bị chặn", "Tên miền: nohu-club.example", "Nên làm:",
			"5 blocked attempts to reach gambling sites", "https://manglanh.phuong.example.vn"} {
			if !strings.Contains(text, want) {
				t.Errorf("mail lacks %q:\n%s", want, text)
			}
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no e-mail")
	}
	select {
	case p := <-hooks:
		if p.Rule != alert.RuleDNSRepeat || p.Profile != "an" || p.Snippet != "nohu-club.example" || p.Count != 5 || len(p.ActionsVi) == 0 {
			t.Errorf("webhook payload %+v", p)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook")
	}

	// A report the engine rates critical raises an alert too; a case opened
	// from an alert does not raise another.
	in := cases.Intake{Category: cases.CategorySextortion, Channel: cases.ChannelWeb, SuggestedLevel: cases.LevelCritical,
		Sensitive: cases.Sensitive{Description: "Có người đe doạ tung ảnh của cháu."}}
	if _, err := a.portal.cases.Intake(ctx, cases.Actor{Role: cases.RolePublic}, in); err != nil {
		t.Fatal(err)
	}
	if _, err := a.portal.cases.Intake(alert.OpeningCase(ctx), cases.Actor{UserID: 1, Role: cases.RoleOfficer, Name: "Cán bộ"}, in); err != nil {
		t.Fatal(err)
	}
	list, _ := svc.Recent(ctx, 10)
	reports := 0
	for _, x := range list {
		if x.Source == alert.SourceReport {
			reports++
			if x.CaseID == 0 || !x.Critical() || x.Snippet != "" {
				t.Errorf("report alert %+v", x)
			}
		}
	}
	if reports != 1 {
		t.Errorf("report alerts: %d in %+v", reports, list)
	}
	select {
	case p := <-hooks:
		if p.Source != alert.SourceReport || !p.Critical || p.Snippet != "" {
			t.Errorf("report webhook %+v", p)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no webhook for the report")
	}
	if !bedtimeWindows(cfg)("an", "ngu") || bedtimeWindows(cfg)("an", "hoc") {
		t.Error("bedtime windows")
	}
}
