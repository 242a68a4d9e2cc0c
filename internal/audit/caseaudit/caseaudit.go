// Package caseaudit adapts the audit log to the cases service's Auditor
// interface. It is a package of its own so that audit does not depend on
// cases.
package caseaudit

import (
	"context"
	"strconv"

	"manglanh/internal/audit"
	"manglanh/internal/cases"
)

// Auditor records case events in an audit log; it satisfies cases.Auditor.
type Auditor struct {
	Log audit.Recorder
}

var _ cases.Auditor = Auditor{}

// Record records action by a on case caseID (object type "case"). The
// client address comes from ctx (audit.WithClientIP).
func (a Auditor) Record(ctx context.Context, actor cases.Actor, action string, caseID int64, detail string) error {
	return a.Log.RecordAction(ctx, audit.Actor{ID: actor.UserID, Name: actor.Name, Role: actor.Role},
		action, "case", strconv.FormatInt(caseID, 10), detail)
}
