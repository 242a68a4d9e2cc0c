package app

import (
	"context"
	"strconv"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
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
		Audit: func(ctx context.Context, ac program.Actor, action, kind string, id int64, detail string) {
			if err := p.audit.RecordAction(ctx, audit.Actor{ID: ac.UserID, Name: ac.Name, Role: ac.Role},
				action, kind, strconv.FormatInt(id, 10), detail); err != nil {
				a.log.ErrorContext(ctx, "auditing a programme action", "action", action, "err", err)
			}
		},
	}
	if cs, ok := any(p.caseData).(program.CaseSource); ok {
		o.Cases = cs
	}
	o.DNS = a.store.ProgramDNS()
	if al, ok := any(a.store).(program.AlertSource); ok {
		o.Alerts = al
	}
	return program.New(o)
}
