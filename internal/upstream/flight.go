package upstream

import (
	"context"
	"sync"
)

// flightGroup coalesces identical concurrent misses: the first caller for a
// key runs the fetch, later callers wait for its result (or their own
// context). The fetch itself runs on a context detached from the first
// caller's, so one impatient client cannot fail the others.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	e    *entry
	err  error
}

// do runs fn once per key at a time; shared reports that the caller waited
// for another caller's fetch.
func (g *flightGroup) do(ctx context.Context, key string, fn func() (*entry, error)) (e *entry, err error, shared bool) {
	g.mu.Lock()
	if f, ok := g.m[key]; ok {
		g.mu.Unlock()
		select {
		case <-f.done:
			return f.e, f.err, true
		case <-ctx.Done():
			return nil, ctx.Err(), true
		}
	}
	f := &flight{done: make(chan struct{})}
	g.m[key] = f
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.m, key)
		g.mu.Unlock()
		close(f.done)
	}()
	f.e, f.err = fn()
	return f.e, f.err, false
}

// join is do without waiting: it returns key's flight, starting fn on a
// goroutine of its own when none is in flight (shared: one was). The
// caller waits on f.done for as long as it likes; fn runs to its end
// either way.
func (g *flightGroup) join(key string, fn func() (*entry, error)) (f *flight, shared bool) {
	g.mu.Lock()
	if f, ok := g.m[key]; ok {
		g.mu.Unlock()
		return f, true
	}
	f = &flight{done: make(chan struct{})}
	g.m[key] = f
	g.mu.Unlock()
	go func() {
		defer func() {
			g.mu.Lock()
			delete(g.m, key)
			g.mu.Unlock()
			close(f.done)
		}()
		f.e, f.err = fn()
	}()
	return f, false
}
