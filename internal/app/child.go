package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/filter"
	"manglanh/internal/notify"
	"manglanh/internal/web"
)

// syncMailer sends one e-mail now through the notify mailer and returns
// the relay's answer, for the parent's alerts and the weekly summary,
// whose pages say whether a message went out.
type syncMailer struct{ m *notify.Mailer }

func (s syncMailer) SendNow(ctx context.Context, to, subject, body string) error {
	return s.m.SendNow(ctx, notify.Message{To: to, Subject: subject, Body: body, Date: time.Now()})
}

// newParentAlerts routes alerts raised on family profiles to the parent.
func (a *App) newParentAlerts(p *portal) (*alert.Parents, error) {
	pc := alert.ParentsConfig{Store: a.store, BaseURL: a.cfg.Web.BaseURL, Location: a.cfg.Location(), Logger: a.log}
	if p.mailer != nil {
		pc.Mailer = syncMailer{m: p.mailer}
	}
	return alert.NewParents(pc)
}

// runWeeklySummaries e-mails last week's summaries on Monday mornings
// (each profile's time zone), checking every 15 minutes, until ctx ends.
// Without smtp.host nothing is sent and nothing is claimed.
func (a *App) runWeeklySummaries(ctx context.Context) {
	if a.portal == nil || a.portal.families == nil || a.portal.mailer == nil {
		return
	}
	base := strings.TrimRight(a.cfg.Web.BaseURL, "/")
	link := func(id int64, week string) string {
		if base == "" {
			return ""
		}
		return fmt.Sprintf("%s/gia-dinh/tre/%d/tuan?tuan=%s", base, id, week)
	}
	tick := time.NewTicker(15 * time.Minute)
	defer tick.Stop()
	for {
		n, err := a.portal.families.SendWeekly(ctx, syncMailer{m: a.portal.mailer}, web.WeeklyMailText, link)
		if err != nil {
			a.log.ErrorContext(ctx, "sending weekly summaries", "err", err)
		} else if n > 0 {
			a.log.InfoContext(ctx, "weekly summaries sent", "emails", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// listCategorizer names the list categories and services of a host from
// the DNS filter's loaded matcher, for the child's "why blocked" page.
type listCategorizer struct {
	loader *filter.Loader
	reg    *filter.Registry
}

func (c listCategorizer) Categorize(host string) []string {
	return c.reg.Names(c.loader.Current().Lookup(host))
}

// categorizer is nil when no filter lists are loaded.
func (a *App) categorizer() web.Categorizer {
	if a.loader == nil || a.registry == nil {
		return nil
	}
	return listCategorizer{loader: a.loader, reg: a.registry}
}

// withFamilyBedtime extends the YAML profiles' bedtime windows with the
// portal profiles' (an allow_only schedule), read from the store when a
// blocked query names a schedule, so bedtime alerts reach parents too.
func (a *App) withFamilyBedtime(yaml func(profile, schedule string) bool) func(profile, schedule string) bool {
	return func(profile, schedule string) bool {
		if yaml(profile, schedule) {
			return true
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		bed, err := a.store.FamilyBedtime(ctx, profile, schedule)
		if err != nil {
			a.log.Warn("reading a family profile's bedtime", "profile", profile, "err", err)
			return false
		}
		return bed
	}
}
