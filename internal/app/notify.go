package app

import (
	"fmt"

	"manglanh/internal/cases"
	"manglanh/internal/notify"
)

// newNotifier returns what delivers case events (new, urgent, due soon,
// overdue, escalation, referrals) to staff: an in-portal notice for each
// recipient, and an e-mail when smtp.host is set. E-mail goes through the
// mailer's bounded retry queue, so a slow relay never holds up a case.
func (a *App) newNotifier(p *portal) (cases.Notifier, error) {
	cfg := a.cfg
	return notify.New(notify.Config{Users: a.store, Notices: a.store, Mailer: p.mailer, BaseURL: cfg.Web.BaseURL,
		Location: cfg.Location(), WardName: cfg.Ward.Name, Logger: a.log})
}

// newMailer starts the one e-mail queue that case notices and alerts share,
// or returns nil when smtp.host is empty. Run closes it after the web server
// and the jobs have stopped, so queued mail gets its last chance to go.
func (a *App) newMailer() (*notify.Mailer, error) {
	cfg := a.cfg
	if cfg.SMTP.Host == "" {
		return nil, nil
	}
	smtp := notify.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
		Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}
	m, err := notify.NewMailer(notify.MailerConfig{Logger: a.log, SMTP: smtp})
	if err != nil {
		return nil, fmt.Errorf("e-mail: %w", err)
	}
	a.log.Info("e-mail enabled", "smtp", smtp)
	return m, nil
}
