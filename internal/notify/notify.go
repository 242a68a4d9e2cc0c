package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// Recipient is an active staff account a notice goes to.
type Recipient struct {
	ID    int64
	Email string
	Name  string
	// TenantID is the account's ward (0: unknown, never filtered out).
	TenantID int64
}

// Users finds who an event is for. internal/store implements it.
type Users interface {
	// ActiveRecipients returns the enabled user userID when it is not 0;
	// otherwise every enabled user of role, restricted to organisation
	// orgID when that is not 0. No match is an empty list, not an error.
	ActiveRecipients(ctx context.Context, userID int64, role string, orgID int64) ([]Recipient, error)
}

// Notice is one in-portal notice for one user. Its texts hold no personal
// data.
type Notice struct {
	ID        int64
	UserID    int64
	CaseID    int64
	Kind      cases.EventKind
	TextVi    string
	TextEn    string
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// Text returns the notice's text in lang ("vi" by default, or "en").
func (n Notice) Text(lang string) string {
	if lang == "en" {
		return n.TextEn
	}
	return n.TextVi
}

// Notices keeps in-portal notices. internal/store implements it.
type Notices interface {
	// AddNotices inserts ns in one transaction and sets their IDs.
	AddNotices(ctx context.Context, ns []Notice) error
}

// Config is what New needs. Users and Notices are required; Mailer is
// optional (nil: notices only).
type Config struct {
	Users   Users
	Notices Notices
	// Mailer sends e-mail; nil when SMTP is not configured.
	Mailer *Mailer
	// BaseURL is the portal's public address for links in e-mails; without
	// it links are paths.
	BaseURL string
	// Location formats deadlines; Asia/Ho_Chi_Minh when nil.
	Location *time.Location
	// WardName appears in e-mail subjects and signatures.
	WardName string
	Clock    func() time.Time // time.Now when nil
	Logger   *slog.Logger     // discards when nil
}

// ErrNoRecipients is returned when an event's addressee matches no active
// user: nobody would be told, so the caller should know (deadline notices
// are then retried on the next check).
var ErrNoRecipients = errors.New("no active user to notify")

// Notifier implements cases.Notifier with in-portal notices and e-mail. It
// is safe for concurrent use.
type Notifier struct {
	users   Users
	notices Notices
	mailer  *Mailer
	base    string
	loc     *time.Location
	ward    string
	clock   func() time.Time
	log     *slog.Logger
}

var _ cases.Notifier = (*Notifier)(nil)

// New validates cfg and returns a Notifier.
func New(cfg Config) (*Notifier, error) {
	if cfg.Users == nil || cfg.Notices == nil {
		return nil, errors.New("notify: config needs Users and Notices")
	}
	n := &Notifier{users: cfg.Users, notices: cfg.Notices, mailer: cfg.Mailer,
		base: strings.TrimRight(cfg.BaseURL, "/"), loc: cfg.Location, ward: cfg.WardName,
		clock: cfg.Clock, log: cfg.Logger}
	if n.loc == nil {
		n.loc = cases.DefaultLocation()
	}
	if n.clock == nil {
		n.clock = time.Now
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	return n, nil
}

// CaseLink is the staff page of case id.
func (n *Notifier) CaseLink(id int64) string {
	return n.base + "/can-bo/ho-so/" + strconv.FormatInt(id, 10)
}

// CaseEvent stores a notice for every recipient of e and queues an e-mail
// to each. An event for a user who is no longer active goes to the ward
// admins. It fails only when the recipients cannot be found or the notices
// cannot be stored; e-mail trouble is logged and retried by the Mailer,
// never returned.
func (n *Notifier) CaseEvent(ctx context.Context, e cases.Event) error {
	d, err := n.DeliverCaseEvent(ctx, e)
	if err == nil && d.Accounts == 0 {
		return fmt.Errorf("event %s for case %d (user %d, role %q, org %d): %w", e.Kind, e.CaseID, e.ToUserID, e.ToRole, e.ToOrgID, ErrNoRecipients)
	}
	return err
}

var _ cases.DeliveryReporter = (*Notifier)(nil)

// DeliverCaseEvent is CaseEvent that says what it did: how many in-portal
// notices it stored and how many e-mails it queued (to the accounts, and
// to e.ToEmail, an organisation's directory address). Nobody to tell is a
// zero Delivery, not an error.
func (n *Notifier) DeliverCaseEvent(ctx context.Context, e cases.Event) (cases.Delivery, error) {
	var d cases.Delivery
	userID, role, org := e.ToUserID, e.ToRole, e.ToOrgID
	if userID == 0 && role == "" {
		return d, fmt.Errorf("event %s for case %d has no addressee", e.Kind, e.CaseID)
	}
	rs, err := n.users.ActiveRecipients(ctx, userID, role, org)
	if err != nil {
		return d, fmt.Errorf("finding who to tell about case %d: %w", e.CaseID, err)
	}
	if len(rs) == 0 && userID != 0 {
		// The addressee was disabled (or deleted) since the case named
		// them: tell the ward admins instead, as for an unassigned case,
		// rather than let the notice (and the escalation after it) stall.
		n.log.WarnContext(ctx, "addressee not active: telling the ward admins", "case", e.CaseID, "user", userID)
		userID, role, org = 0, cases.RoleWardAdmin, 0
		if rs, err = n.users.ActiveRecipients(ctx, 0, role, 0); err != nil {
			return d, fmt.Errorf("finding who to tell about case %d: %w", e.CaseID, err)
		}
	}
	if userID == 0 && e.TenantID != 0 {
		// A role is told in the case's ward only: another ward's officers
		// must not even learn that the case exists.
		rs = slices.DeleteFunc(rs, func(r Recipient) bool { return r.TenantID != 0 && r.TenantID != e.TenantID })
	}
	at := e.At
	if at.IsZero() {
		at = n.clock()
	}
	m := n.compose(e)
	if len(rs) > 0 {
		ns := make([]Notice, len(rs))
		for i, r := range rs {
			ns[i] = Notice{UserID: r.ID, CaseID: e.CaseID, Kind: e.Kind, TextVi: m.lineVi, TextEn: m.lineEn, CreatedAt: at}
		}
		if err := n.notices.AddNotices(ctx, ns); err != nil {
			return d, fmt.Errorf("storing notices for case %d: %w", e.CaseID, err)
		}
		d.Accounts = len(ns)
	}
	if n.mailer != nil {
		to := make([]string, 0, len(rs)+1)
		for _, r := range rs {
			to = append(to, r.Email)
		}
		if e.ToEmail != "" && !slices.Contains(to, e.ToEmail) {
			to = append(to, e.ToEmail)
		}
		for _, addr := range to {
			msg := Message{To: addr, Subject: m.subject, Body: m.body, Date: at}
			if n.mailer.Enqueue(msg) {
				d.Emails++
			} else {
				n.log.WarnContext(ctx, "e-mail not queued (queue full or bad address)", "case", e.CaseID)
			}
		}
	}
	if d.Accounts == 0 && d.Emails == 0 {
		n.log.WarnContext(ctx, "nobody to tell", "kind", e.Kind, "case", e.CaseID, "user", userID, "role", role, "org", org)
	} else {
		n.log.InfoContext(ctx, "case event", "kind", e.Kind, "case", e.CaseID, "recipients", d.Accounts, "emails", d.Emails)
	}
	return d, nil
}
