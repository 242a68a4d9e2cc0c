package audit

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestLog(t *testing.T) (*Log, *memStore) {
	t.Helper()
	m := &memStore{}
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	l, err := New(Config{Store: m, Clock: func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}})
	if err != nil {
		t.Fatal(err)
	}
	return l, m
}

func fill(t *testing.T, l *Log, n int) {
	t.Helper()
	ctx := WithClientIP(context.Background(), "192.0.2.7")
	for i := range n {
		if err := l.RecordAction(ctx, Actor{ID: 1, Name: "Cán bộ A", Role: "officer"}, "case.view", "case", fmt.Sprint(i), "xem"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestChainVerifiesAndLinks(t *testing.T) {
	l, m := newTestLog(t)
	fill(t, l, 5)
	r, err := l.Verify(context.Background())
	if err != nil || !r.OK || r.Entries != 5 || r.HeadSeq != 5 {
		t.Fatalf("verify = %+v, %v", r, err)
	}
	if m.rows[0].PrevHash != "" || m.rows[1].PrevHash != m.rows[0].Hash || m.rows[0].IP != "192.0.2.7" {
		t.Fatalf("chain not linked: %+v", m.rows[:2])
	}
	empty, _ := newTestLog(t)
	if r, err := empty.Verify(context.Background()); err != nil || !r.OK || r.Entries != 0 {
		t.Fatalf("empty log: %+v, %v", r, err)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(m *memStore)
		id     int64
		reason string
	}{
		{"modified detail", func(m *memStore) { m.rows[2].Detail = "khác" }, 3, "modified"},
		{"modified time", func(m *memStore) { m.rows[1].Time = m.rows[1].Time.Add(time.Hour) }, 2, "modified"},
		{"deleted row", func(m *memStore) { m.rows = append(m.rows[:2], m.rows[3:]...) }, 4, "sequence"},
		{"swapped rows", func(m *memStore) {
			m.rows[1], m.rows[2] = m.rows[2], m.rows[1]
			m.rows[1].ID, m.rows[2].ID = 2, 3
		}, 2, "sequence"},
		{"relinked after deletion", func(m *memStore) {
			m.rows = append(m.rows[:2], m.rows[3:]...)
			for i := 2; i < len(m.rows); i++ {
				m.rows[i].Seq--
			}
		}, 4, "link"},
		{"tail deleted", func(m *memStore) { m.rows = m.rows[:4] }, 0, "end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, m := newTestLog(t)
			fill(t, l, 6)
			tc.tamper(m)
			r, err := l.Verify(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if r.OK || r.BrokenID != tc.id || !strings.Contains(r.Reason, tc.reason) || r.ReasonVi == "" {
				t.Fatalf("report = %+v", r)
			}
		})
	}
}

func TestConcurrentRecordsKeepOneChain(t *testing.T) {
	l, _ := newTestLog(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { fill(t, l, 10) })
	}
	wg.Wait()
	if r, err := l.Verify(context.Background()); err != nil || !r.OK || r.Entries != 80 {
		t.Fatalf("verify = %+v, %v", r, err)
	}
}

func TestDetailIsOneBoundedLine(t *testing.T) {
	l, m := newTestLog(t)
	long := strings.Repeat("ạ", MaxDetail) // 3 bytes each
	if err := l.Record(context.Background(), Entry{Action: "x", Detail: "a\nb\x00" + long}); err != nil {
		t.Fatal(err)
	}
	d := m.rows[0].Detail
	if strings.ContainsAny(d, "\n\x00") || len(d) > MaxDetail || !strings.HasPrefix(d, "a b ") {
		t.Fatalf("detail %q (%d bytes)", d[:10], len(d))
	}
	if err := l.Record(context.Background(), Entry{}); err == nil {
		t.Fatal("entry without action recorded")
	}
}

func TestHashCoversEveryField(t *testing.T) {
	base := Entry{Seq: 3, Time: time.UnixMilli(1700000000000), ActorID: 2, ActorName: "n", ActorRole: "r",
		Action: "a", ObjectType: "t", ObjectID: "o", Detail: "d", IP: "i", PrevHash: "p"}
	h := HashOf(base)
	muts := []func(*Entry){
		func(e *Entry) { e.Seq++ }, func(e *Entry) { e.Time = e.Time.Add(time.Millisecond) },
		func(e *Entry) { e.ActorID++ }, func(e *Entry) { e.ActorName += "x" }, func(e *Entry) { e.ActorRole += "x" },
		func(e *Entry) { e.Action += "x" }, func(e *Entry) { e.ObjectType += "x" }, func(e *Entry) { e.ObjectID += "x" },
		func(e *Entry) { e.Detail += "x" }, func(e *Entry) { e.IP += "x" }, func(e *Entry) { e.PrevHash += "x" },
		// moving a byte from one field to the next must change the hash
		func(e *Entry) { e.ObjectType, e.ObjectID = "to", "" },
	}
	for i, mut := range muts {
		e := base
		mut(&e)
		if HashOf(e) == h {
			t.Errorf("mutation %d left the hash unchanged", i)
		}
	}
}
