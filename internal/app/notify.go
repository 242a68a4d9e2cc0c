package app

import (
	"context"

	"manglanh/internal/cases"
)

// newNotifier returns what delivers case events (new, urgent, due soon,
// overdue, escalation) to staff.
func (a *App) newNotifier(p *portal) (cases.Notifier, error) {
	return logNotifier{a: a}, nil
}

// logNotifier writes case events to the log; events carry no personal data.
type logNotifier struct{ a *App }

func (n logNotifier) CaseEvent(ctx context.Context, e cases.Event) error {
	n.a.log.InfoContext(ctx, "case event", "kind", e.Kind, "case", e.CaseID, "to_user", e.ToUserID, "to_role", e.ToRole,
		"deadline", e.Deadline, "due", e.Due)
	return nil
}
