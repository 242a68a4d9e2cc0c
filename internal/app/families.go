package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/family"
	"manglanh/internal/filter"
	"manglanh/internal/notify"
)

// familyHasher is auth's argon2id at its default cost.
type familyHasher struct{}

func (familyHasher) Hash(p string) (string, error) {
	return auth.HashPassword(p, auth.DefaultHashParams)
}
func (familyHasher) Verify(p, h string) (bool, error) {
	return auth.VerifyPassword(p, h)
}

// familyMailer puts the family service's e-mails (reset links) on the
// portal's queue.
type familyMailer struct{ m *notify.Mailer }

func (f familyMailer) Send(_ context.Context, to, subject, body string) error {
	if !f.m.Enqueue(notify.Message{To: to, Subject: subject, Body: body, Date: time.Now()}) {
		return fmt.Errorf("e-mail queue full")
	}
	return nil
}

// newFamilies builds the parent accounts and profiles service.
func (a *App) newFamilies(p *portal) (*family.Service, error) {
	cfg := a.cfg
	reg := a.registry
	if reg == nil {
		var err error
		if reg, err = filter.NewRegistry(customCategories(cfg.Lists)...); err != nil {
			return nil, err
		}
	}
	var reserved []string
	for _, pr := range cfg.Profiles {
		reserved = append(reserved, pr.Name)
	}
	fc := family.Config{Store: a.store, Throttle: a.store, Approval: cfg.Families.Approval, ProfileDomain: profileDomain(cfg),
		Reserved: reserved, Registry: reg, Hasher: familyHasher{}, PortalURL: cfg.Web.BaseURL, Logger: a.log,
		Schools: func(ctx context.Context) ([]family.School, error) {
			orgs, err := a.store.Organisations(ctx)
			if err != nil {
				return nil, err
			}
			var out []family.School
			for _, o := range orgs {
				if o.Kind == cases.AgencySchool && o.Active {
					out = append(out, family.School{ID: o.ID, Name: o.Name})
				}
			}
			return out, nil
		},
		Audit: func(ctx context.Context, actor, action string, id int64, detail string) {
			if err := p.audit.RecordAction(ctx, audit.Actor{Name: actor, Role: "family"}, action, "family",
				strconv.FormatInt(id, 10), detail); err != nil {
				a.log.ErrorContext(ctx, "auditing a family action", "action", action, "err", err)
			}
		},
	}
	if p.mailer != nil {
		fc.Mailer = familyMailer{m: p.mailer}
	}
	return family.New(fc)
}

// purgeParentSessions deletes expired parent sessions and reset links.
func (a *App) purgeParentSessions(ctx context.Context) {
	now := time.Now()
	if _, err := a.store.PurgeParentSessions(ctx, now.Add(-family.SessionIdle), now.Add(-family.SessionAbsolute), now); err != nil {
		a.log.ErrorContext(ctx, "purging parent sessions", "err", err)
	}
}
