package cases

import (
	"context"
	"time"
)

// Store persists cases. internal/store implements it on SQLite and
// PostgreSQL. Every method returns ErrNotFound (wrapped or not) for a
// missing case. Implementations must return copies: the service mutates the
// cases it gets.
//
// Encryption: Sensitive must be encrypted at rest as one blob. The free
// text of Assessment, Emergency, NeedsAssessment (the child's views),
// Plan, Review, ClosureNote, Steps[].Note and Referrals[].Note /
// OverrideReason may name people too: store them inside the encrypted
// detail as well, or accept that they are readable by a database
// administrator.
type Store interface {
	// CreateCase inserts c with its Steps and Referrals and the evidence
	// images (validated by the service; nil for none), and sets c.ID, the
	// IDs of its steps and referrals, and c.Version to 1. It is atomic,
	// crashes included: afterwards the case is visible with every image, or
	// nothing of it is. It returns ErrCodeTaken when c.Code is already used
	// (codes are unique for ever, including codes of purged cases kept in
	// deletion records). When c.Submission is set it keeps it with the case,
	// unique by KeyDigest, in the same transaction; a key already kept
	// (committed by any process) makes it keep nothing and return a
	// *DuplicateSubmissionError naming the earlier case.
	CreateCase(ctx context.Context, c *Case, evidence []EvidenceItem) error
	// GetCase returns the whole case: every field, Steps and Referrals.
	GetCase(ctx context.Context, id int64) (*Case, error)
	// GetCaseByCode is GetCase by tracking code (exact, upper case).
	GetCaseByCode(ctx context.Context, code string) (*Case, error)
	// UpdateCase writes every field of c if the stored version still equals
	// c.Version, else returns ErrConflict. It appends the Steps whose ID is
	// 0 (existing steps never change), inserts Referrals whose ID is 0 and
	// updates the others, assigns the new IDs, and increments c.Version.
	// All of it in one transaction.
	UpdateCase(ctx context.Context, c *Case) error
	// ListCases returns the cases matching f, newest ReceivedAt first (ties
	// by ID descending). The returned cases must carry every field but
	// Sensitive and Steps, which may be left empty.
	ListCases(ctx context.Context, f Filter) ([]*Case, error)
	// ClaimNotice records n unless a notice with the same Key exists; it
	// reports whether this call recorded it. It must be atomic across
	// processes (INSERT … ON CONFLICT DO NOTHING), so that a deadline is
	// notified once.
	ClaimNotice(ctx context.Context, n Notice) (bool, error)
	// ReleaseNotice deletes the notice with key, so that a notice whose
	// delivery failed is tried again on the next check.
	ReleaseNotice(ctx context.Context, key string) error
	// DeleteCase deletes case id with its steps, referrals, notices and
	// encrypted content, and stores rec, in one transaction.
	DeleteCase(ctx context.Context, id int64, rec DeletionRecord) error
}

// Filter selects cases. Zero fields do not filter; non-zero ones are ANDed.
type Filter struct {
	Statuses   []Status // any of these
	OpenOnly   bool     // status is not closed
	Category   string
	Urgent     bool // only urgent cases
	AssigneeID int64
	// ReferredKind and ReferredOrgID select cases with at least one
	// referral of that agency kind (and to that organisation, when not 0)
	// whose status is pending, accepted or done.
	ReferredKind  string
	ReferredOrgID int64
	ClosedBefore  time.Time // closed, with ClosedAt before this
	// ReceivedFrom and ReceivedTo select cases with ReceivedFrom <=
	// ReceivedAt < ReceivedTo (either may be zero): the dashboard's
	// "cases received in the period" lands on the same rows.
	ReceivedFrom, ReceivedTo time.Time
	// TenantID selects one ward's cases; 0 selects every ward's (only the
	// deadline checker, which serves them all, asks for that).
	TenantID int64
	Limit    int // 0: the store's default; the service caps it at MaxList
	Offset   int
}

// MaxList bounds the number of cases one List call returns.
const MaxList = 500

// Notice is the record that an event about one deadline was sent.
type Notice struct {
	Key      string // unique: case, deadline kind, due time and stage
	CaseID   int64
	Kind     EventKind
	Deadline DeadlineKind
	Due      time.Time
	SentAt   time.Time
}

// DeletionRecord is what remains of a purged case: no personal data.
type DeletionRecord struct {
	CaseID     int64
	Code       string
	Category   string
	Channel    string
	RiskLevel  string
	ReceivedAt time.Time
	ClosedAt   time.Time
	DeletedAt  time.Time
	Reason     string
}

// EventKind names what a Notifier is told about.
type EventKind string

// Event kinds.
const (
	EventNew             EventKind = "new"              // a case was received
	EventUrgent          EventKind = "urgent"           // urgent, or suggested high/critical
	EventDueSoon         EventKind = "due_soon"         // to the assignee (ward admins when none)
	EventOverdue         EventKind = "overdue"          // to the assignee (ward admins when none)
	EventEscalation      EventKind = "escalation"       // overdue, to the ward admins
	EventApprovalNeeded  EventKind = "approval_needed"  // a plan awaits the chairman
	EventPlanRejected    EventKind = "plan_rejected"    // to the assignee
	EventReferred        EventKind = "referred"         // to the receiving organisation
	EventReferralUpdated EventKind = "referral_updated" // to the assignee
	EventAssigned        EventKind = "assigned"         // to the new assignee
)

// Event is a notification about a case. It never carries Sensitive
// content: it may travel by e-mail. Exactly one of ToUserID, ToRole and
// ToOrgID (with ToRole naming the org's role) says who should be told.
type Event struct {
	Kind      EventKind
	CaseID    int64
	Code      string
	Category  string
	RiskLevel string
	Urgent    bool
	Deadline  DeadlineKind // for due_soon, overdue and escalation
	Due       time.Time
	ToUserID  int64
	ToRole    string
	ToOrgID   int64
	// ToEmail, when set, is an address to e-mail besides the accounts: the
	// receiving organisation's address from the directory.
	ToEmail string
	At      time.Time
	// TenantID is the case's ward: an event addressed to a role goes to
	// that role's accounts in this ward only.
	TenantID int64
}

// Notifier delivers case events; the application wires it to in-portal
// notices and e-mail. An error makes the service retry later where it can
// (deadline notices) or log and go on (other events).
type Notifier interface {
	CaseEvent(ctx context.Context, e Event) error
}

// Auditor records who did what to which case; every view of a case is
// recorded. An error from Record makes Get fail: no unlogged view.
type Auditor interface {
	Record(ctx context.Context, actor Actor, action string, caseID int64, detail string) error
}
