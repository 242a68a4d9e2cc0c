package alert

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

type fakeParentStore struct {
	mu       sync.Mutex
	contacts map[string]ParentContact
	saved    map[int64]ParentDelivery
}

func (f *fakeParentStore) ParentOfProfile(_ context.Context, label string) (ParentContact, bool, error) {
	c, ok := f.contacts[label]
	return c, ok, nil
}

func (f *fakeParentStore) LastParentMail(_ context.Context, profileID int64, rule string) (time.Time, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var last time.Time
	for _, d := range f.saved {
		if d.ProfileID == profileID && d.Rule == rule && d.MailedAt.After(last) {
			last = d.MailedAt
		}
	}
	return last, nil
}

func (f *fakeParentStore) SaveParentDelivery(_ context.Context, d ParentDelivery) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved[d.AlertID] = d
	return nil
}

type fakeSync struct {
	mu   sync.Mutex
	sent []string
	fail error
}

func (f *fakeSync) SendNow(_ context.Context, to, subject, body string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, to+"|"+subject+"|"+body)
	return nil
}

func TestParentsRouteThrottleAndHonestStatus(t *testing.T) {
	st := &fakeParentStore{saved: map[int64]ParentDelivery{}, contacts: map[string]ParentContact{
		"an-ab12": {ParentID: 1, ProfileID: 10, Email: "me@example.com", Nickname: "Bin"},
		"bo-cd34": {ParentID: 2, ProfileID: 20, Nickname: "Bơ"}, // phone only
	}}
	ml := &fakeSync{}
	now := time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)
	p, err := NewParents(ParentsConfig{Store: st, Mailer: ml, BaseURL: "https://mang.example/", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	gamble := Alert{Rule: RuleDNSRepeat, Source: SourceDNS, Profile: "an-ab12", Category: "gambling", Level: "medium", Time: now, Count: 5, Snippet: "nohu.example"}
	for i, a := range []Alert{gamble, gamble, {Rule: RuleBedtime, Source: SourceDNS, Profile: "an-ab12", Category: "bedtime", Level: "medium", Time: now, Count: 1}} {
		a.ID = int64(i + 1)
		p.Route(ctx, a)
		p.Wait()
	}
	p.Route(ctx, Alert{ID: 4, Rule: RuleDNSRepeat, Source: SourceDNS, Profile: "bo-cd34", Category: "adult", Time: now, Count: 5})
	p.Route(ctx, Alert{ID: 5, Rule: RuleDNSRepeat, Source: SourceDNS, Profile: "ward-yaml", Category: "adult", Time: now, Count: 5})
	p.Wait()
	want := map[int64]string{1: ParentMailSent, 2: ParentMailThrottled, 3: ParentMailSent, 4: ParentMailNoAddress}
	for id, status := range want {
		if got := st.saved[id].MailStatus; got != status {
			t.Errorf("alert %d: mail status %q, want %q", id, got, status)
		}
	}
	if _, ok := st.saved[5]; ok {
		t.Error("an alert of a profile without a parent was routed")
	}
	if len(ml.sent) != 2 {
		t.Fatalf("sent %d e-mails, want 2 (the second gambling alert within the hour is throttled)", len(ml.sent))
	}
	if m := ml.sent[0]; !strings.Contains(m, "Bin cố vào trang") || !strings.Contains(m, "game bài đổi thưởng") ||
		!strings.Contains(m, "https://mang.example/gia-dinh/canh-bao#canh-bao-1") {
		t.Fatalf("e-mail: %s", m)
	}
	// An hour later the same rule may e-mail again.
	now = now.Add(61 * time.Minute)
	gamble.ID = 6
	p.Route(ctx, gamble)
	p.Wait()
	if st.saved[6].MailStatus != ParentMailSent {
		t.Fatalf("after the hour: %+v", st.saved[6])
	}
	// A relay that refuses is recorded as failed, with its answer, never as sent.
	ml.fail = errors.New("550 mailbox unavailable")
	now = now.Add(2 * time.Hour)
	gamble.ID = 7
	p.Route(ctx, gamble)
	p.Wait()
	if d := st.saved[7]; d.MailStatus != ParentMailFailed || !strings.Contains(d.MailError, "550") || !d.MailedAt.IsZero() {
		t.Fatalf("refused: %+v", d)
	}
}

func TestServiceDeliverRoutesToParents(t *testing.T) {
	st := &fakeParentStore{saved: map[int64]ParentDelivery{}, contacts: map[string]ParentContact{"an-ab12": {ParentID: 1, ProfileID: 10}}}
	p, err := NewParents(ParentsConfig{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: &memStore{}, Parents: p})
	if err != nil {
		t.Fatal(err)
	}
	s.Deliver(context.Background(), Alert{ID: 9, Rule: RuleBedtime, Profile: "an-ab12", Time: time.Now()})
	if st.saved[9].MailStatus != ParentMailOff {
		t.Fatalf("without a mailer the alert is listed, not mailed: %+v", st.saved[9])
	}
}
