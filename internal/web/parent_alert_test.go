package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"manglanh/internal/alert"
)

type okMailer struct{ sent []string }

func (m *okMailer) SendNow(_ context.Context, to, subject, body string) error {
	m.sent = append(m.sent, to)
	return nil
}

func TestParentAlertsListedMailedAndShared(t *testing.T) {
	e := newParentEnv(t, "none")
	pb, _, p := childFixture(t, e, "me@example.com", "Bin", 2015)
	ob, _, _ := childFixture(t, e, "other@example.com", "Na", 2014)
	ml := &okMailer{}
	parents, err := alert.NewParents(alert.ParentsConfig{Store: e.store, Mailer: ml})
	if err != nil {
		t.Fatal(err)
	}
	defer parents.Close()
	ctx := context.Background()
	now := time.Now()
	raise := func(a alert.Alert) int64 {
		if err := e.store.SaveAlert(ctx, &a); err != nil {
			t.Fatal(err)
		}
		parents.Route(ctx, a)
		parents.Wait()
		return a.ID
	}
	gamble := raise(alert.Alert{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: p.Label, Category: "gambling", Level: "medium", Time: now, Count: 5, Snippet: "nohu.example"})
	raise(alert.Alert{Rule: alert.RuleDNSRepeat, Source: alert.SourceDNS, Profile: p.Label, Category: "gambling", Level: "medium", Time: now, Count: 5})
	crit := raise(alert.Alert{Rule: alert.RuleMessage, Source: alert.SourceCheck, Profile: p.Label, Category: "grooming", Level: "critical", Time: now, Count: 1})
	if len(ml.sent) != 2 {
		t.Fatalf("e-mails %v: want the first gambling alert and the critical one (the second gambling one is throttled)", ml.sent)
	}
	resp, body := pb.get("/gia-dinh/canh-bao")
	if resp.StatusCode != 200 {
		t.Fatalf("alerts page %d", resp.StatusCode)
	}
	for _, want := range []string{"Bin cố vào trang", "nohu.example", "game bài đổi thưởng", "Đã gửi thư", "trong giờ qua", "Chuyển cho cán bộ phường", `name="dong_y"`} {
		if !strings.Contains(body, want) {
			t.Errorf("alerts page lacks %q", want)
		}
	}
	if _, body := ob.get("/gia-dinh/canh-bao"); strings.Contains(body, "Bin") {
		t.Fatal("another family sees the alerts")
	}
	share := "/gia-dinh/canh-bao/" + itoa64(crit) + "/chuyen"
	if resp, _ := ob.post("/gia-dinh/canh-bao", share, url.Values{"dong_y": {"1"}}); resp.StatusCode != 404 {
		t.Fatalf("another family shares: %d, want 404", resp.StatusCode)
	}
	resp, body = pb.post("/gia-dinh/canh-bao", share, url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Hãy đánh dấu ô đồng ý") || !strings.Contains(body, "autofocus") {
		t.Fatalf("without consent: %d", resp.StatusCode)
	}
	if resp, _ := pb.post("/gia-dinh/canh-bao", "/gia-dinh/canh-bao/"+itoa64(gamble)+"/chuyen", url.Values{"dong_y": {"1"}}); resp.StatusCode != 400 {
		t.Fatalf("a non-critical alert shared: %d", resp.StatusCode)
	}
	resp, _ = pb.post("/gia-dinh/canh-bao", share, url.Values{"dong_y": {"1"}})
	wantRedirect(t, resp, "/gia-dinh/canh-bao?ok=shared#canh-bao-"+itoa64(crit))
	_, body = pb.get("/gia-dinh/canh-bao?ok=shared")
	if !strings.Contains(body, "Đã chuyển cảnh báo cho cán bộ phường") || !strings.Contains(body, "Đã chuyển cho cán bộ phường.") {
		t.Fatal("no confirmation after sharing")
	}
	if resp, _ := pb.post("/gia-dinh/canh-bao", "/gia-dinh/canh-bao/99999/chuyen", url.Values{"dong_y": {"1"}}); resp.StatusCode != 404 {
		t.Fatalf("a missing alert: %d", resp.StatusCode)
	}
}
