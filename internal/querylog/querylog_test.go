package querylog

import (
	"context"
	"sync"
	"testing"
	"time"
)

type fakeStore struct {
	mu     sync.Mutex
	hourly []Hourly
	events []Event
}

func (f *fakeStore) AddHourly(_ context.Context, rows []Hourly) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hourly = append(f.hourly, rows...)
	return nil
}

func (f *fakeStore) AddEvents(_ context.Context, events []Event) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, events...)
	return nil
}

func (f *fakeStore) PurgeEvents(context.Context, string, time.Time) (int64, error) { return 0, nil }

// TestRecorderKeepsCountsAndDetailsApart checks that counts go to the hourly
// aggregates, details (with their hits) to the events, and that a detail's
// hits never add to the aggregates.
func TestRecorderKeepsCountsAndDetailsApart(t *testing.T) {
	st := &fakeStore{}
	r, err := New(Config{Store: st, QueueSize: 16, FlushInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 10, 30, 0, 0, time.UTC)
	r.Record(Event{Time: at, Count: 12, Profile: "p", Category: "gambling", Action: Blocked})
	r.Record(Event{Time: at, Count: 3, Profile: "p", Category: "gambling", Action: Blocked})
	r.Record(Event{Time: at, Count: 40, Profile: "p", Action: Allowed})
	r.Record(Event{Time: at, Hits: 15, Profile: "p", Client: "10.0.0.2", Name: "nohu.example", Category: "gambling", Action: Blocked})
	r.Record(Event{Time: at, Profile: "p", Client: "10.0.0.2", Name: "allowed.example", Action: Allowed}) // not kept
	ctx, cancel := context.WithCancel(context.Background())
	go r.Run(ctx)
	cancel()
	r.Wait()
	agg := map[Action]int64{}
	for _, h := range st.hourly {
		if !h.Hour.Equal(at.Truncate(time.Hour)) {
			t.Errorf("hour %v", h.Hour)
		}
		agg[h.Action] += h.Queries
	}
	if agg[Blocked] != 15 || agg[Allowed] != 40 {
		t.Fatalf("aggregates %v", agg)
	}
	if len(st.events) != 1 || st.events[0].Hits != 15 || st.events[0].Name != "nohu.example" {
		t.Fatalf("events %+v", st.events)
	}
	if r.Written() != 5 || r.Dropped() != 0 {
		t.Fatalf("written %d dropped %d", r.Written(), r.Dropped())
	}
}

func TestRecorderDropsWhenFull(t *testing.T) {
	r, err := New(Config{Store: &fakeStore{}, QueueSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		r.Record(Event{Count: 1, Action: Allowed})
	}
	if r.Dropped() != 3 || r.QueueLen() != 2 {
		t.Fatalf("dropped %d queued %d", r.Dropped(), r.QueueLen())
	}
	if _, err := New(Config{}); err == nil {
		t.Fatal("New without a store succeeded")
	}
}

// TestRecorderWhileRunning records from several goroutines while Run is
// draining and checks that everything accepted is written by shutdown.
func TestRecorderWhileRunning(t *testing.T) {
	st := &fakeStore{}
	r, err := New(Config{Store: st, QueueSize: 100_000, FlushInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go r.Run(ctx)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 500 {
				r.Record(Event{Time: time.Now(), Hits: 2, Profile: "p", Client: "c", Name: string(rune('a'+g)) + ".example", Action: Blocked})
				if i%100 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	cancel()
	r.Wait()
	var hits int64
	for _, e := range st.events {
		hits += e.Hits
	}
	if len(st.events) != 2000 || hits != 4000 || r.Dropped() != 0 || r.QueueLen() != 0 {
		t.Fatalf("%d events, %d hits, %d dropped, %d queued", len(st.events), hits, r.Dropped(), r.QueueLen())
	}
}
