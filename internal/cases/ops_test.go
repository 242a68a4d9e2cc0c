package cases

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func kinds(evs []Event) string {
	var s []string
	for _, e := range evs {
		to := e.ToRole
		if e.ToUserID != 0 {
			to = "user"
		}
		s = append(s, string(e.Kind)+">"+to)
	}
	return strings.Join(s, ",")
}

func TestCheckDeadlinesIdempotent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	in := sampleIntake()
	in.Urgent = true
	c, err := h.svc.Intake(ctx, public, in) // Friday 18:00: emergency due Saturday 06:00
	if err != nil {
		t.Fatal(err)
	}
	recv := h.clock.Now()
	steps := []struct {
		after time.Duration
		want  string
	}{
		{8 * time.Hour, ""},
		{9*time.Hour + 30*time.Minute, "due_soon>ward_admin"},
		{10 * time.Hour, ""}, // same deadline, same stage: not again
		{12*time.Hour + time.Minute, "escalation>ward_admin"},
		{13 * time.Hour, ""},
	}
	for _, s := range steps {
		sent, err := h.svc.CheckDeadlines(ctx, recv.Add(s.after))
		if err != nil {
			t.Fatal(err)
		}
		if got := kinds(sent); got != s.want {
			t.Errorf("+%s: sent %q, want %q", s.after, got, s.want)
		}
		for _, e := range sent {
			if e.CaseID != c.ID || e.Deadline != DeadlineEmergency || !e.Due.Equal(recv.Add(12*time.Hour)) {
				t.Errorf("event %+v", e)
			}
		}
	}
	// Once assigned, a new deadline stage goes to the assignee and escalates.
	if err := h.svc.Assign(ctx, admin, c.ID, officer.UserID); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(recv.Add(14 * time.Hour))
	if err := h.svc.Assess(ctx, officer, c.ID, Assessment{RiskLevel: LevelMedium}); err != nil {
		t.Fatal(err)
	}
	// Assessed Saturday 08:00: plan due at the end of Friday 13/3.
	sent, err := h.svc.CheckDeadlines(ctx, at(2026, 3, 13, 1, 0))
	if err != nil || kinds(sent) != "due_soon>user" || sent[0].ToUserID != officer.UserID || sent[0].Deadline != DeadlinePlan {
		t.Errorf("plan due soon: %+v, %v", sent, err)
	}
	sent, _ = h.svc.CheckDeadlines(ctx, at(2026, 3, 14, 0, 0))
	if kinds(sent) != "overdue>user,escalation>ward_admin" {
		t.Errorf("plan overdue: %s", kinds(sent))
	}
	sent, _ = h.svc.CheckDeadlines(ctx, at(2026, 3, 15, 0, 0))
	if len(sent) != 0 {
		t.Errorf("re-notified: %s", kinds(sent))
	}
}

func TestCheckDeadlinesRetriesFailedDelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	in := sampleIntake()
	in.SuggestedLevel = LevelCritical
	c, _ := h.svc.Intake(ctx, public, in)
	h.rec.failEvent = errors.New("smtp down")
	sent, err := h.svc.CheckDeadlines(ctx, c.ReceivedAt.Add(2*time.Hour))
	if err == nil || len(sent) != 0 {
		t.Fatalf("failed delivery: sent %v, err %v", sent, err)
	}
	h.rec.failEvent = nil
	sent, err = h.svc.CheckDeadlines(ctx, c.ReceivedAt.Add(2*time.Hour))
	if err != nil || kinds(sent) != "escalation>ward_admin" || sent[0].Deadline != DeadlineAssignment {
		t.Errorf("retry: %s, %v", kinds(sent), err)
	}
	h.store.failList = errors.New("db down")
	if _, err := h.svc.CheckDeadlines(ctx, c.ReceivedAt.Add(3*time.Hour)); err == nil {
		t.Error("store failure hidden")
	}
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	mk := func(level string, urgent bool) int64 {
		in := sampleIntake()
		in.SuggestedLevel, in.Urgent = level, urgent
		c, err := h.svc.Intake(ctx, public, in)
		if err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	crit := mk(LevelCritical, false) // unassigned: overdue after 1 h
	high := mk(LevelHigh, false)
	low := mk(LevelLow, true) // urgent: emergency due in 12 h
	mk(LevelLow, false)       // no deadline
	if err := h.svc.Assign(ctx, admin, high, officer.UserID); err != nil {
		t.Fatal(err)
	}
	now := h.clock.Now().Add(10 * time.Hour)
	d, err := h.svc.Dashboard(ctx, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Overdue[LevelCritical] != 1 || d.DueSoon[LevelLow] != 1 || len(d.Overdue)+len(d.DueSoon) != 2 {
		t.Errorf("counts %v %v", d.Overdue, d.DueSoon)
	}
	if len(d.Cases) != 2 || d.Cases[0].ID != crit || d.Cases[1].ID != low {
		t.Errorf("cases %+v", d.Cases)
	}
	v, err := h.svc.Dashboard(ctx, viewer, now)
	if err != nil || v.Cases != nil || v.Overdue[LevelCritical] != 1 {
		t.Errorf("viewer dashboard %+v, %v", v, err)
	}
	s, err := h.svc.Dashboard(ctx, school, now)
	if err != nil || len(s.Cases) != 0 || len(s.Overdue) != 0 {
		t.Errorf("school dashboard leaks: %+v, %v", s, err)
	}
	if _, err := h.svc.Dashboard(ctx, public, now); !errors.Is(err, ErrForbidden) {
		t.Errorf("public dashboard: %v", err)
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	closedID := h.newCase(t)
	openID := h.newCase(t)
	if err := h.svc.Assess(ctx, officer, closedID, Assessment{RiskLevel: LevelNone}); err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Close(ctx, officer, closedID, "không có cơ sở"); err != nil {
		t.Fatal(err)
	}
	closed, _ := h.store.GetCase(ctx, closedID)
	retention := 365 * 24 * time.Hour
	if _, err := h.svc.Purge(ctx, h.clock.Now(), time.Hour); err == nil {
		t.Error("a one-hour retention was accepted")
	}
	n, err := h.svc.Purge(ctx, closed.ClosedAt.Add(retention-time.Minute), retention)
	if err != nil || n != 0 {
		t.Fatalf("purged early: %d, %v", n, err)
	}
	purgeAt := closed.ClosedAt.Add(retention + time.Minute)
	n, err = h.svc.Purge(ctx, purgeAt, retention)
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if _, err := h.store.GetCase(ctx, closedID); !errors.Is(err, ErrNotFound) {
		t.Error("purged case still stored")
	}
	if _, err := h.store.GetCase(ctx, openID); err != nil {
		t.Error("open case purged")
	}
	if len(h.store.deletions) != 1 {
		t.Fatalf("deletion records: %+v", h.store.deletions)
	}
	rec := h.store.deletions[0]
	if rec.Code != closed.Code || rec.Category != CategoryGrooming || !rec.ReceivedAt.Equal(closed.ReceivedAt) ||
		!rec.ClosedAt.Equal(closed.ClosedAt) || !rec.DeletedAt.Equal(purgeAt) || rec.CaseID != closedID {
		t.Errorf("deletion record %+v", rec)
	}
	if h.rec.countAudit("case.purge", closedID) != 1 {
		t.Error("purge not audited")
	}
	if _, err := h.svc.StatusByCode(ctx, closed.Code); !errors.Is(err, ErrNotFound) {
		t.Errorf("status of a purged case: %v", err)
	}
	// A purged case's code is never issued again.
	if err := h.store.CreateCase(ctx, &Case{Code: closed.Code}, nil); !errors.Is(err, ErrCodeTaken) {
		t.Errorf("reused code: %v", err)
	}
}

func TestNewCodeUniform(t *testing.T) {
	t.Parallel()
	counts := map[rune]int{}
	for range 3000 {
		c, err := newCode(randReader{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c {
			counts[r]++
		}
	}
	if len(counts) != len(codeAlphabet) {
		t.Errorf("%d symbols used, want %d", len(counts), len(codeAlphabet))
	}
	for r, n := range counts { // expected 800 each
		if n < 600 || n > 1000 {
			t.Errorf("symbol %c drawn %d times", r, n)
		}
	}
	if strings.ContainsAny(codeAlphabet, "01OIL") {
		t.Error("look-alike symbols in the alphabet")
	}
}

type randReader struct{}

func (randReader) Read(p []byte) (int, error) { return cryptoRead(p) }

// FuzzIntake feeds hostile strings to the intake: anything accepted must be
// valid UTF-8, free of control characters in one-line fields, within
// bounds, and its links http or https.
func FuzzIntake(f *testing.F) {
	f.Add("Nguyễn Văn An", "Bị dụ chuyển khoản 500k", "https://zalo.me/x", "0912345678")
	f.Add("An\xff\xfe", "a\x00b", "javascript:alert(1)", "+84 912")
	f.Add("\u202Eevil", "dòng 1\r\ndòng 2", "HTTPS://EXAMPLE.VN/ä", "(024) 111")
	f.Add(strings.Repeat("ă", 201), "\t", "http://[::1]:80/", "111")
	f.Fuzz(func(t *testing.T, name, desc, link, phone string) {
		h := newHarness(t)
		in := sampleIntake()
		in.Sensitive.ChildName, in.Sensitive.Description = name, desc
		in.Sensitive.EvidenceLinks = []string{link}
		in.Sensitive.ReporterPhone = phone
		c, err := h.svc.Intake(context.Background(), public, in)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Vi == "" || ve.En == "" {
				t.Fatalf("unexpected error %v", err)
			}
			if len(h.store.cases) != 0 {
				t.Fatal("rejected input stored")
			}
			return
		}
		s := h.store.cases[c.ID].Sensitive
		for _, v := range []string{s.ChildName, s.Description, s.ReporterPhone, strings.Join(s.EvidenceLinks, "")} {
			if !utf8.ValidString(v) {
				t.Fatalf("stored invalid UTF-8 %q", v)
			}
		}
		if hasControl(s.ChildName, false) || hasControl(s.Description, true) || hasControl(s.ReporterPhone, false) {
			t.Fatalf("stored control characters: %q %q", s.ChildName, s.Description)
		}
		if utf8.RuneCountInString(s.ChildName) > maxShort || utf8.RuneCountInString(s.Description) > maxNarrative || s.Description == "" {
			t.Fatal("bounds not enforced")
		}
		for _, l := range s.EvidenceLinks {
			if !strings.HasPrefix(strings.ToLower(l), "http://") && !strings.HasPrefix(strings.ToLower(l), "https://") {
				t.Fatalf("stored link %q", l)
			}
		}
	})
}

func FuzzNormalizeCode(f *testing.F) {
	f.Add("abcd-2345")
	f.Add("ABCD 2345")
	f.Add("0OIL\xff")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := NormalizeCode(in)
		if err != nil {
			return
		}
		if len(c) != CodeLength {
			t.Fatalf("%q -> %q", in, c)
		}
		for i := 0; i < len(c); i++ {
			if !strings.Contains(codeAlphabet, string(c[i])) {
				t.Fatalf("%q -> %q", in, c)
			}
		}
	})
}
