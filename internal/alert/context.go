package alert

import "context"

type ctxKey struct{}

// Mailer sends one plain-text e-mail to each recipient; the app adapts
// internal/notify's queued SMTP mailer to it.
type Mailer interface {
	Send(ctx context.Context, to []string, subject, body string) error
}

// OpeningCase marks ctx as the opening of a case from an alert, so the
// case's own "new report" event does not raise a second alert about the
// same thing.
func OpeningCase(ctx context.Context) context.Context {
	return context.WithValue(ctx, ctxKey{}, true)
}

// IsOpeningCase reports whether ctx was marked by OpeningCase.
func IsOpeningCase(ctx context.Context) bool {
	v, _ := ctx.Value(ctxKey{}).(bool)
	return v
}
