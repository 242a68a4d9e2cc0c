// Package family is the families-and-schools part of Mạng Lành: parent
// accounts, the filtering profiles parents make for their children (and
// schools for their networks and classes), their devices, rules,
// schedules, time budgets and pauses, and a child's requests to allow a
// site. It is a domain package: it imports no store, web or config. The
// profiles it keeps are compiled into the DNS policy (see Specs) by
// internal/app, which reloads them when PolicyVersion changes.
package family

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned for a missing row and for a row the caller may
// not see (another family's profile is "not found", never "forbidden").
var ErrNotFound = errors.New("family: not found")

// Status is the state of a parent account.
type Status string

// The statuses. A pending account can sign in only to see that it waits
// for approval (families.approval in the configuration).
const (
	StatusPending  Status = "pending"
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Parent is a parent's (or guardian's) account: a separate kind of account
// from staff. A parent sees only their own profiles, devices, summaries and
// alerts: never cases, reports or other families.
type Parent struct {
	ID           int64
	Email        string // lower case; "" when the parent signed up with a phone
	Phone        string // E.164 (+84…); "" when the parent signed up with an e-mail
	Name         string // what the portal calls them ("Chị Lan"); may be empty
	PasswordHash string // argon2id, PHC encoding (auth.HashPassword)
	Status       Status
	// SchoolOrgID is the school (organisation directory id) that approves
	// the account when families.approval is "school"; 0 none.
	SchoolOrgID int64
	ApprovedBy  string // who approved it ("" while pending or when no approval is needed)
	// MustChangePassword is set when staff reset the password.
	MustChangePassword bool
	// Lang is the parent's language for e-mails ("vi" or "en").
	Lang string
	// WeeklyEmail is whether the weekly summary is e-mailed.
	WeeklyEmail bool

	CreatedAt, UpdatedAt, LastLoginAt time.Time
}

// Kind is what a profile filters for.
type Kind string

// The kinds of profile.
const (
	KindChild  Kind = "child"  // one child's devices; owned by a parent
	KindSchool Kind = "school" // a school's networks; owned by the school (OrgID)
	KindClass  Kind = "class"  // a class of a school, with its own networks
)

// Profile is one filtering profile made in the portal.
type Profile struct {
	ID   int64
	Kind Kind
	// ParentID owns a child profile; 0 for school and class profiles.
	ParentID int64
	// OrgID is the school (organisation directory id): the owner of a
	// school or class profile, the child's school (optional) for a child.
	OrgID int64
	// Nickname is the child's nickname (never the full name), or the
	// school's or class's name.
	Nickname  string
	BirthYear int // a child's birth year; 0 unknown
	// Label is the profile's DNS label, unique across the ward (and
	// different from every YAML profile's name): the DoT name
	// <label>.<dns.profile_domain>, the DoH path /dns-query/<label>, and
	// the profile name in DNS statistics.
	Label string
	// ChildToken is the secret of the child's page /tre/<token> (random,
	// 128 bits, URL-safe); empty for school and class profiles.
	ChildToken string
	TimeZone   string // IANA; "" = Asia/Ho_Chi_Minh
	Rules      Rules
	// Networks are the IPs and CIDRs of a school's or class's networks
	// (no two profiles may overlap); empty for a child.
	Networks []string

	CreatedAt, UpdatedAt time.Time
}

// Rules are what a profile blocks and allows. The zero value means the age
// defaults (filter.Compile's table) with no schedule, budget or pause.
type Rules struct {
	// Block lists categories and services; nil = the age defaults,
	// ["none"] = nothing.
	Block      []string
	SafeSearch string   // "off", "moderate", "strict"; "" = age default
	Allow      []string // sites always allowed
	Deny       []string // single sites blocked
	Schedules  []Schedule
	// Budgets are daily time budgets (see filter.BudgetSpec for keys);
	// nil = the defaults of DefaultBudgets for the child's age, an empty
	// non-nil slice = no budget.
	Budgets     []Budget
	PausedUntil time.Time // zero = not paused; filter.PauseForever = until resumed
	TempAllows  []TempAllow
}

// Schedule is a weekly window (school hours, bedtime), as filter.ScheduleSpec.
type Schedule struct {
	Name      string
	Days      []string // mon..sun; empty = every day
	From, To  string   // "HH:MM"; To before From runs past midnight
	Block     []string
	AllowOnly []string
}

// Budget is a daily time budget in minutes with activity.
type Budget struct {
	Key     string // "all", "group:games", "each:games", or a service name
	Minutes int    // 1..1440
}

// TempAllow is a site allowed until a time.
type TempAllow struct {
	Domain string
	Until  time.Time
}

// Device is one phone, tablet, computer or router of a profile.
type Device struct {
	ID        int64
	ProfileID int64
	Name      string // "Điện thoại của An"
	Kind      string // "android", "ios", "computer", "router", "other"
	// Label is the device's own DNS label (unique across the ward): its
	// DoT name and DoH path, so the server knows which device asked.
	Label   string
	Clients []string // optional IPs/CIDRs (a home router on a ward network)
	// LastSeen is when the DNS server last answered this device (zero:
	// never), flushed by the server about every 10 seconds.
	LastSeen  time.Time
	CreatedAt time.Time
}

// RequestStatus is the state of a child's request to allow a site.
type RequestStatus string

// The request states.
const (
	RequestPending RequestStatus = "pending"
	RequestAllowed RequestStatus = "allowed"
	RequestRefused RequestStatus = "refused"
)

// AllowRequest is a child's "ask my parent to allow this site".
type AllowRequest struct {
	ID        int64
	ProfileID int64
	Domain    string
	Category  string // why it was blocked (category or service name), "" unknown
	Status    RequestStatus
	// Until is when an allowed request ends (zero: always).
	Until     time.Time
	CreatedAt time.Time
	DecidedAt time.Time
}

// Usage is the minutes with activity of one budget key on one day.
type Usage struct {
	ProfileID int64
	Day       string // YYYY-MM-DD in the profile's time zone
	Key       string // a budget key or a service name
	Minutes   int
}

// PolicyVersioner reports a number that changes whenever any profile,
// device or rule changes; the app reloads the policy when it does.
type PolicyVersioner interface {
	PolicyVersion(ctx context.Context) (int64, error)
}
