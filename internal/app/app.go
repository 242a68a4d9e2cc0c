// Package app is the only place where Mạng Lành's parts meet: it turns the
// configuration into the store, the filter, the resolver, the DNS server and
// the portal, runs them, and shuts them down in order on SIGTERM. Nothing
// imports it but internal/cli.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"manglanh/internal/ocr"
	"manglanh/internal/skills"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"manglanh/internal/config"
	"manglanh/internal/dnsserver"
	"manglanh/internal/filter"
	"manglanh/internal/querylog"
	"manglanh/internal/sources"
	"manglanh/internal/store"
	"manglanh/internal/upstream"
	"manglanh/internal/web"
)

// App is a configured, not yet running, Mạng Lành.
type App struct {
	cfg      *config.Config
	log      *slog.Logger
	metrics  *prometheus.Registry
	store    *store.Store
	registry *filter.Registry
	loader   *filter.Loader
	resolver *upstream.Resolver
	dns      *dnsserver.Server
	recorder *querylog.Recorder
	web      *http.Server
	webLn    net.Listener
	portal   *portal
	policy   *PolicyWatcher // nil without DNS
	now      func() time.Time
}

// Options are what a caller may change about an application beyond its
// configuration.
type Options struct {
	// Now is the clock of the DNS server's decisions (schedules, pauses,
	// budget minutes) and the policy compiler; nil = time.Now. The
	// portal keeps the real clock (sessions, cookies). The end-to-end
	// tests pin it to run a budget out.
	Now func() time.Time
}

// New builds every part the configuration enables. It opens the database
// (applying migrations) and loads the block lists, so configuration and data
// errors surface here, before anything listens.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*App, error) {
	return NewWith(ctx, cfg, log, Options{})
}

// NewWith is New with options.
func NewWith(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) (*App, error) {
	a := &App{cfg: cfg, log: log, metrics: prometheus.NewRegistry(), now: opts.Now}
	if a.now == nil {
		a.now = time.Now
	}
	a.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	a.store, err = store.Open(ctx, store.Config{DSN: cfg.Database, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("opening the database: %w", err)
	}
	if cfg.DNS.Listen != "" {
		if err := a.setupDNS(ctx); err != nil {
			a.store.Close()
			return nil, err
		}
	}
	if cfg.Web.Listen != "" {
		if a.portal, err = a.setupPortal(ctx); err != nil {
			a.store.Close()
			return nil, err
		}
		if err := a.setupWeb(ctx); err != nil {
			a.store.Close()
			return nil, err
		}
	}
	if a.dns != nil {
		// Start-up leaves scratch behind (the lists' parse, the portal's
		// set-up: about 26 MB in a run with 1M listed names): return it to
		// the OS now instead of keeping the peak for minutes.
		debug.FreeOSMemory()
		a.setMemoryLimit()
	}
	return a, nil
}

// setMemoryLimit applies dns.memory_limit_mb, or when it is 0 a limit
// derived from what start-up left live: that, plus the cache's byte
// budget, plus 24 MiB for traffic (a list reload goes above it for a few
// seconds: the limit is soft), so that the heap
// does not grow to twice what is live (Go's default) on a small machine.
func (a *App) setMemoryLimit() {
	limit := int64(a.cfg.DNS.MemoryLimitMB) << 20
	if limit == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		limit = int64(ms.HeapAlloc) + a.cacheBytes() + 24<<20
	}
	debug.SetMemoryLimit(limit)
	a.log.Info("memory limit", "mb", limit>>20)
}

// cacheBytes is the DNS cache's byte budget as the resolver applies it.
func (a *App) cacheBytes() int64 {
	if a.cfg.DNS.CacheMB > 0 {
		return int64(a.cfg.DNS.CacheMB) << 20
	}
	return upstream.DefaultCacheBytes
}

// customCategories lists the categories the lists name beyond the built-in
// ones, so the filter registry knows them.
func customCategories(lists []config.List) []string {
	builtin := map[string]bool{"adult": true, "gambling": true, "scam": true, "malware": true, "bypass": true}
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		if !builtin[l.Category] && !seen[l.Category] {
			seen[l.Category] = true
			out = append(out, l.Category)
		}
	}
	return out
}

// ProfileSpecs converts configured profiles for filter.Compile.
func ProfileSpecs(cfg *config.Config) []filter.ProfileSpec {
	var out []filter.ProfileSpec
	for _, p := range cfg.Profiles {
		spec := filter.ProfileSpec{Name: p.Name, Age: p.Age, Block: p.Block, Allow: p.Allow, SafeSearch: p.SafeSearch,
			Clients: p.Clients, TimeZone: p.TimeZone, BlockMode: cfg.DNS.BlockMode, Retention: p.Retention}
		for _, s := range p.Schedules {
			spec.Schedules = append(spec.Schedules, filter.ScheduleSpec{Name: s.Name, Days: s.Days, From: s.From, To: s.To, Block: s.Block, AllowOnly: s.AllowOnly})
		}
		out = append(out, spec)
	}
	return out
}

// NewFilter builds the registry, compiles the profiles and prepares the list
// loader (without loading); the CLI's lists command uses it too.
func NewFilter(cfg *config.Config, log *slog.Logger, onSwap func(*filter.Matcher, []filter.SourceStatus)) (*filter.Registry, *filter.Policy, *filter.Loader, error) {
	reg, err := filter.NewRegistry(customCategories(cfg.Lists)...)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("categories: %w", err)
	}
	pol, err := filter.Compile(reg, ProfileSpecs(cfg), cfg.DNS.DefaultProfile)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("profiles: %w", err)
	}
	var sources []filter.Source
	for _, l := range cfg.Lists {
		sources = append(sources, filter.Source{Category: l.Category, Location: l.Source, Refresh: l.Refresh})
	}
	loader, err := filter.NewLoader(filter.LoaderConfig{Sources: sources, Registry: reg, Logger: log, OnSwap: onSwap})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("lists: %w", err)
	}
	return reg, pol, loader, nil
}

func (a *App) setupDNS(ctx context.Context) error {
	cfg := a.cfg
	var err error
	a.resolver, err = upstream.New(upstream.Config{
		Upstreams: cfg.DNS.Upstreams, Timeout: cfg.DNS.Timeout, CacheSize: cfg.DNS.CacheSize, CacheBytes: int64(cfg.DNS.CacheMB) << 20,
		MaxStale: cfg.DNS.ServeStale, Prefetch: cfg.DNS.Prefetch, KeepECS: cfg.DNS.KeepECS, Logger: a.log,
		StaleAfter: cfg.DNS.StaleAnswerAfter, DownAfter: cfg.DNS.UpstreamDownAfter, HealthInterval: cfg.DNS.UpstreamProbeEvery,
	})
	if err != nil {
		return fmt.Errorf("upstreams: %w", err)
	}
	retention := map[string]time.Duration{}
	for _, p := range cfg.Profiles {
		retention[p.Name] = p.Retention
	}
	a.recorder, err = querylog.New(querylog.Config{Store: a.store, QueueSize: cfg.DNS.EventQueue, Retention: retention, Logger: a.log})
	if err != nil {
		return err
	}
	var nets []netip.Prefix
	for _, n := range cfg.DNS.AllowNets {
		if p, err := netip.ParsePrefix(n); err == nil {
			nets = append(nets, p)
		} else if ad, err := netip.ParseAddr(n); err == nil {
			nets = append(nets, netip.PrefixFrom(ad, ad.BitLen()))
		}
	}
	var dnsSrv *dnsserver.Server
	reg, pol, loader, err := NewFilter(cfg, a.log, func(m *filter.Matcher, _ []filter.SourceStatus) {
		if dnsSrv != nil {
			dnsSrv.SetMatcher(m)
			// The old matcher and the parse's scratch are garbage now: give
			// their pages back at once rather than when the scavenger gets
			// to them, so that a reload does not leave the process at its
			// peak size.
			debug.FreeOSMemory()
		}
	})
	if err != nil {
		return err
	}
	a.registry, a.loader = reg, loader
	blockV4, blockV6 := blockPageAddrs(cfg.DNS.BlockPageIPv4, cfg.DNS.BlockPageIPv6)
	dnsSrv, err = dnsserver.New(dnsserver.Config{
		Listen: cfg.DNS.Listen, Resolver: a.resolver, Registry: reg, Recorder: a.recorder, AllowNets: nets,
		RateLimit: cfg.DNS.RateLimit, RateBurst: cfg.DNS.RateBurst, NXDomainBlocks: cfg.DNS.BlockMode == "nxdomain",
		TLSListen: cfg.DNS.TLSListen, HTTPSListen: cfg.DNS.HTTPSListen, CertFile: cfg.DNS.CertFile, KeyFile: cfg.DNS.KeyFile,
		ProfileDomain: cfg.DNS.ProfileDomain, Usage: a.store, BlockPageIPv4: blockV4, BlockPageIPv6: blockV6,
		MaxTCPConns: cfg.DNS.MaxTCPConns, MaxTLSConns: cfg.DNS.MaxTLSConns, MaxConnsPerClient: cfg.DNS.MaxConnsPerClient,
		ErrorRate: cfg.DNS.ErrorRateLimit, ErrorBurst: cfg.DNS.ErrorRateBurst,
		Logger: a.log, Now: a.now,
	})
	if err != nil {
		return err
	}
	a.dns = dnsSrv
	dnsSrv.SetPolicy(pol)
	if err := a.startPolicy(ctx, reg, dnsSrv); err != nil {
		return err
	}
	if err := loader.Load(ctx); err != nil {
		return fmt.Errorf("loading block lists: %w", err)
	}
	dnsSrv.SetMatcher(loader.Current())
	a.registerDNSMetrics()
	return nil
}

func (a *App) registerDNSMetrics() {
	st := &a.dns.Stats
	counter := func(name, help string, v func() float64) {
		a.metrics.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, v))
	}
	load := func(u interface{ Load() uint64 }) func() float64 { return func() float64 { return float64(u.Load()) } }
	counter("manglanh_dns_queries_total", "DNS queries received.", load(&st.Queries))
	counter("manglanh_dns_cache_hits_total", "Queries answered from the cache on the hot path.", load(&st.CacheHits))
	counter("manglanh_dns_forwarded_total", "Queries sent to the slow path (cache misses).", load(&st.Forwarded))
	counter("manglanh_dns_blocked_total", "Queries blocked by a list, service, schedule or canary.", load(&st.Blocked))
	counter("manglanh_dns_safesearch_total", "Queries rewritten to a safe-search address.", load(&st.Rewritten))
	counter("manglanh_dns_refused_total", "Queries refused: client outside the allowed networks.", load(&st.Refused))
	counter("manglanh_dns_rate_limited_total", "Queries dropped by the per-client rate limit.", load(&st.RateLimited))
	counter("manglanh_dns_malformed_total", "Malformed queries.", load(&st.Malformed))
	counter("manglanh_dns_servfail_total", "Queries answered SERVFAIL (no upstream, no stale answer).", load(&st.ServFail))
	counter("manglanh_dns_slow_path_dropped_total", "Cache misses dropped because too many were in flight.", load(&st.SlowPathDropped))
	counter("manglanh_dns_blocked_details_dropped_total", "Blocked queries counted only in the hourly aggregates: the window's table of details was full.", load(&st.DetailsDropped))
	counter("manglanh_dns_dot_queries_total", "Queries received over DNS-over-TLS (also in manglanh_dns_queries_total).", load(&st.DoTQueries))
	counter("manglanh_dns_doh_queries_total", "Queries received over DNS-over-HTTPS (also in manglanh_dns_queries_total).", load(&st.DoHQueries))
	counter("manglanh_dns_tls_handshake_failed_total", "DNS-over-TLS connections whose TLS handshake failed.", load(&st.TLSHandshakeFailed))
	counter("manglanh_dns_cert_reload_failed_total", "Changed certificate files that could not be loaded (the old certificate stays).", load(&st.CertReloadFailed))
	counter("manglanh_dns_truncated_total", "UDP answers sent truncated (TC) so the client retries over TCP.", load(&st.Truncated))
	counter("manglanh_dns_tcp_rejected_total", "DNS-over-TCP connections reset at accept: a connection limit was reached, or the client is outside dns.allow_nets.", load(&st.TCPRejected))
	counter("manglanh_dns_dot_rejected_total", "DNS-over-TLS connections reset at accept: a connection limit was reached.", load(&st.DoTRejected))
	counter("manglanh_dns_doh_rejected_total", "DNS-over-HTTPS connections reset at accept: a connection limit was reached.", load(&st.DoHRejected))
	counter("manglanh_dns_conns_client_limited_total", "Stream connections reset at accept because their client network held dns.max_conns_per_client (also in the rejected totals).", load(&st.ConnsClientLimited))
	counter("manglanh_dns_tcp_not_allowed_total", "Plain TCP connections reset at accept: client outside dns.allow_nets (also in manglanh_dns_tcp_rejected_total).", load(&st.TCPNotAllowed))
	counter("manglanh_dns_errors_dropped_total", "REFUSED, FORMERR and NOTIMP answers not sent over UDP: the client network was over dns.error_rate_limit.", load(&st.ErrorsDropped))
	counter("manglanh_dns_pressure_closed_total", "Idle stream connections closed early because their transport was more than three quarters full.", load(&st.PressureClosed))
	counter("manglanh_dns_stale_served_total", "Stale answers sent (RFC 8767): every upstream failed or was down, or none answered within dns.stale_answer_after.", func() float64 { return float64(a.resolver.Stats().StaleServed) })
	counter("manglanh_dns_all_upstreams_down_total", "Queries answered at once (stale or SERVFAIL) because every upstream was marked down.", func() float64 { return float64(a.resolver.Stats().AllDown) })
	counter("manglanh_dns_events_dropped_total", "Query events dropped because the queue was full.", func() float64 { return float64(a.recorder.Dropped()) })
	a.metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "manglanh_dns_event_queue_length", Help: "Query events waiting to be written."},
		func() float64 { return float64(a.recorder.QueueLen()) }))
	a.metrics.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "manglanh_filter_domains", Help: "Names in the active block-list matcher."},
		func() float64 { return float64(a.loader.Current().Len()) }))
}

func (a *App) setupWeb(ctx context.Context) error {
	cfg := a.cfg
	secure := false
	if cfg.Web.SecureCookies != nil {
		secure = *cfg.Web.SecureCookies
	} else if len(cfg.Web.BaseURL) > 8 && cfg.Web.BaseURL[:8] == "https://" {
		secure = true
	}
	health := []web.HealthCheck{{Name: "database", Check: a.store.Ping}}
	if a.resolver != nil {
		health = append(health, web.HealthCheck{Name: "upstreams", Check: func(context.Context) error {
			for _, h := range a.resolver.Health() {
				if h.Healthy {
					return nil
				}
			}
			return errors.New("no healthy upstream")
		}})
	}
	posters, err := sources.NewService(sources.Config{Store: a.store, Audit: a.portal.audit, BaseURL: cfg.Web.BaseURL})
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{
		Logger: a.log, Registry: a.metrics, Health: health,
		Ward:    web.Ward{Name: cfg.Ward.Name, City: cfg.Ward.City, Hotline: cfg.Ward.Hotline, Police: cfg.Ward.Police},
		BaseURL: cfg.Web.BaseURL, SecureCookies: secure, TrustProxy: cfg.Web.TrustProxy,
		DNSAddress: cfg.DNS.Listen, Location: cfg.Location(), DoTListen: cfg.DNS.TLSListen, DoHListen: cfg.DNS.HTTPSListen, Sealer: a.portal.sealer,
		ProfileDomain: profileDomain(cfg),
		Auth:          a.portal.auth,
		Cases:         a.portal.cases, Evidence: a.portal.caseData, Sources: a.store, Posters: posters, Risk: a.portal.risk,
		Screenshots:    ocr.New(ocr.Options{}),
		SkillsSessions: a.skillsService(cfg),
		Alerts:         a.portal.alerts, CheckAlerts: a.cfg.Alerts.PublicChecks, Notices: a.store,
		ReportLimits: web.ReportLimits{SubmitBurst: cfg.Web.ReportBurst, SubmitEvery: cfg.Web.ReportEvery},
		Families:     a.portal.families, Categorizer: a.categorizer(), Program: a.portal.program,
	})
	if err != nil {
		return fmt.Errorf("web portal: %w", err)
	}
	a.web = &http.Server{
		Addr: cfg.Web.Listen, Handler: srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	return nil
}

// Listen opens the sockets, so that errors such as a port in use come before
// Run and tests can learn the ports.
func (a *App) Listen() error {
	if a.dns != nil {
		if err := a.dns.Listen(); err != nil {
			return err
		}
	}
	if a.web != nil {
		ln, err := net.Listen("tcp", a.web.Addr)
		if err != nil {
			return fmt.Errorf("listening on %s: %w", a.web.Addr, err)
		}
		a.webLn = ln
	}
	return nil
}

// DNSAddr is the DNS server's address after Listen (nil without DNS).
func (a *App) DNSAddr() net.Addr {
	if a.dns == nil {
		return nil
	}
	return a.dns.Addr()
}

// EncryptedDNSAddrs are the DNS-over-TLS and DNS-over-HTTPS addresses
// after Listen (nil when off).
func (a *App) EncryptedDNSAddrs() (dot, doh net.Addr) {
	if a.dns == nil {
		return nil, nil
	}
	return a.dns.TLSAddr(), a.dns.HTTPSAddr()
}

// WebAddr is the portal's address after Listen (nil without web).
func (a *App) WebAddr() net.Addr {
	if a.webLn == nil {
		return nil
	}
	return a.webLn.Addr()
}

// Run serves until ctx ends, then shuts down: the web server stops taking
// requests and finishes those in flight, the DNS server stops, the query
// events it queued are written, and the database is closed last, so nothing
// acknowledged is left half-written.
func (a *App) Run(ctx context.Context) error {
	if (a.dns != nil && a.dns.Addr() == nil) || (a.web != nil && a.webLn == nil) {
		if err := a.Listen(); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 4)
	var bg sync.WaitGroup    // helpers that stop with ctx
	var recWG sync.WaitGroup // the event writer stops after DNS
	recCtx, recCancel := context.WithCancel(context.Background())
	defer recCancel()
	if a.dns != nil {
		recWG.Add(1)
		go func() { defer recWG.Done(); a.recorder.Run(recCtx) }()
		bg.Add(4)
		go func() { defer bg.Done(); a.policy.Run(ctx) }()
		go func() { defer bg.Done(); a.loader.Run(ctx) }()
		go func() { defer bg.Done(); a.resolver.Run(ctx) }()
		go func() {
			defer bg.Done()
			if err := a.dns.Serve(ctx); err != nil {
				errc <- fmt.Errorf("dns: %w", err)
			}
		}()
	}
	if a.portal != nil {
		bg.Add(3)
		go func() { defer bg.Done(); a.runPortalJobs(ctx) }()
		go func() { defer bg.Done(); a.runAlertJobs(ctx) }()
		go func() { defer bg.Done(); a.runWeeklySummaries(ctx) }()
	}
	if a.web != nil {
		a.log.InfoContext(ctx, "web listening", "addr", a.webLn.Addr().String())
		go func() {
			if err := a.web.Serve(a.webLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("web: %w", err)
			}
		}()
	}
	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
		a.log.ErrorContext(ctx, "stopping after an error", "err", runErr)
	}
	a.log.Info("shutting down")
	cancel()
	if a.web != nil {
		sctx, scancel := context.WithTimeout(context.Background(), 15*time.Second)
		if err := a.web.Shutdown(sctx); err != nil {
			a.log.Warn("web shutdown", "err", err)
		}
		scancel()
	}
	bg.Wait()
	if a.resolver != nil {
		a.resolver.Close()
	}
	recCancel()
	recWG.Wait()
	if a.portal != nil && a.portal.mailer != nil {
		a.portal.mailer.Close() // after the jobs: their last mail is queued
	}
	if err := a.store.Close(); err != nil {
		a.log.Warn("closing the database", "err", err)
	}
	a.log.Info("stopped")
	return runErr
}

// ReloadLists re-reads every block list now (SIGHUP), keeping the last good
// copy of any that fails, and returns how many failed.
func (a *App) ReloadLists(ctx context.Context) int {
	if a.loader == nil {
		return 0
	}
	idx := make([]int, len(a.cfg.Lists))
	for i := range idx {
		idx[i] = i
	}
	return a.loader.Refresh(ctx, idx...)
}

// Close releases what New opened, for an App that is not Run.
func (a *App) Close() error { return a.store.Close() }

// profileDomain is the encrypted-DNS domain to show parents, or "" when
// neither DoT nor DoH is on.
func profileDomain(cfg *config.Config) string {
	if cfg.DNS.TLSListen == "" && cfg.DNS.HTTPSListen == "" {
		return ""
	}
	return cfg.DNS.ProfileDomain
}

// ReloadCertificate re-reads the DoT/DoH certificate (SIGHUP); nil when
// encrypted DNS is off.
func (a *App) ReloadCertificate() error {
	if a.dns == nil || (a.cfg.DNS.TLSListen == "" && a.cfg.DNS.HTTPSListen == "") {
		return nil
	}
	return a.dns.ReloadCertificate()
}

// skillsService runs the digital-skills class sessions; an ended session
// is recorded through the programme service when the portal has one.
func (a *App) skillsService(cfg *config.Config) *skills.Service {
	svc := &skills.Service{Store: a.store, Location: cfg.Location()}
	if a.portal.program != nil {
		svc.Program = a.portal.program
	}
	return svc
}
