package dnsserver

import (
	"context"
	"errors"
	"time"

	"manglanh/internal/filter"
)

// UsageSink stores what the time budgets and devices count (internal/store
// implements it on SQLite and PostgreSQL). Bitmaps merge by OR, so that
// several processes and a restart add up; see filter.Usage.
type UsageSink interface {
	// AddBudgetUsage ORs rows into the stored bitmaps.
	AddBudgetUsage(ctx context.Context, rows []filter.BudgetBits) error
	// SetDevicesSeen stores the devices' last-seen times (a later time
	// wins).
	SetDevicesSeen(ctx context.Context, seen []filter.DeviceSeen) error
	// BudgetUsageSince returns the bitmaps written at or after since.
	BudgetUsageSince(ctx context.Context, since time.Time) ([]filter.BudgetBits, error)
}

// usageFlushEvery is how often the minutes and last-seen times are written.
const usageFlushEvery = 10 * time.Second

// usageReadMargin is re-read before the last read, for rows committed late
// and for clocks of other processes a little behind ours: merging is
// idempotent, so reading twice is harmless.
const usageReadMargin = 30 * time.Second

// LoadUsage merges the stored bitmaps of the last two days into the
// current policy's counters, so that a restart does not reset a budget.
// ListenAndServe calls it; an error is returned (and logged by the caller)
// but the server can run without it.
func (s *Server) LoadUsage(ctx context.Context) error {
	if s.cfg.Usage == nil {
		return nil
	}
	return s.readUsage(ctx, s.now().Add(-48*time.Hour))
}

func (s *Server) readUsage(ctx context.Context, since time.Time) error {
	snap := s.policy.Load()
	if snap == nil {
		return errors.New("dnsserver: no policy")
	}
	s.usageMu.Lock()
	defer s.usageMu.Unlock()
	started := s.now()
	rows, err := s.cfg.Usage.BudgetUsageSince(ctx, since)
	if err != nil {
		s.Stats.UsageErrors.Add(1)
		return err
	}
	snap.p.Usage().Merge(rows)
	s.usageRead = started
	return nil
}

// flushUsage writes the changed bitmaps and last-seen times; what could not
// be written is kept for the next flush.
func (s *Server) flushUsage(ctx context.Context) {
	snap := s.policy.Load()
	if s.cfg.Usage == nil || snap == nil {
		return
	}
	s.usageMu.Lock()
	defer s.usageMu.Unlock()
	u := snap.p.Usage()
	rows, seen := u.TakeDirty()
	var failed bool
	if len(rows) > 0 {
		if err := s.cfg.Usage.AddBudgetUsage(ctx, rows); err != nil {
			s.log.WarnContext(ctx, "writing budget usage", "rows", len(rows), "err", err)
			failed = true
		} else {
			rows = nil
		}
	}
	if len(seen) > 0 {
		if err := s.cfg.Usage.SetDevicesSeen(ctx, seen); err != nil {
			s.log.WarnContext(ctx, "writing devices seen", "devices", len(seen), "err", err)
			failed = true
		} else {
			seen = nil
		}
	}
	if failed {
		s.Stats.UsageErrors.Add(1)
		u.Restore(rows, seen)
	}
}

// syncUsage flushes every usageFlushEvery and reads what others wrote every
// UsageReadEvery, and flushes once more at shutdown.
func (s *Server) syncUsage(ctx context.Context) {
	defer s.wg.Done()
	flush := time.NewTicker(usageFlushEvery)
	defer flush.Stop()
	read := time.NewTicker(s.cfg.UsageReadEvery)
	defer read.Stop()
	for {
		select {
		case <-flush.C:
			// Not cancelled by the shutdown: a write under way finishes.
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			s.flushUsage(fctx)
			cancel()
		case <-read.C:
			s.usageMu.Lock()
			since := s.usageRead.Add(-usageReadMargin)
			s.usageMu.Unlock()
			if err := s.readUsage(ctx, since); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "reading budget usage", "err", err)
			}
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			s.flushUsage(fctx)
			cancel()
			return
		}
	}
}
