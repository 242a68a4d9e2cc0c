package app

import (
	"context"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"manglanh/internal/dnsserver"
	"manglanh/internal/filter"
	"manglanh/internal/store"
)

// budgetUsageDays is how long the budgets' minute bitmaps are kept.
const budgetUsageDays = 35

// blockPageAddrs parses dns.block_page_ipv4 / _ipv6 (validated by config).
func blockPageAddrs(v4, v6 string) (netip.Addr, netip.Addr) {
	a4, _ := netip.ParseAddr(v4)
	a6, _ := netip.ParseAddr(v6)
	return a4, a6
}

// startPolicy makes the watcher that compiles the YAML profiles with the
// portal's (the family tables) into the DNS server's policy, and loads it
// once now. SQLite is polled every second; PostgreSQL LISTENs on
// manglanh_policy with a 30-second poll as a safety net. A policy that does
// not compile at start leaves the YAML profiles alone in force (logged).
func (a *App) startPolicy(ctx context.Context, reg *filter.Registry, srv *dnsserver.Server) error {
	wc := PolicyWatcherConfig{
		Registry: reg, Seed: ProfileSpecs(a.cfg), DefaultProfile: a.cfg.DNS.DefaultProfile,
		Source: familySource{st: a.store, now: time.Now}, Usage: filter.NewUsage(), Set: srv.SetPolicy, Logger: a.log,
		Housekeeping: func(ctx context.Context) {
			// Five weeks of minutes: the weekly summary and its comparison
			// with the week before need no more.
			before := time.Now().AddDate(0, 0, -budgetUsageDays).UTC().Format(time.DateOnly)
			if n, err := a.store.PurgeBudgetUsage(ctx, before); err != nil {
				a.log.WarnContext(ctx, "purging budget minutes", "err", err)
			} else if n > 0 {
				a.log.InfoContext(ctx, "budget minutes purged", "rows", n, "before", before)
			}
		},
	}
	if a.store.Dialect() == store.Postgres {
		wc.ListenDSN, wc.Poll = a.cfg.Database, policySafetyPoll
	}
	w, err := NewPolicyWatcher(wc)
	if err != nil {
		return err
	}
	a.policy = w
	if err := w.Reload(ctx, true); err != nil {
		// The YAML profiles were checked by NewFilter: serve them.
		pol, cerr := filter.CompileUsage(reg, wc.Seed, wc.DefaultProfile, wc.Usage, time.Now())
		if cerr != nil {
			return cerr
		}
		srv.SetPolicy(pol)
	}
	counter := func(name, help string, v func() float64) {
		a.metrics.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, v))
	}
	counter("manglanh_policy_reloads_total", "Policies compiled and published (start, portal changes, hourly rebuilds).", func() float64 { return float64(w.Reloads.Load()) })
	counter("manglanh_policy_reload_failures_total", "Policy reloads that kept the previous policy (read or compile error).", func() float64 { return float64(w.Failures.Load()) })
	counter("manglanh_policy_notifications_total", "PostgreSQL notifications on manglanh_policy received.", func() float64 { return float64(w.Notifications.Load()) })
	counter("manglanh_dns_usage_errors_total", "Failed reads and writes of budget minutes and devices seen (kept and retried).", func() float64 { return float64(srv.Stats.UsageErrors.Load()) })
	return nil
}
