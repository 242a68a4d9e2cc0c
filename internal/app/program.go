package app

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
	"manglanh/internal/config"
	"manglanh/internal/program"
)

// programSchools lists the directory's active schools for the programme.
type programSchools struct{ a *App }

func (s programSchools) Schools(ctx context.Context) ([]program.School, error) {
	orgs, err := s.a.store.Organisations(ctx)
	if err != nil {
		return nil, err
	}
	var out []program.School
	for _, o := range orgs {
		if o.Kind == cases.AgencySchool && o.Active {
			out = append(out, program.School{ID: o.ID, Name: o.Name})
		}
	}
	return out, nil
}

// newProgram builds the programme service: activities, shops, indicators,
// figures and the periodic report. The figure sources are the stores'
// methods where they exist.
func (a *App) newProgram(p *portal) (*program.Service, error) {
	o := program.Options{
		Store: a.store, Calendar: p.calendar, Location: a.cfg.Location(),
		Schools: programSchools{a},
		Ward:    program.TenantRef{Name: a.cfg.Ward.Name},
		FiguresKey: func() (ed25519.PrivateKey, error) {
			return program.LoadOrCreateSigningKey(FiguresKeyPath(a.cfg))
		},
		Audit: func(ctx context.Context, ac program.Actor, action, kind string, id int64, detail string) {
			if err := p.audit.RecordAction(ctx, audit.Actor{ID: ac.UserID, Name: ac.Name, Role: ac.Role},
				action, kind, strconv.FormatInt(id, 10), detail); err != nil {
				a.log.ErrorContext(ctx, "auditing a programme action", "action", action, "err", err)
			}
		},
	}
	acts, err := a.store.Activities(p.sealer)
	if err != nil {
		return nil, err
	}
	o.Activities = acts
	if cs, ok := any(p.caseData).(program.CaseSource); ok {
		o.Cases = cs
	}
	o.DNS = a.store.ProgramDNS()
	if al, ok := any(a.store).(program.AlertSource); ok {
		o.Alerts = al
	}
	svc, err := program.New(o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.EnsureWardName(ctx, a.cfg.Ward.Name); err != nil {
		return nil, fmt.Errorf("naming the deployment's ward: %w", err)
	}
	return svc, nil
}

// FiguresKeyPath is where the ward's figure-signing key lives:
// figures.key_file, or figures.key in the data directory.
func FiguresKeyPath(cfg *config.Config) string {
	if cfg.Figures.KeyFile != "" {
		return cfg.Figures.KeyFile
	}
	return filepath.Join(cfg.DataDir, "figures.key")
}
