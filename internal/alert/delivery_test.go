package alert

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// memStore is a small in-memory Store.
type memStore struct {
	mu     sync.Mutex
	alerts []Alert
	events []DNSEvent
}

func (m *memStore) SaveAlert(_ context.Context, a *Alert) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	a.ID = int64(len(m.alerts) + 1)
	m.alerts = append(m.alerts, *a)
	return nil
}
func (m *memStore) ListAlerts(context.Context, int) ([]Alert, error) { return m.alerts, nil }
func (m *memStore) GetAlert(_ context.Context, id int64) (Alert, error) {
	return m.alerts[id-1], nil
}
func (m *memStore) SetAlertCase(_ context.Context, id, c int64) error {
	m.alerts[id-1].CaseID = c
	return nil
}
func (m *memStore) BlockedEventsAfter(_ context.Context, after int64, limit int) ([]DNSEvent, error) {
	var out []DNSEvent
	for _, e := range m.events {
		if e.ID > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}
func (m *memStore) LastEventID(context.Context) (int64, error) {
	if len(m.events) == 0 {
		return 0, nil
	}
	return m.events[len(m.events)-1].ID, nil
}

// smtpServer is a minimal SMTP server on loopback that records one
// conversation: enough of RFC 5321 for net/smtp's client.
type smtpServer struct {
	ln       net.Listener
	mu       sync.Mutex
	from     string
	rcpt     []string
	data     string
	commands []string
	done     chan struct{}
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, done: make(chan struct{})}
	t.Cleanup(func() { ln.Close() })
	go func() {
		defer close(s.done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		r := bufio.NewReader(c)
		say := func(l string) { io.WriteString(c, l+"\r\n") }
		say("220 test.local ESMTP")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			s.mu.Lock()
			s.commands = append(s.commands, strings.ToUpper(strings.SplitN(line, " ", 2)[0]))
			s.mu.Unlock()
			up := strings.ToUpper(line)
			switch {
			case strings.HasPrefix(up, "EHLO"):
				say("250-test.local")
				say("250 8BITMIME")
			case strings.HasPrefix(up, "MAIL FROM:"):
				s.from = line[len("MAIL FROM:"):]
				say("250 ok")
			case strings.HasPrefix(up, "RCPT TO:"):
				s.rcpt = append(s.rcpt, line[len("RCPT TO:"):])
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
					b.WriteString(l)
				}
				s.data = b.String()
				say("250 queued")
			case up == "QUIT":
				say("221 bye")
				return
			default:
				say("502 not implemented")
			}
		}
	}()
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// mailBody decodes the base64 body of a recorded message.
func mailBody(t *testing.T, data string) (string, string) {
	t.Helper()
	head, body, ok := strings.Cut(data, "\r\n\r\n")
	if !ok {
		t.Fatalf("no header/body split in %q", data)
	}
	dec, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\r\n", ""))
	if err != nil {
		t.Fatalf("body not base64: %v", err)
	}
	return head, string(dec)
}

func TestAlertByEmailOverSMTP(t *testing.T) {
	srv := startSMTP(t)
	st := &memStore{}
	svc, err := New(Config{Store: st, Contacts: map[string][]string{"an": {"me.an@example.vn", "bo.an@example.vn"}},
		Mailer:   &SMTP{Host: "127.0.0.1", Port: srv.port(), From: "canhbao@phuong.example.vn", TLS: "none"},
		Location: time.FixedZone("ICT", 7*3600), BaseURL: "https://manglanh.phuong.example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 5 {
		svc.DNS(ctx, DNSEvent{ID: int64(i + 1), Time: t0.Add(time.Duration(i) * time.Minute), Profile: "an", Category: "gambling", Name: "taixiu.example"})
	}
	if len(st.alerts) != 1 {
		t.Fatalf("alerts stored: %+v", st.alerts)
	}
	svc.Deliver(ctx, <-svc.queue)
	<-srv.done
	if !strings.HasPrefix(srv.from, "<canhbao@phuong.example.vn>") || len(srv.rcpt) != 2 || srv.rcpt[1] != "<bo.an@example.vn>" {
		t.Fatalf("envelope from %q rcpt %q", srv.from, srv.rcpt)
	}
	head, body := mailBody(t, srv.data)
	if !strings.Contains(head, "Subject: =?utf-8?q?") || !strings.Contains(head, "Content-Type: text/plain; charset=utf-8") {
		t.Errorf("headers:\n%s", head)
	}
	for _, want := range []string{"5 lần cố vào trang cờ bạc bị chặn", "hồ sơ an", "Tên miền: taixiu.example", "03:04 03/03/2026",
		"Nên làm:", "5 blocked attempts to reach gambling sites", "What to do:", "https://manglanh.phuong.example.vn", "111"} {
		if !strings.Contains(body, want) {
			t.Errorf("mail lacks %q:\n%s", want, body)
		}
	}
	if srv.commands[len(srv.commands)-1] != "QUIT" {
		t.Errorf("conversation %v", srv.commands)
	}
}

func TestSMTPRefusesWithoutSTARTTLS(t *testing.T) {
	srv := startSMTP(t)
	m := &SMTP{Host: "127.0.0.1", Port: srv.port(), From: "a@example.vn", TLS: "starttls", Timeout: 5 * time.Second}
	err := m.Send(context.Background(), []string{"b@example.vn"}, "x", "y")
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("want a STARTTLS error, got %v", err)
	}
	if err := m.Send(context.Background(), []string{"b@example.vn\r\nBcc: x@y"}, "x", "y"); err == nil {
		t.Fatal("header injection in an address accepted")
	}
}

func TestWebhookSignedAndRetried(t *testing.T) {
	secret := []byte("bi-mat-cua-phuong")
	var tries atomic.Int32
	got := make(chan Payload, 1)
	now := time.Unix(1772480000, 0)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := Verify(secret, r.Header.Get(HeaderSignature), r.Header.Get(HeaderTimestamp), body, now, 5*time.Minute); err != nil {
			t.Errorf("receiver: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if tries.Add(1) < 3 { // the gateway is briefly down
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var p Payload
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("payload: %v", err)
		}
		got <- p
	}))
	defer recv.Close()
	st := &memStore{}
	svc, err := New(Config{Store: st, Webhook: &Webhook{URL: recv.URL, Secret: secret, Backoff: time.Millisecond,
		Now: func() time.Time { return now }}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc.Message(ctx, Message{Source: SourceReport, Time: t0, Category: "sextortion", Level: "critical",
		Text: "nội dung riêng tư của báo cáo", Reasons: []Reason{{Vi: "Đe doạ tung ảnh", En: "Threatens to spread images"}}})
	svc.Deliver(ctx, <-svc.queue)
	p := <-got
	if tries.Load() != 3 || p.Level != "critical" || !p.Critical || p.Category != "sextortion" || p.Snippet != "" ||
		len(p.ActionsVi) == 0 || len(p.ActionsEn) == 0 || p.TitleVi == "" || p.Time != "2026-03-02T20:00:00Z" {
		t.Fatalf("tries %d payload %+v", tries.Load(), p)
	}
	if st.alerts[0].Snippet == "" {
		t.Error("the portal copy lost its snippet")
	}
}

func TestVerifyRejects(t *testing.T) {
	secret, body, now := []byte("s"), []byte(`{"id":1}`), time.Unix(1772480000, 0)
	sig := Sign(secret, now.Unix(), body)
	ts := "1772480000"
	if err := Verify(secret, sig, ts, body, now, time.Minute); err != nil {
		t.Fatalf("good signature: %v", err)
	}
	for name, c := range map[string][4]string{
		"other body":   {sig, ts, `{"id":2}`, "s"},
		"other secret": {sig, ts, string(body), "t"},
		"replayed":     {Sign(secret, now.Unix()-600, body), "1772479400", string(body), "s"},
		"moved stamp":  {sig, "1772480001", string(body), "s"},
		"no stamp":     {sig, "", string(body), "s"},
	} {
		if err := Verify([]byte(c[3]), c[0], c[1], []byte(c[2]), now, time.Minute); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestWebhookGivesUpOnClientError(t *testing.T) {
	var tries atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tries.Add(1)
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer recv.Close()
	w := &Webhook{URL: recv.URL, Secret: []byte("s"), Backoff: time.Millisecond}
	if err := w.Send(context.Background(), []byte("{}")); err == nil || tries.Load() != 1 {
		t.Fatalf("err %v after %d tries", err, tries.Load())
	}
}

func TestPollDNSStartsAtNewest(t *testing.T) {
	st := &memStore{}
	for i := range 6 {
		st.events = append(st.events, DNSEvent{ID: int64(i + 1), Time: t0.Add(time.Duration(i) * time.Second), Profile: "an", Category: "gambling", Name: "a.example"})
	}
	svc, _ := New(Config{Store: st})
	ctx := context.Background()
	if n, err := svc.PollDNS(ctx); n != 0 || err != nil {
		t.Fatalf("first poll read %d (%v): old history must not alert", n, err)
	}
	for i := range 5 {
		st.events = append(st.events, DNSEvent{ID: int64(i + 7), Time: t0.Add(time.Minute + time.Duration(i)*time.Second), Profile: "an", Category: "gambling", Name: "b.example"})
	}
	if n, err := svc.PollDNS(ctx); n != 5 || err != nil {
		t.Fatalf("second poll read %d (%v)", n, err)
	}
	if len(st.alerts) != 1 || st.alerts[0].Snippet != "b.example" {
		t.Fatalf("alerts %+v", st.alerts)
	}
	if n, _ := svc.PollDNS(ctx); n != 0 {
		t.Fatalf("events read twice: %d", n)
	}
}
