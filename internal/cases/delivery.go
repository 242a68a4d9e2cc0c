package cases

import "context"

// DeliveryState says whether anybody was told of a referral. Nothing is
// shown as sent that was not delivered: a referral to an organisation
// without an active account is DeliveryNobody, and the officer must call.
type DeliveryState string

// Delivery states of a referral.
const (
	// DeliveryUnknown: the notifier does not report deliveries, or the
	// referral predates delivery reports.
	DeliveryUnknown DeliveryState = ""
	// DeliveryDelivered: an in-portal notice reached at least one active
	// account of the organisation (and e-mails may have been queued).
	DeliveryDelivered DeliveryState = "delivered"
	// DeliveryEmailOnly: no account received it, but an e-mail was queued
	// to the organisation's address or its accounts.
	DeliveryEmailOnly DeliveryState = "email_only"
	// DeliveryNobody: no active account and no e-mail: nobody received it.
	DeliveryNobody DeliveryState = "nobody"
	// DeliveryFailed: telling them failed (a database or queue error).
	DeliveryFailed DeliveryState = "failed"
	// DeliveryManual: Tổng đài 111 has no account: the officer calls and
	// hands off the Mẫu 01 summary.
	DeliveryManual DeliveryState = "manual"
)

// Received reports whether somebody of the receiving organisation was
// told, in the portal or by e-mail.
func (d DeliveryState) Received() bool { return d == DeliveryDelivered || d == DeliveryEmailOnly }

// Delivery is what a notifier did with one event.
type Delivery struct {
	Accounts int // in-portal notices stored, one per active account
	Emails   int // e-mails queued
}

// State is the DeliveryState these counts mean.
func (d Delivery) State() DeliveryState {
	switch {
	case d.Accounts > 0:
		return DeliveryDelivered
	case d.Emails > 0:
		return DeliveryEmailOnly
	}
	return DeliveryNobody
}

// DeliveryReporter is a Notifier that says to whom it delivered an event.
// The application's notifier implements it; with a Notifier that does not,
// referrals are stored with DeliveryUnknown. DeliverCaseEvent returns a
// zero Delivery and no error when nobody matched; an error means the
// delivery failed.
type DeliveryReporter interface {
	DeliverCaseEvent(ctx context.Context, e Event) (Delivery, error)
}

// deliver sends e and reports what it did.
func (s *Service) deliver(ctx context.Context, e Event) (Delivery, DeliveryState) {
	if e.At.IsZero() {
		e.At = s.clock()
	}
	dr, ok := s.notifier.(DeliveryReporter)
	if !ok {
		s.notify(ctx, e)
		return Delivery{}, DeliveryUnknown
	}
	d, err := dr.DeliverCaseEvent(ctx, e)
	if err != nil {
		s.log.ErrorContext(ctx, "case event not delivered", "kind", e.Kind, "case", e.CaseID, "err", err)
		return d, DeliveryFailed
	}
	if d.State() == DeliveryNobody {
		s.log.WarnContext(ctx, "referral received by nobody", "case", e.CaseID, "org", e.ToOrgID, "role", e.ToRole)
	}
	return d, d.State()
}
