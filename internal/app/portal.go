package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/audit"
	"manglanh/internal/audit/caseaudit"
	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/family"
	"manglanh/internal/filter"
	"manglanh/internal/notify"
	"manglanh/internal/program"
	"manglanh/internal/risk"
	"manglanh/internal/secret"
	"manglanh/internal/store"
)

// portal holds the services behind the web portal.
type portal struct {
	sealer   *secret.Sealer
	audit    *audit.Log
	auth     *auth.Service
	cases    *cases.Service
	caseData *store.CaseStore
	risk     *risk.Engine
	calendar *cases.Calendar
	// alerts raises and delivers early-warning alerts.
	alerts *alert.Service
	// mailer is the e-mail queue of notices and alerts (nil without smtp.host).
	mailer *notify.Mailer
	// families is parent accounts and child profiles (families.go).
	families *family.Service
	// program is activities, shops, figures and the report (program.go).
	program *program.Service
}

// KeyPath is where the AES-256 key for sensitive fields lives:
// cases.key_file, or secret.key in the data directory.
func KeyPath(cfg *config.Config) string {
	if cfg.Cases.KeyFile != "" {
		return cfg.Cases.KeyFile
	}
	return filepath.Join(cfg.DataDir, "secret.key")
}

func (a *App) setupPortal(ctx context.Context) (*portal, error) {
	cfg := a.cfg
	p := &portal{}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	var err error
	p.sealer, err = secret.LoadOrCreateKey(KeyPath(cfg))
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	p.audit, err = audit.New(audit.Config{Store: a.store, Logger: a.log})
	if err != nil {
		return nil, err
	}
	p.auth, err = auth.NewService(auth.Config{Store: a.store, Throttle: a.store, Audit: p.audit, Sealer: p.sealer, Logger: a.log,
		Issuer: "Mạng Lành " + cfg.Ward.Name})
	if err != nil {
		return nil, err
	}
	holidays := cases.DefaultHolidays()
	if cfg.Ward.HolidayFile != "" {
		f, err := os.Open(cfg.Ward.HolidayFile)
		if err != nil {
			return nil, fmt.Errorf("holiday file: %w", err)
		}
		holidays, err = cases.ParseHolidays(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("holiday file %s: %w", cfg.Ward.HolidayFile, err)
		}
	}
	p.calendar = cases.NewCalendar(cfg.Location(), holidays)
	p.caseData, err = a.store.Cases(p.sealer, filepath.Join(cfg.DataDir, "uploads"))
	if err != nil {
		return nil, err
	}
	if p.mailer, err = a.newMailer(); err != nil {
		return nil, err
	}
	notifier, err := a.newNotifier(p)
	if err != nil {
		return nil, err
	}
	if p.alerts, err = a.newAlerts(p); err != nil {
		return nil, err
	}
	notifier = alertTap{next: notifier, alerts: p.alerts}
	p.cases, err = cases.NewService(cases.Config{Store: p.caseData, Calendar: p.calendar, Notifier: notifier,
		Audit: caseaudit.Auditor{Log: p.audit}, Logger: a.log})
	if err != nil {
		return nil, err
	}
	var domains risk.DomainChecker
	if a.loader != nil {
		domains = NewListChecker(a.registry, a.loader)
	}
	if p.risk, err = NewRiskEngine(cfg, domains); err != nil {
		return nil, err
	}
	if p.families, err = a.newFamilies(p); err != nil {
		return nil, fmt.Errorf("families: %w", err)
	}
	if p.program, err = a.newProgram(p); err != nil {
		return nil, fmt.Errorf("programme: %w", err)
	}
	a.configNetworks(p) // school_coverage.go
	return p, nil
}

// listChecker lets the risk engine ask the DNS filter's lists about a
// linked host: the same matcher, so a link and a lookup agree.
type listChecker struct {
	loader *filter.Loader
	reg    *filter.Registry
}

func (c listChecker) Check(host string) (string, bool) {
	tags := c.loader.Current().Lookup(host)
	for _, name := range c.reg.Names(tags) {
		if t, ok := c.reg.Tag(name); ok && c.reg.Info(t).Kind == filter.KindCategory {
			return name, true
		}
	}
	return "", false
}

// runPortalJobs checks case deadlines every few minutes, purges closed
// cases past their retention and expired sessions, until ctx ends.
func (a *App) runPortalJobs(ctx context.Context) {
	if a.portal == nil {
		return
	}
	tick := time.NewTicker(2 * time.Minute)
	defer tick.Stop()
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	check := func() {
		if _, err := a.portal.cases.CheckDeadlines(ctx, time.Now()); err != nil {
			a.log.ErrorContext(ctx, "checking case deadlines", "err", err)
		}
	}
	check()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			check()
			a.recordCoverage(ctx) // school_coverage.go
		case <-hourly.C:
			if _, err := a.portal.auth.PurgeSessions(ctx); err != nil {
				a.log.ErrorContext(ctx, "purging sessions", "err", err)
			}
			a.purgeParentSessions(ctx)
			if a.cfg.Cases.Retention > 0 {
				if n, err := a.portal.cases.Purge(ctx, time.Now(), a.cfg.Cases.Retention); err != nil {
					a.log.ErrorContext(ctx, "purging closed cases", "err", err)
				} else if n > 0 {
					a.log.InfoContext(ctx, "closed cases deleted after retention", "cases", n)
				}
			}
		}
	}
}
