package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"manglanh/internal/family"
	"manglanh/internal/filter"
)

// PolicySource gives the profiles made in the portal and a version that
// changes whenever any of them does.
type PolicySource interface {
	PolicySpecs(ctx context.Context) ([]filter.ProfileSpec, error)
	PolicyVersion(ctx context.Context) (int64, error)
}

// familyStore is what familySource reads: internal/store on both engines.
type familyStore interface {
	PolicyProfiles(ctx context.Context) ([]family.Profile, []family.Device, error)
	PolicyVersion(ctx context.Context) (int64, error)
}

// familySource compiles the family tables into specs (family.Specs).
type familySource struct {
	st  familyStore
	now func() time.Time
}

func (f familySource) PolicySpecs(ctx context.Context) ([]filter.ProfileSpec, error) {
	profiles, devices, err := f.st.PolicyProfiles(ctx)
	if err != nil {
		return nil, err
	}
	return family.Specs(profiles, devices, f.now()), nil
}

func (f familySource) PolicyVersion(ctx context.Context) (int64, error) {
	return f.st.PolicyVersion(ctx)
}

// PolicyWatcherConfig configures a PolicyWatcher.
type PolicyWatcherConfig struct {
	Registry *filter.Registry
	// Seed are the YAML profiles, first in the policy; DefaultProfile names
	// one of them ("" = the first).
	Seed           []filter.ProfileSpec
	DefaultProfile string
	Source         PolicySource // nil: the seed only
	// Usage is shared by every policy compiled, so budgets and devices
	// keep their counts across reloads; nil = a new one.
	Usage *filter.Usage
	// Set publishes a compiled policy (dnsserver.Server.SetPolicy).
	Set func(*filter.Policy)
	// Poll is how often the version is read (SQLite: 1 s; PostgreSQL with
	// LISTEN: a slow safety net, 30 s). Default 1 s.
	Poll time.Duration
	// Rebuild recompiles even when the version did not move (ages change
	// with the year, ended temporary allows leave the policy); default 1 h.
	Rebuild time.Duration
	// ListenDSN, when set, is a PostgreSQL URL: the watcher LISTENs on
	// manglanh_policy on a dedicated connection (reconnecting) and reloads
	// on each notification.
	ListenDSN string
	// Housekeeping, if set, runs with every hourly rebuild (the app purges
	// old budget minutes with it).
	Housekeeping func(ctx context.Context)
	Logger       *slog.Logger
	Now          func() time.Time
}

// PolicyWatcher keeps the DNS policy in step with the database: when the
// version changes it reads the profiles, compiles them with the seed off
// the hot path and publishes the result; a policy that does not compile is
// logged and counted, and the old one stays.
type PolicyWatcher struct {
	cfg     PolicyWatcherConfig
	log     *slog.Logger
	mu      sync.Mutex // one reload at a time
	version int64
	built   time.Time
	kick    chan struct{}

	// Reloads counts policies published, Failures the reloads that kept
	// the old policy (a read or compile error), Notifications the
	// PostgreSQL notifications received.
	Reloads, Failures, Notifications atomic.Uint64
	// LastError is the last reload's error text ("" after a success).
	lastErr atomic.Pointer[string]
}

// policySafetyPoll is how often a PostgreSQL watcher reads the version
// besides LISTEN (a notification lost with its connection).
const policySafetyPoll = 30 * time.Second

// PolicyChannel is the PostgreSQL NOTIFY channel of policy changes.
const PolicyChannel = "manglanh_policy"

// NewPolicyWatcher validates cfg.
func NewPolicyWatcher(cfg PolicyWatcherConfig) (*PolicyWatcher, error) {
	if cfg.Registry == nil || cfg.Set == nil {
		return nil, errors.New("policy watcher: registry and Set are required")
	}
	if cfg.Usage == nil {
		cfg.Usage = filter.NewUsage()
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Rebuild <= 0 {
		cfg.Rebuild = time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &PolicyWatcher{cfg: cfg, log: cfg.Logger, version: -1, kick: make(chan struct{}, 1)}, nil
}

// LastError returns the error of the last reload, "" if it succeeded.
func (w *PolicyWatcher) LastError() string {
	if p := w.lastErr.Load(); p != nil {
		return *p
	}
	return ""
}

// Reload reads the version and, when it changed (or force), the profiles,
// compiles and publishes them. On an error the published policy stays.
func (w *PolicyWatcher) Reload(ctx context.Context, force bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var version int64 = 0
	if w.cfg.Source != nil {
		v, err := w.cfg.Source.PolicyVersion(ctx)
		if err != nil {
			return w.fail(ctx, fmt.Errorf("reading the policy version: %w", err))
		}
		version = v
	}
	if !force && version == w.version {
		return nil
	}
	// The version is read before the profiles: a change while they are
	// read moves it again, and the next poll reloads.
	specs := w.cfg.Seed
	if w.cfg.Source != nil {
		db, err := w.cfg.Source.PolicySpecs(ctx)
		if err != nil {
			return w.fail(ctx, fmt.Errorf("reading the portal's profiles: %w", err))
		}
		specs = append(append(make([]filter.ProfileSpec, 0, len(w.cfg.Seed)+len(db)), w.cfg.Seed...), db...)
	}
	now := w.cfg.Now()
	started := time.Now()
	pol, err := filter.CompileUsage(w.cfg.Registry, specs, w.cfg.DefaultProfile, w.cfg.Usage, now)
	if err != nil {
		return w.fail(ctx, fmt.Errorf("compiling policy version %d: %w", version, err))
	}
	w.cfg.Set(pol)
	w.version, w.built = version, now
	w.Reloads.Add(1)
	empty := ""
	w.lastErr.Store(&empty)
	w.log.InfoContext(ctx, "policy loaded", "version", version, "profiles", len(specs), "compile", time.Since(started).Round(time.Millisecond))
	return nil
}

func (w *PolicyWatcher) fail(ctx context.Context, err error) error {
	w.Failures.Add(1)
	msg := err.Error()
	w.lastErr.Store(&msg)
	w.log.ErrorContext(ctx, "policy not reloaded: the previous one stays", "err", err)
	return err
}

// Run polls (and listens on PostgreSQL) until ctx ends.
func (w *PolicyWatcher) Run(ctx context.Context) {
	if w.cfg.Source == nil {
		return
	}
	if w.cfg.ListenDSN != "" {
		go w.listen(ctx)
	}
	t := time.NewTicker(w.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kick:
		}
		force := w.cfg.Now().Sub(w.built) >= w.cfg.Rebuild
		w.Reload(ctx, force) // errors are logged and counted
		if force && w.cfg.Housekeeping != nil {
			w.cfg.Housekeeping(ctx)
		}
	}
}

func (w *PolicyWatcher) poke() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// listen holds a dedicated connection LISTENing on PolicyChannel and pokes
// the watcher on every notification and after every (re)connection (a
// notification may have been missed while it was down).
func (w *PolicyWatcher) listen(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := w.listenOnce(ctx, func() { backoff = time.Second })
		if ctx.Err() != nil {
			return
		}
		w.log.WarnContext(ctx, "policy notifications lost, reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

func (w *PolicyWatcher) listenOnce(ctx context.Context, connected func()) error {
	conn, err := pgx.Connect(ctx, w.cfg.ListenDSN)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+PolicyChannel); err != nil {
		return err
	}
	connected()
	w.poke()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		w.Notifications.Add(1)
		w.poke()
	}
}
