package filter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxBytes bounds one list download or file when LoaderConfig.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// MaxSources is the most sources a Loader takes: the Matcher records which
// sources listed each name in a 64-bit set.
const MaxSources = 64

// Source is one block list: a file path or an http(s) URL whose domains get
// the tag of Category.
type Source struct {
	Category string        // a category name of the Registry, e.g. "gambling"
	Location string        // file path or http:// / https:// URL
	Refresh  time.Duration // how often Run reloads it; 0 = never after Load
}

// SourceStatus is the state of one Source, for the admin page and metrics.
type SourceStatus struct {
	Category  string
	Location  string
	Domains   int // distinct block entries in the data in use
	Allows    int // distinct allow exceptions in the data in use
	Junk      int // junk entries in the last successful parse
	Samples   []JunkSample
	LastOK    time.Time // when the data in use was loaded; zero if never
	LastTry   time.Time
	LastError string // "" if the last attempt succeeded
}

// LoaderConfig configures NewLoader.
type LoaderConfig struct {
	Sources    []Source
	Registry   *Registry    // required
	Logger     *slog.Logger // nil = nothing is logged
	HTTPClient *http.Client // nil = a client with a 60 s timeout
	MaxBytes   int64        // per source; 0 = DefaultMaxBytes
	// OnSwap, if set, is called after each new Matcher is built, from the
	// goroutine of Load, Run or Refresh, with a copy of the statuses. It runs
	// before the next refresh may start, so it must not call Load or Refresh.
	OnSwap func(*Matcher, []SourceStatus)
	// Now is the clock, for tests; nil = time.Now.
	Now func() time.Time
}

// Loader reads block lists and builds a Matcher of all of them plus the
// built-in service and bypass domains.
//
// The Matcher in use is the only copy of the lists' data: it records which
// source listed each name, so that when one source changes the Loader builds
// the next Matcher from the current one less that source's old entries plus
// its new ones, without reading the other sources again and without keeping
// a parsed copy of each source beside the Matcher. A rebuild holds the old
// Matcher, the changed sources' new data and the new Matcher at once.
//
// A refresh that fails — read or HTTP error, a body over MaxBytes, zero
// domains where the last good copy had some, or fewer than half as many
// domains as the last good copy (a truncated file) — keeps the last good
// copy of that source (its entries stay in the Matcher) and records the
// error in its status. Load fails only when every source fails; the Matcher
// then still holds the built-in domains.
type Loader struct {
	cfg       LoaderConfig
	log       *slog.Logger
	client    *http.Client
	srcTags   []TagSet   // the tag of each source, by index
	refreshMu sync.Mutex // serialises refreshes: each rebuild starts from the last
	mu        sync.Mutex // guards states
	states    []sourceState
	current   atomic.Pointer[Matcher]
}

type sourceState struct {
	src     Source
	status  SourceStatus
	etag    string
	lastMod string
}

// NewLoader checks cfg and returns a Loader whose Current matcher holds the
// built-in domains only, until Load.
func NewLoader(cfg LoaderConfig) (*Loader, error) {
	if cfg.Registry == nil {
		return nil, errors.New("new loader: nil registry")
	}
	l := &Loader{cfg: cfg, log: cfg.Logger, client: cfg.HTTPClient}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.client == nil {
		l.client = &http.Client{Timeout: 60 * time.Second}
	}
	if l.cfg.MaxBytes <= 0 {
		l.cfg.MaxBytes = DefaultMaxBytes
	}
	if l.cfg.Now == nil {
		l.cfg.Now = time.Now
	}
	if len(cfg.Sources) > MaxSources {
		return nil, fmt.Errorf("new loader: %d sources, the limit is %d", len(cfg.Sources), MaxSources)
	}
	for i, s := range cfg.Sources {
		t, ok := cfg.Registry.Tag(s.Category)
		if !ok {
			return nil, fmt.Errorf("new loader: source %d (%s): unknown category %q", i+1, s.Location, s.Category)
		}
		if strings.TrimSpace(s.Location) == "" {
			return nil, fmt.Errorf("new loader: source %d: empty location", i+1)
		}
		if s.Refresh < 0 {
			return nil, fmt.Errorf("new loader: source %d (%s): negative refresh", i+1, s.Location)
		}
		l.states = append(l.states, sourceState{src: s, status: SourceStatus{Category: s.Category, Location: s.Location}})
		l.srcTags = append(l.srcTags, TagSet(0).With(t))
	}
	b := NewBuilder()
	b.srcTags = l.srcTags
	cfg.Registry.AddBuiltins(b)
	l.current.Store(b.Build())
	return l, nil
}

// Current returns the Matcher in use; never nil.
func (l *Loader) Current() *Matcher { return l.current.Load() }

// Statuses returns a copy of every source's status, in configuration order.
func (l *Loader) Statuses() []SourceStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statusesLocked()
}

func (l *Loader) statusesLocked() []SourceStatus {
	out := make([]SourceStatus, len(l.states))
	for i, s := range l.states {
		out[i] = s.status
		out[i].Samples = append([]JunkSample(nil), s.status.Samples...)
	}
	return out
}

// Load reads every source once and swaps in a new Matcher. A source that
// fails keeps its previous data (none, at first) and its error is logged and
// recorded; Load returns an error only if every source failed.
func (l *Loader) Load(ctx context.Context) error {
	idx := make([]int, len(l.states))
	for i := range idx {
		idx[i] = i
	}
	failed := l.refresh(ctx, idx)
	if len(l.states) > 0 && failed == len(l.states) {
		return fmt.Errorf("loading block lists: all %d sources failed", failed)
	}
	return nil
}

// Run refreshes each source every Refresh until ctx ends, then returns
// ctx.Err(). Call Load first.
func (l *Loader) Run(ctx context.Context) error {
	next := make([]time.Time, len(l.states))
	now := l.cfg.Now()
	for i, s := range l.states {
		if s.src.Refresh > 0 {
			next[i] = now.Add(s.src.Refresh)
		}
	}
	for {
		var soonest time.Time
		for _, t := range next {
			if !t.IsZero() && (soonest.IsZero() || t.Before(soonest)) {
				soonest = t
			}
		}
		if soonest.IsZero() {
			<-ctx.Done()
			return ctx.Err()
		}
		timer := time.NewTimer(time.Until(soonest))
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
		now := l.cfg.Now()
		var due []int
		for i, t := range next {
			if !t.IsZero() && !t.After(now) {
				due = append(due, i)
				next[i] = now.Add(l.states[i].src.Refresh)
			}
		}
		l.refresh(ctx, due)
	}
}

// Refresh reloads the sources at the given indexes (configuration order)
// now, rebuilding the Matcher if any changed, and returns how many failed.
// Refreshes (Load, Run's and Refresh's) are serialised: a call waits for
// one in progress.
func (l *Loader) Refresh(ctx context.Context, indexes ...int) int {
	return l.refresh(ctx, indexes)
}

func (l *Loader) refresh(ctx context.Context, idx []int) int {
	l.refreshMu.Lock()
	defer l.refreshMu.Unlock()
	failed := 0
	changed := make(map[int]*DomainSet)
	for _, i := range idx {
		if i < 0 || i >= len(l.states) {
			continue
		}
		set, err := l.fetchOne(ctx, i)
		if set != nil {
			changed[i] = set
			l.mu.Lock()
			st := l.states[i].status
			l.mu.Unlock()
			l.log.InfoContext(ctx, "block list loaded", "category", st.Category, "location", st.Location,
				"domains", st.Domains, "allows", st.Allows, "junk", st.Junk)
		}
		if err != nil {
			failed++
			l.log.WarnContext(ctx, "block list kept last good copy", "category", l.states[i].src.Category,
				"location", l.states[i].src.Location, "err", err)
		}
	}
	if len(changed) > 0 {
		m := l.rebuild(changed)
		clear(changed) // the new data lives in m now
		l.current.Store(m)
		l.mu.Lock()
		st := l.statusesLocked()
		l.mu.Unlock()
		l.log.InfoContext(ctx, "block lists swapped", "names", m.Len(), "bytes", m.SizeBytes())
		if l.cfg.OnSwap != nil {
			l.cfg.OnSwap(m, st)
		}
	}
	return failed
}

// errNotModified says the server answered 304: the data in use is current.
var errNotModified = errors.New("not modified")

// fetchOne reads source i; it returns its new data if it changed, nil if not
// or on error.
func (l *Loader) fetchOne(ctx context.Context, i int) (*DomainSet, error) {
	l.mu.Lock()
	s := l.states[i]
	l.mu.Unlock()
	now := l.cfg.Now()
	set, st, etag, lastMod, err := l.read(ctx, s.src.Location, s.etag, s.lastMod)
	if errors.Is(err, errNotModified) {
		l.mu.Lock()
		l.states[i].status.LastTry, l.states[i].status.LastOK, l.states[i].status.LastError = now, now, ""
		l.mu.Unlock()
		return nil, nil
	}
	if err == nil {
		prev := s.status.Domains
		switch {
		case set.Len() == 0 && prev > 0:
			err = fmt.Errorf("list has no domains (last good copy had %d)", prev)
		case prev >= 100 && set.Len() < prev/2:
			err = fmt.Errorf("list shrank from %d to %d domains, looks truncated", prev, set.Len())
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ss := &l.states[i]
	ss.status.LastTry = now
	if err != nil {
		ss.status.LastError = err.Error()
		return nil, err
	}
	ss.etag, ss.lastMod = etag, lastMod
	ss.status.Domains, ss.status.Allows = set.Len(), set.AllowLen()
	ss.status.Junk, ss.status.Samples = st.Junk, st.Samples
	ss.status.LastOK, ss.status.LastError = now, ""
	return set, nil
}

// errTooLarge is returned by limitedReader past its limit.
var errTooLarge = errors.New("list is larger than the limit")

type limitedReader struct {
	r    io.Reader
	left int64
}

func (lr *limitedReader) Read(p []byte) (int, error) {
	if lr.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > lr.left+1 {
		p = p[:lr.left+1]
	}
	n, err := lr.r.Read(p)
	lr.left -= int64(n)
	if lr.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}

func (l *Loader) read(ctx context.Context, loc, etag, lastMod string) (*DomainSet, ParseStats, string, string, error) {
	var body io.Reader
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc, nil)
		if err != nil {
			return nil, ParseStats{}, "", "", fmt.Errorf("building request: %w", err)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if lastMod != "" {
			req.Header.Set("If-Modified-Since", lastMod)
		}
		req.Header.Set("User-Agent", "manglanh-filter")
		resp, err := l.client.Do(req)
		if err != nil {
			return nil, ParseStats{}, "", "", fmt.Errorf("downloading: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotModified && (etag != "" || lastMod != "") {
			return nil, ParseStats{}, "", "", errNotModified
		}
		if resp.StatusCode != http.StatusOK {
			return nil, ParseStats{}, "", "", fmt.Errorf("downloading: HTTP status %s", resp.Status)
		}
		if resp.ContentLength > l.cfg.MaxBytes {
			return nil, ParseStats{}, "", "", fmt.Errorf("downloading: %d bytes: %w (%d)", resp.ContentLength, errTooLarge, l.cfg.MaxBytes)
		}
		etag, lastMod = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
		body = resp.Body
	} else {
		f, err := os.Open(strings.TrimPrefix(loc, "file://"))
		if err != nil {
			return nil, ParseStats{}, "", "", fmt.Errorf("opening list: %w", err)
		}
		defer f.Close()
		body = f
		etag, lastMod = "", ""
	}
	set, st, err := ParseDomainSet(&limitedReader{r: body, left: l.cfg.MaxBytes})
	if err != nil {
		return nil, st, "", "", fmt.Errorf("reading list: %w", err)
	}
	return set, st, etag, lastMod, nil
}

// rebuild returns the Matcher in use with the entries of the sources in
// changed replaced by their new data. The built-in domains and the other
// sources' entries are carried over from the Matcher in use. The caller
// holds refreshMu.
func (l *Loader) rebuild(changed map[int]*DomainSet) *Matcher {
	b := NewBuilder()
	b.srcTags = l.srcTags
	var drop uint64
	for i := range changed {
		drop |= 1 << i
	}
	b.addMatcher(l.current.Load(), drop)
	for i, set := range changed {
		b.addSource(set, i)
	}
	return b.Build()
}
