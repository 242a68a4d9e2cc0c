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
	return err
}
