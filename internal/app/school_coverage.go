package app

import "context"

// recordCoverage writes which devices the DNS server saw in which week, for
// the schools' and the ward's "devices covered" (family.RecordCoverage,
// docs/schools.md). Run every two minutes with the portal's jobs, so a
// device seen just before a week ends is still counted in that week unless
// it is seen again within those two minutes.
func (a *App) recordCoverage(ctx context.Context) {
	if a.portal == nil || a.portal.families == nil {
		return
	}
	if err := a.portal.families.RecordCoverage(ctx); err != nil {
		a.log.WarnContext(ctx, "recording devices covered", "err", err)
	}
}

// configNetworks gives the family service the clients of the
// configuration file's profiles, so that no school takes one of them.
func (a *App) configNetworks(p *portal) {
	nets := map[string][]string{}
	for _, pr := range a.cfg.Profiles {
		if len(pr.Clients) > 0 {
			nets[pr.Name] = pr.Clients
		}
	}
	p.families.SetConfigNetworks(nets)
}
