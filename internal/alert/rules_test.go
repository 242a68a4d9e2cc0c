package alert

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)

func newTestEngine(t *testing.T) *Engine {
	t.Helper()
	e, err := NewEngine(DefaultRules(), func(profile, schedule string) bool { return profile == "an" && schedule == "ngu" })
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func dns(p, cat, name string, at time.Time) DNSEvent {
	return DNSEvent{Time: at, Profile: p, Category: cat, Name: name}
}

func TestThresholdWithinWindow(t *testing.T) {
	e := newTestEngine(t)
	// Four attempts, then a gap longer than the window: the count restarts.
	for i := range 4 {
		if a := e.DNS(dns("an", "gambling", "taixiu.example", t0.Add(time.Duration(i)*time.Minute))); len(a) != 0 {
			t.Fatalf("alert before the threshold: %+v", a)
		}
	}
	if a := e.DNS(dns("an", "gambling", "taixiu.example", t0.Add(11*time.Minute))); len(a) != 0 {
		t.Fatalf("attempts outside the window counted: %+v", a)
	}
	// Another profile's attempts never add up with An's.
	for i := range 4 {
		e.DNS(dns("binh", "gambling", "nohu.example", t0.Add(12*time.Minute+time.Duration(i)*time.Second)))
	}
	var got []Alert
	for i := range 4 {
		got = append(got, e.DNS(dns("an", "adult", "adult.example", t0.Add(12*time.Minute+time.Duration(i)*time.Minute)))...)
	}
	if len(got) != 1 {
		t.Fatalf("want one alert at the fifth attempt in 10 min, got %+v", got)
	}
	a := got[0]
	if a.Rule != RuleDNSRepeat || a.Profile != "an" || a.Count != 5 || a.Level != "medium" || a.Snippet != "adult.example" ||
		a.Category != "adult" || !a.Time.Equal(t0.Add(15*time.Minute)) || a.Folded != 0 {
		t.Errorf("alert %+v", a)
	}
	// Categories the rules do not name raise nothing.
	for i := range 10 {
		if a := e.DNS(dns("chi", "social", "x.example", t0.Add(time.Duration(i)*time.Second))); len(a) != 0 {
			t.Fatalf("social raised %+v", a)
		}
	}
}

func TestThrottleFoldsIntoDigest(t *testing.T) {
	e := newTestEngine(t)
	at := t0
	var alerts []Alert
	for range 25 { // one every 30 s for 12.5 minutes
		alerts = append(alerts, e.DNS(dns("an", "bypass", "vpn.example", at))...)
		at = at.Add(30 * time.Second)
	}
	if len(alerts) != 1 || alerts[0].Rule != RuleDNSBypass || alerts[0].Count != 3 || alerts[0].Level != "high" {
		t.Fatalf("want one bypass alert, got %+v", alerts)
	}
	// 22 later attempts are folded while the rule is throttled.
	if d := e.Digests(t0.Add(30 * time.Minute)); len(d) != 0 {
		t.Fatalf("digest before the throttle passed: %+v", d)
	}
	d := e.Digests(alerts[0].Time.Add(time.Hour))
	if len(d) != 1 || !d[0].Digest || d[0].Folded != 22 || d[0].Profile != "an" || d[0].Rule != RuleDNSBypass {
		t.Fatalf("digest %+v", d)
	}
	if again := e.Digests(alerts[0].Time.Add(3 * time.Hour)); len(again) != 0 {
		t.Fatalf("digest sent twice: %+v", again)
	}
}

func TestFoldedCarriedByNextAlert(t *testing.T) {
	e := newTestEngine(t)
	var alerts []Alert
	feed := func(at time.Time) { alerts = append(alerts, e.DNS(dns("an", "scam", "bank-vn.example", at))...) }
	for i := range 5 {
		feed(t0.Add(time.Duration(i) * time.Second))
	}
	for i := range 7 { // throttled: folded
		feed(t0.Add(10*time.Minute + time.Duration(i)*time.Second))
	}
	for i := range 5 { // after the hour: a new alert carrying the 7
		feed(t0.Add(2*time.Hour + time.Duration(i)*time.Second))
	}
	if len(alerts) != 2 || alerts[1].Folded != 7 || alerts[1].Count != 5 {
		t.Fatalf("alerts %+v", alerts)
	}
	if d := e.Digests(t0.Add(4 * time.Hour)); len(d) != 0 {
		t.Fatalf("folded signals counted twice: %+v", d)
	}
}

func TestBedtime(t *testing.T) {
	e := newTestEngine(t)
	ev := DNSEvent{Time: t0, Profile: "an", Name: "youtube.com", Schedule: "ngu"}
	a := e.DNS(ev)
	if len(a) != 1 || a[0].Rule != RuleBedtime || a[0].Category != "bedtime" || a[0].Count != 1 {
		t.Fatalf("bedtime: %+v", a)
	}
	// One per night; a school-hours window is no bedtime.
	ev.Time = t0.Add(2 * time.Hour)
	if a := e.DNS(ev); len(a) != 0 {
		t.Fatalf("second bedtime alert the same night: %+v", a)
	}
	if a := e.DNS(DNSEvent{Time: t0, Profile: "an", Name: "game.example", Schedule: "hoc"}); len(a) != 0 {
		t.Fatalf("school window raised %+v", a)
	}
	if a := e.DNS(DNSEvent{Time: t0, Profile: "binh", Name: "youtube.com", Schedule: "ngu"}); len(a) != 0 {
		t.Fatalf("another profile's schedule of the same name: %+v", a)
	}
}

func TestMessages(t *testing.T) {
	e := newTestEngine(t)
	if a := e.Message(Message{Source: SourceCheck, Time: t0, Category: "scam", Level: "medium"}); len(a) != 0 {
		t.Fatalf("medium raised %+v", a)
	}
	a := e.Message(Message{Source: SourceReport, Time: t0, Category: "sextortion", Level: "critical", CaseID: 7,
		Text: "Nó dọa tung ảnh của con lên mạng nếu con không chuyển 2 triệu, con sợ lắm, con không dám nói với ai hết cô ơi"})
	if len(a) != 1 || !a[0].Critical() || a[0].CaseID != 7 || a[0].Source != SourceReport {
		t.Fatalf("critical report: %+v", a)
	}
	if n := len([]rune(a[0].Snippet)); n != SnippetRunes+1 { // 80 and the ellipsis
		t.Errorf("snippet of %d runes: %q", n, a[0].Snippet)
	}
	// Another category is throttled separately; the same one is folded.
	if b := e.Message(Message{Source: SourceCheck, Time: t0.Add(time.Minute), Category: "self_harm", Level: "high"}); len(b) != 1 || b[0].Critical() {
		t.Fatalf("self-harm high: %+v", b)
	}
	if b := e.Message(Message{Source: SourceCheck, Time: t0.Add(2 * time.Minute), Category: "sextortion", Level: "critical"}); len(b) != 0 {
		t.Fatalf("not throttled: %+v", b)
	}
	d := e.Digests(t0.Add(20 * time.Minute))
	if len(d) != 1 || d[0].Folded != 1 || d[0].Category != "sextortion" || d[0].Source != SourceCheck {
		t.Fatalf("digest %+v", d)
	}
}

func TestRuleValidation(t *testing.T) {
	bad := []Rule{
		{ID: "", Source: SourceDNS, Threshold: 1, Window: time.Minute, Level: "low"},
		{ID: "x", Source: "sms", Threshold: 1, Window: time.Minute, Level: "low"},
		{ID: "x", Source: SourceDNS, Threshold: 0, Window: time.Minute, Level: "low"},
		{ID: "x", Source: SourceDNS, Threshold: 1, Window: time.Minute, Level: "urgent"},
		{ID: "x", Source: SourceReport, Threshold: 1, Window: time.Minute},
	}
	for i, r := range bad {
		if _, err := NewEngine([]Rule{r}, nil); err == nil {
			t.Errorf("rule %d accepted: %+v", i, r)
		}
	}
	if _, err := NewEngine(append(DefaultRules(), DefaultRules()[0]), nil); err == nil {
		t.Error("duplicate rule accepted")
	}
}

func TestTitlesAndActionsInBothLanguages(t *testing.T) {
	for _, a := range []Alert{
		{Rule: RuleDNSRepeat, Source: SourceDNS, Category: "gambling", Count: 5, Profile: "an"},
		{Rule: RuleBedtime, Source: SourceDNS, Category: "bedtime", Count: 1},
		{Rule: RuleMessage, Source: SourceReport, Category: "grooming", Level: "critical", Folded: 2},
		{Rule: RuleDNSBypass, Source: SourceDNS, Category: "bypass", Digest: true, Folded: 9},
	} {
		vi, en := a.Title("vi"), a.Title("en")
		if vi == en || vi == "" || en == "" {
			t.Errorf("titles %q / %q", vi, en)
		}
		av, ae := a.Actions("vi"), a.Actions("en")
		if len(av) == 0 || len(av) != len(ae) || av[0] == ae[0] {
			t.Errorf("%s actions %q / %q", a.Category, av, ae)
		}
	}
}
