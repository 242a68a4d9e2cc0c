package alert

import (
	"context"
	"encoding/json"
	"io"
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

// fakeMailer records what would be sent.
type fakeMailer struct {
	to            []string
	subject, body string
}

func (f *fakeMailer) Send(_ context.Context, to []string, subject, body string) error {
	f.to, f.subject, f.body = to, subject, body
	return nil
}

func TestMailGoesToTheProfileContactsOnly(t *testing.T) {
	st, m := &memStore{}, &fakeMailer{}
	svc, err := New(Config{Store: st, Mailer: m, Contacts: map[string][]string{"an": {"me.an@example.vn"}},
		Location: time.FixedZone("ICT", 7*3600), BaseURL: "https://manglanh.example.vn/"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svc.DNS(ctx, DNSEvent{ID: 1, Time: t0, Profile: "an", Schedule: "ngu", Name: "youtube.com"})
	svc.DNS(ctx, DNSEvent{ID: 2, Time: t0, Profile: "binh", Category: "bypass", Name: "vpn.example"})
	svc.DNS(ctx, DNSEvent{ID: 3, Time: t0, Profile: "binh", Category: "bypass", Name: "vpn.example"})
	svc.DNS(ctx, DNSEvent{ID: 4, Time: t0, Profile: "binh", Category: "bypass", Name: "vpn.example"})
	if len(st.alerts) != 1 || st.alerts[0].Profile != "binh" {
		t.Fatalf("alerts %+v (schedule 'ngu' is no bedtime without a Bedtime func)", st.alerts)
	}
	svc.Deliver(ctx, <-svc.queue)
	if m.to != nil {
		t.Errorf("mail for a profile without contacts went to %v", m.to)
	}
	svc2, _ := New(Config{Store: st, Mailer: m, Contacts: map[string][]string{"an": {"me.an@example.vn"}},
		Bedtime: func(p, s string) bool { return s == "ngu" }, Location: time.FixedZone("ICT", 7*3600), BaseURL: "https://manglanh.example.vn/"})
	svc2.DNS(ctx, DNSEvent{ID: 5, Time: t0, Profile: "an", Schedule: "ngu", Name: "youtube.com"})
	svc2.Deliver(ctx, <-svc2.queue)
	if len(m.to) != 1 || m.to[0] != "me.an@example.vn" || !strings.HasPrefix(m.subject, "[Mạng Lành] Dùng mạng trong giờ ngủ") {
		t.Fatalf("mail to %v subject %q", m.to, m.subject)
	}
	for _, want := range []string{"03:00 03/03/2026", "Tên miền: youtube.com", "Nhắc con giờ ngủ", "Remind your child of bedtime", "https://manglanh.example.vn\n"} {
		if !strings.Contains(m.body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.body)
		}
	}
}
