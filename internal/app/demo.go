package app

import (
	"context"
	"time"

	"manglanh/internal/demo"
)

// SeedDemo adds the demo directory of organisations (serve --demo) when
// the directory is empty.
func (a *App) SeedDemo(ctx context.Context) error {
	n, err := demo.SeedDirectory(ctx, a.store, time.Now())
	if n > 0 {
		a.log.InfoContext(ctx, "demo directory of organisations added", "organisations", n)
	}
	if err != nil {
		return err
	}
	// The demo programme (activities, enrolment, shops) is an example, not
	// data the ward needs: a failure is logged and the demo still starts.
	if a.portal != nil && a.portal.program != nil {
		m, err := demo.SeedProgram(ctx, a.portal.program, a.cfg.Location())
		if err != nil {
			a.log.WarnContext(ctx, "demo programme not added", "err", err)
		} else if m > 0 {
			a.log.InfoContext(ctx, "demo programme added", "activities", m)
		}
	}
	return nil
}
