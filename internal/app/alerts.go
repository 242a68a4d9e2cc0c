package app

import (
	"context"
	"fmt"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/notify"
)

// newAlerts builds the early-warning alert service: the default rules,
// bedtime windows and contacts from the profiles, e-mail through
// internal/notify's queued SMTP sender when smtp.host is set, and the
// signed webhook when alerts.webhook_url is.
func (a *App) newAlerts(p *portal) (*alert.Service, error) {
	cfg := a.cfg
	contacts := map[string][]string{}
	for _, p := range cfg.Profiles {
		if len(p.Contacts) > 0 {
			contacts[p.Name] = p.Contacts
		}
	}
	ac := alert.Config{Store: a.store, Bedtime: a.withFamilyBedtime(bedtimeWindows(cfg)), Contacts: contacts, BaseURL: cfg.Web.BaseURL,
		Location: cfg.Location(), Logger: a.log}
	if p.mailer != nil && len(contacts) > 0 {
		ac.Mailer = alertMailer{m: p.mailer}
	}
	var err error
	if ac.Parents, err = a.newParentAlerts(p); err != nil {
		return nil, err
	}
	if cfg.Alerts.WebhookURL != "" {
		ac.Webhook = &alert.Webhook{URL: cfg.Alerts.WebhookURL, Secret: []byte(cfg.Alerts.WebhookSecret)}
	}
	return alert.New(ac)
}

// bedtimeWindows says which schedules are bedtime: windows with allow_only
// (everything blocked but a few services). Unnamed schedules are named as
// the filter names them, "<profile>-<n>".
func bedtimeWindows(cfg *config.Config) func(profile, schedule string) bool {
	bed := map[[2]string]bool{}
	for _, p := range cfg.Profiles {
		for j, s := range p.Schedules {
			name := s.Name
			if name == "" {
				name = fmt.Sprintf("%s-%d", p.Name, j+1)
			}
			if len(s.AllowOnly) > 0 {
				bed[[2]string{p.Name, name}] = true
			}
		}
	}
	return func(profile, schedule string) bool { return bed[[2]string{profile, schedule}] }
}

// alertMailer queues one e-mail per recipient on the notify mailer, which
// retries with backoff; Send never waits for the relay.
type alertMailer struct{ m *notify.Mailer }

func (am alertMailer) Send(_ context.Context, to []string, subject, body string) error {
	for _, t := range to {
		if !am.m.Enqueue(notify.Message{To: t, Subject: subject, Body: body, Date: time.Now()}) {
			return fmt.Errorf("alert e-mail to %s not queued (queue full or bad address)", t)
		}
	}
	return nil
}

// alertTap passes case events on, and tells the alert rules about a new
// report the risk engine rated high or critical (unless the case is being
// opened from an alert).
type alertTap struct {
	next   cases.Notifier
	alerts *alert.Service
}

func (t alertTap) CaseEvent(ctx context.Context, e cases.Event) error {
	err := t.next.CaseEvent(ctx, e)
	if e.Kind == cases.EventNew && (e.RiskLevel == cases.LevelHigh || e.RiskLevel == cases.LevelCritical) && !alert.IsOpeningCase(ctx) {
		t.alerts.Message(ctx, alert.Message{Source: alert.SourceReport, Time: e.At, Category: e.Category,
			Level: e.RiskLevel, CaseID: e.CaseID})
	}
	return err
}

// runAlertJobs reads blocked DNS events from the store every minute, sends
// due digests and delivers alerts, until ctx ends. It reads what the query
// log already wrote: the DNS hot path is untouched.
func (a *App) runAlertJobs(ctx context.Context) {
	if a.portal == nil || a.portal.alerts == nil {
		return
	}
	a.portal.alerts.Run(ctx)
}
