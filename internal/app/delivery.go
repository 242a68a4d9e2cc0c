package app

import (
	"context"
	"errors"

	"manglanh/internal/cases"
)

var _ cases.DeliveryReporter = alertTap{}

// DeliverCaseEvent passes the delivery report of the notifier behind the
// tap through, so that referrals learn who received them. The alert rules
// hear only of new cases, which are delivered through CaseEvent.
func (t alertTap) DeliverCaseEvent(ctx context.Context, e cases.Event) (cases.Delivery, error) {
	if dr, ok := t.next.(cases.DeliveryReporter); ok && e.Kind != cases.EventNew {
		return dr.DeliverCaseEvent(ctx, e)
	}
	if err := t.CaseEvent(ctx, e); err != nil {
		return cases.Delivery{}, errors.Join(err, errNotReported)
	}
	return cases.Delivery{}, errNotReported
}

// errNotReported: the notifier behind the tap does not say who received
// an event.
var errNotReported = errors.New("delivery not reported")
