// Package querylog records what the DNS resolver did without ever delaying an
// answer: the hot path hands events to a bounded queue (dropping and counting
// what does not fit), and one goroutine folds them into hourly aggregates per
// profile, category and action, keeps the blocked and flagged events, and
// writes both to the store in batches.
//
// Privacy by design: allowed queries are only counted; the names a child
// looked up are kept only when they were blocked or flagged, and only for the
// profile's retention.
package querylog

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Action is what the resolver did with a query.
type Action string

// Actions recorded.
const (
	Allowed   Action = "allowed"
	Blocked   Action = "blocked"
	Rewritten Action = "safesearch"
	Refused   Action = "refused"
)

// Event is what the resolver reports. An event with Count > 0 adds Count
// queries to the hourly aggregate of its profile, category and action; an
// event with a Name and an Action other than Allowed is kept as a detail
// record (blocked and flagged names only). The DNS server counts queries in
// memory and sends counts, and sends one detail event per (profile, client,
// name) and flush window, with Hits saying how many queries it stands for.
//
// Count and Hits are separate on purpose: the queries a detail stands for
// are already in the aggregates, so Hits never adds to them.
type Event struct {
	Count int64
	// Hits is the number of identical queries a detail record stands for,
	// from Time (the first) to the end of the flush window; 0 means 1.
	Hits     int64
	Time     time.Time
	Profile  string
	Client   string
	Name     string
	Category string
	Action   Action
	Schedule string
}

// Hourly is the count of queries in one hour for a profile, category and
// action.
type Hourly struct {
	Hour     time.Time
	Profile  string
	Category string
	Action   Action
	Queries  int64
}

// Store persists what the Recorder gathers.
type Store interface {
	AddHourly(ctx context.Context, rows []Hourly) error
	AddEvents(ctx context.Context, events []Event) error
	PurgeEvents(ctx context.Context, profile string, before time.Time) (int64, error)
}

// Config configures a Recorder.
type Config struct {
	Store Store
	// QueueSize bounds the queue between the DNS hot path and the writer.
	QueueSize int
	// FlushInterval is how often aggregates and events are written.
	FlushInterval time.Duration
	// Retention gives each profile's event retention; missing profiles use
	// DefaultRetention.
	Retention        map[string]time.Duration
	DefaultRetention time.Duration
	Logger           *slog.Logger
}

// Recorder is the asynchronous query-event writer. Record is safe for
// concurrent use; Run must be running for events to be written.
//
// The queue is a slice that grows with use up to QueueSize, not a channel
// allocated at its bound: the DNS server sends counts and folded details
// every flush interval (a few thousand events), so the memory of a 65,536
// event bound (about 9 MB) would be paid for nothing.
type Recorder struct {
	cfg     Config
	mu      sync.Mutex
	queue   []Event
	spare   []Event       // the other buffer, swapped with queue by Run
	wake    chan struct{} // buffered 1: events are waiting
	dropped atomic.Uint64
	written atomic.Uint64
	failed  atomic.Uint64
	done    chan struct{}
}

// New validates cfg and returns a Recorder.
func New(cfg Config) (*Recorder, error) {
	if cfg.Store == nil {
		return nil, errors.New("querylog: no store")
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 65536
	}
	if cfg.FlushInterval <= 0 {
		cfg.FlushInterval = 10 * time.Second
	}
	if cfg.DefaultRetention <= 0 {
		cfg.DefaultRetention = 30 * 24 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Recorder{cfg: cfg, wake: make(chan struct{}, 1), done: make(chan struct{})}, nil
}

// Record queues e without blocking. It returns false, and counts a drop, when
// the queue is full.
func (r *Recorder) Record(e Event) bool {
	r.mu.Lock()
	if len(r.queue) >= r.cfg.QueueSize {
		r.mu.Unlock()
		r.dropped.Add(1)
		return false
	}
	r.queue = append(r.queue, e)
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
	return true
}

// take returns the queued events and empties the queue; the slice is
// valid until the next take.
func (r *Recorder) take() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.queue
	clear(r.spare) // drop the strings of the events handled last time
	r.queue, r.spare = r.spare[:0], out
	return out
}

// Dropped is the number of events dropped because the queue was full.
func (r *Recorder) Dropped() uint64 { return r.dropped.Load() }

// Written is the number of events folded into stored aggregates.
func (r *Recorder) Written() uint64 { return r.written.Load() }

// WriteErrors is the number of failed batch writes.
func (r *Recorder) WriteErrors() uint64 { return r.failed.Load() }

// QueueLen is the number of events waiting.
func (r *Recorder) QueueLen() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queue)
}

type hourKey struct {
	hour     int64
	profile  string
	category string
	action   Action
}

// Run drains the queue until ctx ends, then writes what it holds and
// returns: on shutdown nothing acknowledged to the queue is lost.
func (r *Recorder) Run(ctx context.Context) {
	defer close(r.done)
	agg := map[hourKey]int64{}
	var events []Event
	var n uint64
	tick := time.NewTicker(r.cfg.FlushInterval)
	defer tick.Stop()
	purge := time.NewTicker(time.Hour)
	defer purge.Stop()
	add := func(e Event) {
		k := hourKey{hour: e.Time.Truncate(time.Hour).Unix(), profile: e.Profile, category: e.Category, action: e.Action}
		if e.Count > 0 {
			agg[k] += e.Count
		}
		n++
		if e.Action != Allowed && e.Name != "" {
			events = append(events, e)
		}
	}
	flush := func(ctx context.Context) {
		if len(agg) == 0 && len(events) == 0 {
			return
		}
		rows := make([]Hourly, 0, len(agg))
		for k, v := range agg {
			rows = append(rows, Hourly{Hour: time.Unix(k.hour, 0).UTC(), Profile: k.profile, Category: k.category, Action: k.action, Queries: v})
		}
		if err := r.cfg.Store.AddHourly(ctx, rows); err != nil {
			r.failed.Add(1)
			r.cfg.Logger.ErrorContext(ctx, "writing DNS aggregates", "err", err, "rows", len(rows))
			if len(agg) > 100_000 { // the store has been down a long time: bound memory
				clear(agg)
			}
			return
		}
		clear(agg)
		if len(events) > 0 {
			if err := r.cfg.Store.AddEvents(ctx, events); err != nil {
				r.failed.Add(1)
				r.cfg.Logger.ErrorContext(ctx, "writing DNS events", "err", err, "events", len(events))
				if len(events) > 100_000 {
					events = events[:0]
				}
				return
			}
		}
		events = events[:0]
		r.written.Add(n)
		n = 0
	}
	for {
		select {
		case <-r.wake:
			for _, e := range r.take() {
				add(e)
				if len(events) >= 10_000 {
					flush(ctx)
				}
			}
		case <-tick.C:
			flush(ctx)
		case now := <-purge.C:
			r.purge(ctx, now)
		case <-ctx.Done():
			for _, e := range r.take() {
				add(e)
			}
			fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			flush(fctx)
			cancel()
			return
		}
	}
}

// Wait blocks until Run has returned.
func (r *Recorder) Wait() { <-r.done }

func (r *Recorder) purge(ctx context.Context, now time.Time) {
	for profile, keep := range r.cfg.Retention {
		if keep <= 0 {
			keep = r.cfg.DefaultRetention
		}
		if _, err := r.cfg.Store.PurgeEvents(ctx, profile, now.Add(-keep)); err != nil {
			r.cfg.Logger.ErrorContext(ctx, "purging DNS events", "profile", profile, "err", err)
		}
	}
	if _, err := r.cfg.Store.PurgeEvents(ctx, "", now.Add(-r.cfg.DefaultRetention)); err != nil {
		r.cfg.Logger.ErrorContext(ctx, "purging DNS events", "err", err)
	}
}
