package family

import (
	"context"
	"time"

	"manglanh/internal/alert"
)

// BlockedHour is the number of blocked queries of one profile in one hour
// and category (or service; "" for a schedule, pause or budget block).
type BlockedHour struct {
	Hour     time.Time // UTC, on the hour
	Category string
	Queries  int64
}

// WeeklyMail is what happened to one weekly summary e-mail.
type WeeklyMail struct {
	ProfileID int64
	Week      string // ISO week, "2026-W49"
	ParentID  int64
	Status    string // MailSent or MailFailed
	Error     string // why it failed, for the parent ("" when sent)
	At        time.Time
}

// The statuses of a WeeklyMail.
const (
	MailSent   = "sent"
	MailFailed = "failed"
)

// SummaryStore reads what the weekly summary shows and records the weekly
// e-mails; *store.Store satisfies it.
type SummaryStore interface {
	// BlockedHours returns the blocked queries of the profile label from
	// from (inclusive) to to (exclusive), per hour and category.
	BlockedHours(ctx context.Context, profile string, from, to time.Time) ([]BlockedHour, error)
	// ProfileAlerts returns the alerts raised on the profile label from
	// from to to, newest first.
	ProfileAlerts(ctx context.Context, profile string, from, to time.Time, limit int) ([]alert.Alert, error)
	// RecordWeeklyMail stores (or replaces) the outcome of one e-mail.
	RecordWeeklyMail(ctx context.Context, m WeeklyMail) error
	// WeeklyMails returns the e-mails of a profile's week.
	WeeklyMails(ctx context.Context, profileID int64, week string) ([]WeeklyMail, error)
}
