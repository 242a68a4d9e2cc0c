package cases

import (
	"slices"
	"time"
)

// Status is a step of the case workflow. The zero value is not a valid
// status.
type Status string

// The workflow statuses, in order. See the transition table in workflow.go.
const (
	StatusReceived              Status = "received"
	StatusAssessed              Status = "assessed"
	StatusEmergencyIntervention Status = "emergency_intervention"
	StatusNeedsAssessed         Status = "needs_assessed"
	StatusPlanDrafted           Status = "plan_drafted"
	StatusPlanApproved          Status = "plan_approved"
	StatusInProgress            Status = "in_progress"
	StatusReviewed              Status = "reviewed"
	StatusClosed                Status = "closed"
)

// AllStatuses lists every status in workflow order.
func AllStatuses() []Status {
	return []Status{StatusReceived, StatusAssessed, StatusEmergencyIntervention,
		StatusNeedsAssessed, StatusPlanDrafted, StatusPlanApproved,
		StatusInProgress, StatusReviewed, StatusClosed}
}

// Valid reports whether s is one of the workflow statuses.
func (s Status) Valid() bool {
	for _, v := range AllStatuses() {
		if s == v {
			return true
		}
	}
	return false
}

// Risk categories, aligned with the risk engine's vocabulary.
const (
	CategoryScam          = "scam"
	CategoryGambling      = "gambling"
	CategoryGrooming      = "grooming"
	CategorySextortion    = "sextortion"
	CategoryBullying      = "bullying"
	CategorySelfHarm      = "self_harm"
	CategorySexualContent = "sexual_content"
	CategoryOther         = "other"
)

// Categories lists the accepted case categories.
func Categories() []string {
	return []string{CategoryScam, CategoryGambling, CategoryGrooming, CategorySextortion,
		CategoryBullying, CategorySelfHarm, CategorySexualContent, CategoryOther}
}

// Risk levels, from the lowest to the highest.
const (
	LevelNone     = "none"
	LevelLow      = "low"
	LevelMedium   = "medium"
	LevelHigh     = "high"
	LevelCritical = "critical"
)

// Levels lists the risk levels from the lowest to the highest.
func Levels() []string {
	return []string{LevelNone, LevelLow, LevelMedium, LevelHigh, LevelCritical}
}

// Channels by which a report arrives. A public resident may only use
// ChannelWeb, ChannelQR or ChannelAPI; the others are recorded by staff.
const (
	ChannelWeb        = "web"
	ChannelQR         = "qr"
	ChannelAPI        = "api" // the public JSON API
	ChannelPhone      = "phone"
	ChannelWalkIn     = "walk_in"
	ChannelHotline111 = "hotline_111"
	ChannelPolice     = "police"
	ChannelSchool     = "school"
	ChannelAlert      = "alert" // opened by staff from an early-warning alert
)

// Channels lists the accepted intake channels.
func Channels() []string {
	return []string{ChannelWeb, ChannelQR, ChannelAPI, ChannelPhone, ChannelWalkIn,
		ChannelHotline111, ChannelPolice, ChannelSchool, ChannelAlert}
}

// Age bands of the child, kept outside Sensitive because a band alone does
// not identify a child and statistics need it.
const (
	AgeBandUnknown = "unknown"
	AgeBandUnder6  = "0_5"
	AgeBand6to10   = "6_10"
	AgeBand11to14  = "11_14"
	AgeBand15to17  = "15_17"
)

// AgeBands lists the accepted age bands.
func AgeBands() []string {
	return []string{AgeBandUnknown, AgeBandUnder6, AgeBand6to10, AgeBand11to14, AgeBand15to17}
}

// Case is one report and everything done about it. The store persists all
// of it; Sensitive is the part it must encrypt at rest. Pointers to
// sub-records are nil until that step has been done.
type Case struct {
	ID         int64
	Code       string // public tracking code, see NewCode
	Version    int64  // optimistic concurrency, bumped by the store on every update
	Status     Status
	Urgent     bool   // the reporter or the receiving officer flagged it urgent
	Category   string // one of Categories
	RiskLevel  string // from the initial assessment; "" until assessed
	Channel    string // one of Channels
	SourceID   int64  // QR poster or other source; 0 when none
	ReceivedAt time.Time
	UpdatedAt  time.Time
	ClosedAt   time.Time // zero until closed
	AssigneeID int64     // user responsible; 0 when unassigned
	SchoolID   int64     // organisation (school) concerned; 0 when unknown
	// TenantID is the ward the case belongs to (0 is read as
	// DefaultTenant): only that ward's staff ever see it.
	TenantID int64

	// Suggestion from the risk engine at intake; never decides anything.
	SuggestedCategory string
	SuggestedLevel    string
	SuggestedReasons  string

	// Non-sensitive Mẫu 01 content.
	Place      string    // where it happened, coarse ("Zalo", "tổ dân phố 3")
	OccurredAt time.Time // when it happened, as reported; zero when unknown
	AgeBand    string    // one of AgeBands

	// Sensitive is encrypted at rest by the store, as one blob.
	Sensitive Sensitive

	Assessment      *Assessment
	Emergency       *EmergencyAction
	NeedsAssessment *NeedsAssessment
	Plan            *Plan
	Approval        *Approval
	Review          *Review
	ClosureNote     string

	Steps     []Step     // append-only history, oldest first
	Referrals []Referral // oldest first

	// Redacted is set by Redact when some Sensitive fields or notes were
	// removed for the viewing role. It is never stored.
	Redacted bool

	// Submission is set at intake when the submitter sent an idempotency
	// key (see IntakeOnce); the store keeps it with the case, in the same
	// transaction, and never reads it back.
	Submission *Submission
}

// Sensitive is the private information of Mẫu 01 (Decree 56/2017 Art. 33):
// who the child is, what happened, who the suspect and the reporter are.
// The store encrypts it as one blob; Redact decides what each role sees.
type Sensitive struct {
	ChildName      string
	ChildNickname  string
	ChildAge       int    // years, 1–17; 0 when unknown or under one year
	ChildSex       string // male, female, unknown
	ChildSchool    string
	ChildClass     string
	ChildCondition string // the child's current condition
	Description    string // the narrative of what happened

	SuspectName       string
	SuspectProfileURL string // http or https only
	SuspectPhone      string
	// EvidenceLinks are URLs only: suspected child sexual abuse material is
	// never stored, only where it is and a description.
	EvidenceLinks []string

	ReporterName      string
	ReporterPhone     string
	ReporterRelation  string
	ReporterAnonymous bool
	// ReporterConsent is the reporter's agreement that their identity may be
	// passed to the police (Art. 24 keeps it confidential otherwise).
	ReporterConsent bool

	ParentsInfo      string // parents' names, ages, occupations
	Caregiver        string // who cares for the child now
	FamilySituation  string
	PriorHelp        string // help already given before the report
	LikelyHarm       string // harm likely if nobody intervenes
	ReceivingOfficer string // name of the officer who took a phone/in-person report
}

// Step is one entry of a case's history: who moved it, when, from which
// status to which. Steps are append-only.
type Step struct {
	ID        int64 // set by the store; 0 for a step not yet stored
	At        time.Time
	ActorID   int64
	ActorName string
	ActorRole string
	Action    Action
	From      Status
	To        Status
	Note      string

	// Typed facts of the step, so the history reads without parsing notes.
	// Zero when the action has none of them.
	AssigneeID   int64          // assign: the new assignee
	OrgID        int64          // refer, referral_update: the receiving organisation
	AgencyKind   string         // refer, referral_update: its kind
	ReferralID   int64          // referral_update (a refer step names the org: its referral's id comes after)
	ReferralFrom ReferralStatus // referral_update: the status before
	ReferralTo   ReferralStatus // refer (pending), referral_update: the status after
	Consent      bool           // refer: consent recorded
	Parts        []HandOffPart  // handoff_111: the parts shared
	Fields       []string       // edit_details: names of the fields changed (never values)
}

// Assessment is the initial assessment (Mẫu 02).
type Assessment struct {
	RiskLevel string // one of Levels
	Emergency bool   // serious harm or risk: emergency intervention within 12 h
	Notes     string
	At        time.Time
	ByID      int64
}

// EmergencyAction records the emergency intervention or temporary
// separation.
type EmergencyAction struct {
	Action string
	At     time.Time
	ByID   int64
}

// NeedsAssessment is the needs assessment (Mẫu 03). ChildViews is required:
// the child's views must be recorded.
type NeedsAssessment struct {
	ChildViews string
	Notes      string
	At         time.Time
	ByID       int64
}

// PlanItem is one task of the support plan.
type PlanItem struct {
	Task    string
	Owner   string
	Due     time.Time
	CostVND int64
}

// Plan is the support and intervention plan (Mẫu 04). A plan awaits the
// chairman's decision while SubmittedAt is set and RejectedAt is before it.
type Plan struct {
	Items           []PlanItem
	Notes           string
	FirstSubmitted  time.Time // first submission: meets the 5-working-day deadline
	SubmittedAt     time.Time // latest submission: starts the approval deadline
	SubmittedByID   int64
	RejectedAt      time.Time
	RejectedByID    int64
	RejectionReason string
}

// AwaitingApproval reports whether the plan was submitted and not rejected
// since.
func (p *Plan) AwaitingApproval() bool {
	return p != nil && !p.SubmittedAt.IsZero() && p.RejectedAt.Before(p.SubmittedAt)
}

// TotalCostVND sums the cost of the plan's items.
func (p *Plan) TotalCostVND() int64 {
	var n int64
	for _, it := range p.Items {
		n += it.CostVND
	}
	return n
}

// Approval is the chairman's approval of the plan (Mẫu 05).
type Approval struct {
	ByID   int64
	ByName string
	At     time.Time
	Note   string
}

// Review is the review before closure (Mẫu 06).
type Review struct {
	Outcome string
	Notes   string
	At      time.Time
	ByID    int64
}

// Agency kinds a case may be referred to.
const (
	AgencyPolice      = "police"
	AgencySchool      = "school"
	AgencyWomensUnion = "womens_union"
	AgencyYouthUnion  = "youth_union"
	AgencyHealth      = "health"
	AgencyCitySocial  = "city_social_services"
	AgencyHotline111  = "hotline_111"
	AgencyOther       = "other"
)

// AgencyKinds lists the accepted agency kinds.
func AgencyKinds() []string {
	return []string{AgencyPolice, AgencySchool, AgencyWomensUnion, AgencyYouthUnion,
		AgencyHealth, AgencyCitySocial, AgencyHotline111, AgencyOther}
}

// ReferralStatus is where a referral stands.
type ReferralStatus string

// Referral statuses. Pending, accepted and done referrals give the
// receiving organisation access to the case; rejected and revoked ones do
// not.
const (
	ReferralPending  ReferralStatus = "pending"
	ReferralAccepted ReferralStatus = "accepted"
	ReferralRejected ReferralStatus = "rejected"
	ReferralDone     ReferralStatus = "done"
	ReferralRevoked  ReferralStatus = "revoked"
)

// grantsAccess reports whether a referral in this status lets the receiving
// organisation see the case.
func (s ReferralStatus) grantsAccess() bool {
	return s == ReferralPending || s == ReferralAccepted || s == ReferralDone
}

// Referral passes a case to another agency. Without ConsentRecorded, an
// OverrideReason is required (Primero's consent gate).
type Referral struct {
	ID              int64 // set by the store; 0 until stored
	AgencyKind      string
	OrgID           int64 // receiving organisation; 0 only for hotline_111 and other
	Status          ReferralStatus
	ConsentRecorded bool
	OverrideReason  string
	Note            string
	ReferredAt      time.Time
	ReferredByID    int64
	RespondedAt     time.Time
	RespondedByID   int64
	ResponseNote    string
	RevokedAt       time.Time
	RevokedByID     int64

	// Delivery says who was told of the referral when it was made; see
	// DeliveryState. DeliveredAccounts counts in-portal notices stored,
	// DeliveredEmails the e-mails queued.
	Delivery          DeliveryState
	DeliveredAccounts int
	DeliveredEmails   int
}

// Summary is the non-sensitive view of a case used in lists and
// dashboards: it holds nothing from Sensitive, so showing it is not a view
// that must be logged.
type Summary struct {
	ID         int64
	Code       string
	Status     Status
	Urgent     bool
	Category   string
	RiskLevel  string // effective level: assessed, else suggested
	Channel    string
	ReceivedAt time.Time
	UpdatedAt  time.Time
	AssigneeID int64
	SchoolID   int64
	AgeBand    string
	Deadlines  []Deadline
}

// EffectiveRiskLevel is the assessed level, else the risk engine's
// suggestion, else "none".
func (c *Case) EffectiveRiskLevel() string {
	switch {
	case c.RiskLevel != "":
		return c.RiskLevel
	case c.SuggestedLevel != "":
		return c.SuggestedLevel
	}
	return LevelNone
}

// Summary returns the non-sensitive summary of c, with its open deadlines.
func (c *Case) Summary(cal *Calendar, now time.Time) Summary {
	return Summary{ID: c.ID, Code: c.Code, Status: c.Status, Urgent: c.Urgent,
		Category: c.Category, RiskLevel: c.EffectiveRiskLevel(), Channel: c.Channel,
		ReceivedAt: c.ReceivedAt, UpdatedAt: c.UpdatedAt, AssigneeID: c.AssigneeID,
		SchoolID: c.SchoolID, AgeBand: c.AgeBand, Deadlines: c.Deadlines(cal, now)}
}

// clone returns a deep copy of c, so callers of a store never share memory
// with it and Redact never alters the original.
func (c *Case) clone() *Case {
	d := *c
	d.Sensitive.EvidenceLinks = append([]string(nil), c.Sensitive.EvidenceLinks...)
	if c.Assessment != nil {
		a := *c.Assessment
		d.Assessment = &a
	}
	if c.Emergency != nil {
		e := *c.Emergency
		d.Emergency = &e
	}
	if c.NeedsAssessment != nil {
		n := *c.NeedsAssessment
		d.NeedsAssessment = &n
	}
	if c.Plan != nil {
		p := *c.Plan
		p.Items = append([]PlanItem(nil), c.Plan.Items...)
		d.Plan = &p
	}
	if c.Approval != nil {
		a := *c.Approval
		d.Approval = &a
	}
	if c.Review != nil {
		r := *c.Review
		d.Review = &r
	}
	d.Steps = append([]Step(nil), c.Steps...)
	for i := range d.Steps {
		d.Steps[i].Parts = slices.Clone(d.Steps[i].Parts)
		d.Steps[i].Fields = slices.Clone(d.Steps[i].Fields)
	}
	d.Referrals = append([]Referral(nil), c.Referrals...)
	return &d
}
