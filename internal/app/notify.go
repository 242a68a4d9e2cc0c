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
	var mailer *notify.Mailer
	if cfg.SMTP.Host != "" {
		var err error
		mailer, err = notify.NewMailer(notify.MailerConfig{Logger: a.log, SMTP: notify.SMTPConfig{
			Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
			From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}})
		if err != nil {
			return nil, fmt.Errorf("e-mail: %w", err)
		}
		a.log.Info("e-mail notices enabled", "smtp", notify.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port,
			Username: cfg.SMTP.Username, TLS: cfg.SMTP.TLS, Password: cfg.SMTP.Password})
	}
	n, err := notify.New(notify.Config{Users: a.store, Notices: a.store, Mailer: mailer, BaseURL: cfg.Web.BaseURL,
		Location: cfg.Location(), WardName: cfg.Ward.Name, Logger: a.log})
	if err != nil {
		if mailer != nil {
			mailer.Close()
		}
		return nil, err
	}
	return n, nil
}
