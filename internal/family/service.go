package family

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/filter"
)

// Errors of the service besides ErrNotFound and *ValidationError; test
// them with errors.Is.
var (
	// ErrLoginTaken: another parent account has this e-mail or phone.
	// Stores return it on a unique violation.
	ErrLoginTaken = errors.New("family: login already used")
	// ErrBadLogin: wrong login or password, or a disabled account; the
	// three are indistinguishable on purpose.
	ErrBadLogin = errors.New("family: wrong login or password")
	// ErrPending: the parent's account waits for approval; it may sign in
	// (to see that it waits) but may not make or change anything.
	ErrPending = errors.New("family: account waiting for approval")
	// ErrForbidden: the actor may not do this at all (a staff role that
	// does not approve parents). Reading another family's data is
	// ErrNotFound, never ErrForbidden.
	ErrForbidden = errors.New("family: forbidden")
	// ErrLabelTaken: a DNS label is used by another profile or device.
	// Stores return it on a unique violation of labels.
	ErrLabelTaken = errors.New("family: label already used")
	// ErrBadToken: a reset link is unknown, used or expired.
	ErrBadToken = errors.New("family: reset link unknown, used or expired")
	// ErrNoActivity: the store cannot count DNS activity (the policy
	// engineer's usage tables are missing), so usage is unknown.
	ErrNoActivity = errors.New("family: DNS activity is not recorded by this store")
	// ErrLimit: a parent has as many profiles, or a profile as many
	// devices, as allowed.
	ErrLimit = errors.New("family: limit reached")
)

// ThrottledError says sign-in is locked for a while after repeated
// failures. errors.Is(err, ErrThrottled) matches it.
type ThrottledError struct{ RetryAfter time.Duration }

// ErrThrottled matches every *ThrottledError.
var ErrThrottled = errors.New("family: too many failed attempts")

// Error implements error.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("family: too many failed attempts; retry in %v", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// Limits.
const (
	// MaxChildren is how many child profiles one parent may have.
	MaxChildren = 20
	// MaxDevices is how many devices one profile may have.
	MaxDevices = 30
	// SessionIdle and SessionAbsolute end a parent's session: parents sign
	// in from their own phone, so sessions last longer than staff's.
	SessionIdle     = 30 * 24 * time.Hour
	SessionAbsolute = 90 * 24 * time.Hour
	// ResetTTL is how long an e-mailed reset link works (once).
	ResetTTL = time.Hour
	// AccountFailures and IPFailures lock sign-in after that many failures
	// (an IP is allowed more: a school or a café is one NAT).
	AccountFailures = 5
	IPFailures      = 30
)

// The approval settings (families.approval).
const (
	ApprovalNone    = "none"
	ApprovalOfficer = "officer"
	ApprovalSchool  = "school"
)

// Hasher hashes and checks passwords (auth.HashPassword and
// auth.VerifyPassword wrapped by internal/app).
type Hasher interface {
	Hash(password string) (string, error)
	Verify(password, encoded string) (bool, error)
}

// Mailer sends one plain-text e-mail (internal/notify's queue wrapped by
// internal/app). Send should not block on the network; an error means the
// message was not accepted.
type Mailer interface {
	Send(ctx context.Context, to, subject, body string) error
}

// Session is a signed-in parent's browser. Only the SHA-256 of the token
// is stored.
type Session struct {
	TokenHash string
	ParentID  int64
	CreatedAt time.Time
	LastSeen  time.Time
	IP        string
}

// Store persists parents, sessions, profiles and devices. internal/store
// implements it on SQLite and PostgreSQL. Missing rows are ErrNotFound.
// Every write to profiles, rules, networks or devices bumps the policy
// version in the same transaction.
type Store interface {
	// CreateParent inserts p with its recovery code hashes and sets p.ID;
	// ErrLoginTaken if the e-mail or phone is used.
	CreateParent(ctx context.Context, p *Parent, recoveryHashes []string) error
	// UpdateParent writes every field of p but ID, Email, Phone, CreatedAt.
	UpdateParent(ctx context.Context, p *Parent) error
	ParentByID(ctx context.Context, id int64) (*Parent, error)
	// DeleteParent deletes the account with everything it owns (sessions,
	// links, codes, profiles, devices), bumping the policy version.
	DeleteParent(ctx context.Context, id int64) error
	// ParentByLogin finds a parent by e-mail (lower case) or phone (E.164).
	ParentByLogin(ctx context.Context, login string) (*Parent, error)
	// Parents lists parents with the status; schoolOrgID > 0 keeps only
	// those who chose that school. Oldest first, at most limit.
	Parents(ctx context.Context, status Status, schoolOrgID int64, limit int) ([]Parent, error)

	CreateParentSession(ctx context.Context, s *Session) error
	ParentSession(ctx context.Context, tokenHash string) (*Session, error)
	// TouchParentSession moves LastSeen forward.
	TouchParentSession(ctx context.Context, tokenHash string, at time.Time) error
	DeleteParentSession(ctx context.Context, tokenHash string) error
	// DeleteParentSessions signs the parent out everywhere.
	DeleteParentSessions(ctx context.Context, parentID int64) error

	// CreateResetToken stores a reset token hash, expiring at expires.
	CreateResetToken(ctx context.Context, parentID int64, tokenHash string, expires time.Time) error
	// ResetTokenParent returns the parent of a live (unused, unexpired at
	// now) token; ErrNotFound otherwise.
	ResetTokenParent(ctx context.Context, tokenHash string, now time.Time) (int64, error)
	// UseResetToken marks the token used and stores the new hash on the
	// parent (and clears MustChangePassword and every session), atomically;
	// ErrNotFound when the token is not live at now.
	UseResetToken(ctx context.Context, tokenHash string, now time.Time, passwordHash string) (int64, error)

	// ReplaceParentRecoveryCodes makes hashes the parent's only codes.
	ReplaceParentRecoveryCodes(ctx context.Context, parentID int64, hashes []string, at time.Time) error
	// UseParentRecoveryCode marks an unused code used and reports whether
	// it did, atomically.
	UseParentRecoveryCode(ctx context.Context, parentID int64, hash string, at time.Time) (bool, error)
	ParentRecoveryCodesLeft(ctx context.Context, parentID int64) (int, error)

	// CreateProfile inserts p (rules, networks) and sets p.ID; ErrLabelTaken
	// if its label is used.
	CreateProfile(ctx context.Context, p *Profile) error
	FamilyProfile(ctx context.Context, id int64) (*Profile, error)
	ProfileByToken(ctx context.Context, token string) (*Profile, error)
	// ProfilesOfParent lists a parent's profiles, oldest first.
	ProfilesOfParent(ctx context.Context, parentID int64) ([]Profile, error)
	// ProfilesOfOrg lists the school and class profiles of an organisation.
	ProfilesOfOrg(ctx context.Context, orgID int64) ([]Profile, error)
	// UpdateProfile reads the profile, calls update on it and stores what
	// update left (nickname, birth year, org, time zone, rules, networks),
	// in one transaction; an error from update stores nothing.
	UpdateProfile(ctx context.Context, id int64, update func(*Profile) error) (*Profile, error)
	// DeleteProfile deletes the profile with its devices and networks.
	DeleteProfile(ctx context.Context, id int64) error
	// LabelUsed reports whether a profile or device has the label.
	LabelUsed(ctx context.Context, label string) (bool, error)

	// CreateDevice inserts d and sets d.ID; ErrLabelTaken on a used label.
	CreateDevice(ctx context.Context, d *Device) error
	FamilyDevice(ctx context.Context, id int64) (*Device, error)
	DevicesOf(ctx context.Context, profileID int64) ([]Device, error)
	DeleteDevice(ctx context.Context, id int64) error

	// PolicyProfiles loads every profile and device, one query per table.
	PolicyProfiles(ctx context.Context) ([]Profile, []Device, error)
	PolicyVersion(ctx context.Context) (int64, error)
}

// Activity is what the DNS server records (the policy engineer's tables).
// When the Store also implements it, usage and last-seen times are read
// from it; otherwise Usage returns ErrNoActivity and LastSeen stays zero.
type Activity interface {
	BudgetUsage(ctx context.Context, profileID int64, day string) ([]Usage, error)
	DevicesSeen(ctx context.Context, ids []int64) (map[int64]time.Time, error)
}

// Config configures a Service.
type Config struct {
	Store Store
	// Throttle keeps sign-in failures where every process sees them
	// (*store.Store); nil keeps them in this process's memory.
	Throttle auth.ThrottleStore
	// Approval is who must approve a new parent: "none" (the default),
	// "officer" or "school".
	Approval string
	// ProfileDomain is dns.profile_domain, for names shown to parents
	// ("" = encrypted DNS off).
	ProfileDomain string
	// Reserved are the names of YAML profiles: no label may equal one.
	Reserved []string
	// Registry knows the categories and services; nil = filter.NewRegistry().
	Registry *filter.Registry
	Hasher   Hasher
	// Mailer sends reset links; nil = no e-mail (reset by recovery code or
	// by staff only).
	Mailer Mailer
	// PortalURL is the portal's public base URL ("https://manglanh.example.vn"),
	// for links in e-mails; required for e-mailed reset links.
	PortalURL string
	// Schools lists the schools a parent may choose (the organisation
	// directory's active schools); nil = none offered.
	Schools func(ctx context.Context) ([]School, error)
	// Audit records an action (optional).
	Audit func(ctx context.Context, actor, action string, id int64, detail string)
	Now   func() time.Time
	// Logger (slog.Default() when nil).
	Logger *slog.Logger
}

// School is a school a parent may choose at sign-up or for a child.
type School struct {
	ID   int64
	Name string
}

// Schools returns the schools a parent may choose (none when not
// configured).
func (s *Service) Schools(ctx context.Context) ([]School, error) {
	if s.cfg.Schools == nil {
		return nil, nil
	}
	return s.cfg.Schools(ctx)
}

// validSchool checks that id is 0 or a school of the list.
func (s *Service) validSchool(ctx context.Context, v *ValidationError, field string, id int64) error {
	if id == 0 {
		return nil
	}
	schools, err := s.Schools(ctx)
	if err != nil {
		return fmt.Errorf("listing schools: %w", err)
	}
	for _, sc := range schools {
		if sc.ID == id {
			return nil
		}
	}
	v.add(field, "Trường đã chọn không có trong danh sách của phường.", "The school chosen is not in the ward's list.")
	return nil
}

// Service is the families domain: parent accounts, profiles and devices.
// It is safe for concurrent use.
type Service struct {
	cfg      Config
	store    Store
	activity Activity
	reg      *filter.Registry
	now      func() time.Time
	log      *slog.Logger
	throttle *auth.Throttle
	reserved map[string]bool

	dummyOnce sync.Once
	dummyHash string
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errors.New("family: no store")
	}
	if cfg.Hasher == nil {
		return nil, errors.New("family: no password hasher")
	}
	switch cfg.Approval {
	case "":
		cfg.Approval = ApprovalNone
	case ApprovalNone, ApprovalOfficer, ApprovalSchool:
	default:
		return nil, fmt.Errorf("family: approval %q: want none, officer or school", cfg.Approval)
	}
	s := &Service{cfg: cfg, store: cfg.Store, reg: cfg.Registry, now: cfg.Now, log: cfg.Logger,
		throttle: auth.NewThrottle(cfg.Throttle, "parent:"), reserved: map[string]bool{}}
	if s.reg == nil {
		r, err := filter.NewRegistry()
		if err != nil {
			return nil, fmt.Errorf("family: %w", err)
		}
		s.reg = r
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if a, ok := cfg.Store.(Activity); ok {
		s.activity = a
	}
	for _, r := range cfg.Reserved {
		s.reserved[strings.ToLower(strings.TrimSpace(r))] = true
	}
	return s, nil
}

// Approval returns the effective approval setting.
func (s *Service) Approval() string { return s.cfg.Approval }

// ProfileDomain returns dns.profile_domain ("" = encrypted DNS off).
func (s *Service) ProfileDomain() string { return s.cfg.ProfileDomain }

// Registry returns the categories and services rules are checked against.
func (s *Service) Registry() *filter.Registry { return s.reg }

// HasMailer reports whether reset links can be e-mailed.
func (s *Service) HasMailer() bool { return s.cfg.Mailer != nil && s.cfg.PortalURL != "" }

// HasActivity reports whether usage and devices seen are recorded.
func (s *Service) HasActivity() bool { return s.activity != nil }

// Actor is who acts. Exactly one of Parent or a staff account (StaffID > 0)
// is set; the zero Actor may do nothing.
type Actor struct {
	Parent     *Parent // a signed-in parent (active or pending)
	StaffID    int64
	StaffRole  string // auth.Role as a string
	StaffOrgID int64  // the school of a school (or teacher) account
	IP         string
}

// String names the actor for the audit log.
func (a Actor) String() string {
	switch {
	case a.Parent != nil:
		return fmt.Sprintf("parent:%d", a.Parent.ID)
	case a.StaffID > 0:
		return fmt.Sprintf("staff:%d", a.StaffID)
	}
	return "anonymous"
}

func (a Actor) isStaff() bool  { return a.Parent == nil && a.StaffID > 0 }
func (a Actor) isParent() bool { return a.Parent != nil && a.Parent.ID > 0 }

// staff roles that decide on parents: the ward's officers and admin.
func (a Actor) isWardStaff() bool {
	return a.isStaff() && (a.StaffRole == "officer" || a.StaffRole == "ward_admin")
}

// isSchoolStaff is a school's account (principal, IT teacher, teacher).
func (a Actor) isSchoolStaff() bool {
	return a.isStaff() && a.StaffOrgID > 0 && (a.StaffRole == "school" || a.StaffRole == "teacher")
}

// activeParent returns ErrPending for a pending parent and ErrNotFound for
// anyone who is not a parent.
func (a Actor) activeParent() error {
	if !a.isParent() {
		return ErrNotFound
	}
	if a.Parent.Status != StatusActive {
		return ErrPending
	}
	return nil
}

func (s *Service) audit(ctx context.Context, a Actor, action string, id int64, detail string) {
	if s.cfg.Audit != nil {
		s.cfg.Audit(ctx, a.String(), action, id, detail)
	}
}

// canSee reports whether a may read profile p.
func (a Actor) canSee(p *Profile) bool {
	switch {
	case a.isParent():
		return p.Kind == KindChild && p.ParentID == a.Parent.ID
	case a.isSchoolStaff():
		return (p.Kind == KindSchool || p.Kind == KindClass) && p.OrgID == a.StaffOrgID
	}
	return false
}

// canChange reports whether a may change profile p (a pending parent may
// not: ErrPending).
func (a Actor) canChange(p *Profile) error {
	if !a.canSee(p) {
		return ErrNotFound
	}
	if a.isParent() && a.Parent.Status != StatusActive {
		return ErrPending
	}
	return nil
}

// Profiles returns the profiles a may see: a parent's own children, a
// school account's school and class profiles; nobody else sees any.
func (s *Service) Profiles(ctx context.Context, a Actor) ([]Profile, error) {
	switch {
	case a.isParent():
		return s.store.ProfilesOfParent(ctx, a.Parent.ID)
	case a.isSchoolStaff():
		return s.store.ProfilesOfOrg(ctx, a.StaffOrgID)
	}
	return nil, nil
}

// Profile returns one profile a may see; ErrNotFound for a missing one and
// for one that is not a's.
func (s *Service) Profile(ctx context.Context, a Actor, id int64) (*Profile, error) {
	p, err := s.store.FamilyProfile(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.canSee(p) {
		return nil, ErrNotFound
	}
	return p, nil
}

// NewChild is what a parent types to make a child's profile.
type NewChild struct {
	Nickname  string
	BirthYear int   // 0 = not given
	OrgID     int64 // the child's school (optional; not validated against the directory here)
}

// CreateChild makes a child profile for the signed-in, active parent: the
// label comes from the nickname (ASCII slug and 4 random characters), the
// child's page token is random, the rules are the age defaults (nil).
func (s *Service) CreateChild(ctx context.Context, a Actor, in NewChild) (*Profile, error) {
	if err := a.activeParent(); err != nil {
		return nil, err
	}
	now := s.now()
	in.Nickname = strings.TrimSpace(in.Nickname)
	var v ValidationError
	v.check(validNickname("nickname", in.Nickname))
	v.check(validBirthYear("birth_year", in.BirthYear, now))
	if err := s.validSchool(ctx, &v, "school", in.OrgID); err != nil {
		return nil, err
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	existing, err := s.store.ProfilesOfParent(ctx, a.Parent.ID)
	if err != nil {
		return nil, fmt.Errorf("counting profiles: %w", err)
	}
	if len(existing) >= MaxChildren {
		return nil, ErrLimit
	}
	token, err := randomToken(16)
	if err != nil {
		return nil, err
	}
	p := &Profile{Kind: KindChild, ParentID: a.Parent.ID, OrgID: in.OrgID, Nickname: in.Nickname,
		BirthYear: in.BirthYear, ChildToken: token, TimeZone: filter.DefaultTimeZone,
		CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
	if err := s.insertWithLabel(ctx, in.Nickname, func(label string) error {
		p.Label = label
		return s.store.CreateProfile(ctx, p)
	}); err != nil {
		return nil, fmt.Errorf("creating profile: %w", err)
	}
	s.audit(ctx, a, "family.profile_created", p.ID, "label="+p.Label)
	return p, nil
}

// insertWithLabel draws labels from name until insert does not report
// ErrLabelTaken (a few tries: 4 random characters give 1.6 million).
func (s *Service) insertWithLabel(ctx context.Context, name string, insert func(label string) error) error {
	for range 8 {
		label, err := s.newLabel(name)
		if err != nil {
			return err
		}
		used, err := s.store.LabelUsed(ctx, label)
		if err != nil {
			return err
		}
		if used {
			continue
		}
		err = insert(label)
		if !errors.Is(err, ErrLabelTaken) {
			return err
		}
	}
	return ErrLabelTaken
}

// UpdateRules validates every field of r and, when all are good, stores r
// as the profile's rules in one transaction; otherwise it returns one
// *ValidationError listing every problem and stores nothing. The profile's
// pause and temporary allows are kept as they were unless r sets them
// (Pause and the requests page change those).
func (s *Service) UpdateRules(ctx context.Context, a Actor, id int64, r Rules) (*Profile, error) {
	p, err := s.store.FamilyProfile(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := a.canChange(p); err != nil {
		return nil, err
	}
	clean, err := s.ValidateRules(r)
	if err != nil {
		return nil, err
	}
	out, err := s.store.UpdateProfile(ctx, id, func(p *Profile) error {
		if !a.canSee(p) {
			return ErrNotFound
		}
		if clean.PausedUntil.IsZero() {
			clean.PausedUntil = p.Rules.PausedUntil
		}
		if clean.TempAllows == nil {
			clean.TempAllows = p.Rules.TempAllows
		}
		p.Rules = clean
		p.UpdatedAt = s.now().UTC()
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "family.rules_changed", id, "")
	return out, nil
}

// Pause stops the profile's internet until the time given (filter.PauseForever
// for "until I resume"); the zero time resumes it. A time in the past is a
// *ValidationError.
func (s *Service) Pause(ctx context.Context, a Actor, id int64, until time.Time) error {
	p, err := s.store.FamilyProfile(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canChange(p); err != nil {
		return err
	}
	if !until.IsZero() && !until.Equal(filter.PauseForever) && !until.After(s.now()) {
		var v ValidationError
		v.add("until", "Thời điểm kết thúc tạm dừng phải ở tương lai.", "The end of the pause must be in the future.")
		return &v
	}
	_, err = s.store.UpdateProfile(ctx, id, func(p *Profile) error {
		if !a.canSee(p) {
			return ErrNotFound
		}
		p.Rules.PausedUntil = until.UTC()
		p.UpdatedAt = s.now().UTC()
		return nil
	})
	if err != nil {
		return err
	}
	detail := "resumed"
	if !until.IsZero() {
		detail = "until=" + until.UTC().Format(time.RFC3339)
	}
	s.audit(ctx, a, "family.paused", id, detail)
	return nil
}

// DeleteProfile deletes a profile with its devices.
func (s *Service) DeleteProfile(ctx context.Context, a Actor, id int64) error {
	p, err := s.store.FamilyProfile(ctx, id)
	if err != nil {
		return err
	}
	if err := a.canChange(p); err != nil {
		return err
	}
	if err := s.store.DeleteProfile(ctx, id); err != nil {
		return err
	}
	s.audit(ctx, a, "family.profile_deleted", id, "label="+p.Label)
	return nil
}

// Devices lists a profile's devices with when each was last seen (zero
// when never, or when the store records no activity: see HasActivity).
func (s *Service) Devices(ctx context.Context, a Actor, profileID int64) ([]Device, error) {
	if _, err := s.Profile(ctx, a, profileID); err != nil {
		return nil, err
	}
	ds, err := s.store.DevicesOf(ctx, profileID)
	if err != nil {
		return nil, err
	}
	if s.activity != nil && len(ds) > 0 {
		ids := make([]int64, len(ds))
		for i, d := range ds {
			ids[i] = d.ID
		}
		seen, err := s.activity.DevicesSeen(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("reading devices seen: %w", err)
		}
		for i := range ds {
			if t, ok := seen[ds[i].ID]; ok && t.After(ds[i].LastSeen) {
				ds[i].LastSeen = t
			}
		}
	}
	return ds, nil
}

// DeviceKinds are the kinds of device a parent may pick.
var DeviceKinds = []string{"android", "ios", "computer", "router", "other"}

// AddDevice adds a device to a profile, with its own DNS label.
func (s *Service) AddDevice(ctx context.Context, a Actor, profileID int64, name, kind string) (*Device, error) {
	p, err := s.store.FamilyProfile(ctx, profileID)
	if err != nil {
		return nil, err
	}
	if err := a.canChange(p); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	var v ValidationError
	v.check(validDeviceName("name", name))
	if !slices.Contains(DeviceKinds, kind) {
		v.add("kind", "Hãy chọn loại thiết bị.", "Choose the kind of device.")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	existing, err := s.store.DevicesOf(ctx, profileID)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxDevices {
		return nil, ErrLimit
	}
	d := &Device{ProfileID: profileID, Name: name, Kind: kind, CreatedAt: s.now().UTC()}
	if err := s.insertWithLabel(ctx, p.Label, func(label string) error {
		d.Label = label
		return s.store.CreateDevice(ctx, d)
	}); err != nil {
		return nil, fmt.Errorf("adding device: %w", err)
	}
	s.audit(ctx, a, "family.device_added", d.ID, "profile="+fmt.Sprint(profileID))
	return d, nil
}

// RemoveDevice deletes a device of a profile a may change.
func (s *Service) RemoveDevice(ctx context.Context, a Actor, deviceID int64) error {
	d, err := s.store.FamilyDevice(ctx, deviceID)
	if err != nil {
		return err
	}
	p, err := s.store.FamilyProfile(ctx, d.ProfileID)
	if err != nil {
		return err
	}
	if err := a.canChange(p); err != nil {
		return err
	}
	if err := s.store.DeleteDevice(ctx, deviceID); err != nil {
		return err
	}
	s.audit(ctx, a, "family.device_removed", deviceID, "profile="+fmt.Sprint(d.ProfileID))
	return nil
}

// ProfileByToken returns the profile of a child's page token; ErrNotFound
// for an unknown or malformed token.
func (s *Service) ProfileByToken(ctx context.Context, token string) (*Profile, error) {
	if token == "" || len(token) > 64 {
		return nil, ErrNotFound
	}
	for _, c := range token {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return nil, ErrNotFound
		}
	}
	return s.store.ProfileByToken(ctx, token)
}

// Usage returns the minutes with activity per key of a profile on day
// (YYYY-MM-DD in the profile's time zone); ErrNoActivity when the store
// does not record activity.
func (s *Service) Usage(ctx context.Context, profileID int64, day string) ([]Usage, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, fmt.Errorf("family: day %q: want YYYY-MM-DD", day)
	}
	if s.activity == nil {
		return nil, ErrNoActivity
	}
	return s.activity.BudgetUsage(ctx, profileID, day)
}

// PolicyProfiles loads every profile and device for the DNS policy.
func (s *Service) PolicyProfiles(ctx context.Context) ([]Profile, []Device, error) {
	return s.store.PolicyProfiles(ctx)
}

// PolicyVersion is a number that changes with every profile, rule,
// network or device change.
func (s *Service) PolicyVersion(ctx context.Context) (int64, error) {
	return s.store.PolicyVersion(ctx)
}

// Age is a child's age in years from the birth year at now: at least 1
// when a birth year is known (so a baby gets the youngest defaults), 0
// when it is not.
func Age(birthYear int, now time.Time) int {
	if birthYear <= 0 {
		return 0
	}
	return max(now.Year()-birthYear, 1)
}

// DefaultBudgets are the daily game limits of Decree 147/2024/NĐ-CP for a
// player under 18: 60 minutes per game, 180 minutes of games a day. An
// unknown age (0) gets them too: a child profile is for a child. From 18,
// none.
func DefaultBudgets(age int) []Budget {
	if age >= 18 {
		return []Budget{}
	}
	return []Budget{{Key: "each:games", Minutes: 60}, {Key: "group:games", Minutes: 180}}
}

// Specs builds the filter profiles of portal profiles and their devices at
// now: Name is the label, Age comes from the birth year, Clients are the
// networks, temporary allows that ended are dropped, and a child profile
// with no budgets of its own (nil) gets DefaultBudgets. Devices of a
// profile not in profiles are ignored.
func Specs(profiles []Profile, devices []Device, now time.Time) []filter.ProfileSpec {
	byProfile := map[int64][]filter.DeviceSpec{}
	for _, d := range devices {
		byProfile[d.ProfileID] = append(byProfile[d.ProfileID], filter.DeviceSpec{ID: d.ID, Label: d.Label,
			Clients: slices.Clone(d.Clients)})
	}
	out := make([]filter.ProfileSpec, 0, len(profiles))
	for _, p := range profiles {
		age := Age(p.BirthYear, now)
		spec := filter.ProfileSpec{
			ID: p.ID, Name: p.Label, Age: age,
			Block: slices.Clone(p.Rules.Block), Allow: slices.Clone(p.Rules.Allow),
			Deny: slices.Clone(p.Rules.Deny), SafeSearch: p.Rules.SafeSearch,
			Clients: slices.Clone(p.Networks), TimeZone: p.TimeZone,
			Devices: byProfile[p.ID],
		}
		if !p.Rules.PausedUntil.IsZero() && p.Rules.PausedUntil.After(now) {
			spec.PausedUntil = p.Rules.PausedUntil
		}
		for _, t := range p.Rules.TempAllows {
			if t.Until.After(now) {
				spec.TempAllow = append(spec.TempAllow, filter.TimedDomain{Domain: t.Domain, Until: t.Until})
			}
		}
		for _, sc := range p.Rules.Schedules {
			spec.Schedules = append(spec.Schedules, filter.ScheduleSpec{Name: sc.Name, Days: slices.Clone(sc.Days),
				From: sc.From, To: sc.To, Block: slices.Clone(sc.Block), AllowOnly: slices.Clone(sc.AllowOnly)})
		}
		budgets := p.Rules.Budgets
		if budgets == nil && p.Kind == KindChild {
			budgets = DefaultBudgets(age)
		}
		for _, b := range budgets {
			spec.Budgets = append(spec.Budgets, filter.BudgetSpec{Key: b.Key, Minutes: b.Minutes})
		}
		out = append(out, spec)
	}
	return out
}

// throttleFail counts a failed attempt of key; the attempt is refused
// whatever happens here, and a failure not counted is logged.
func (s *Service) throttleFail(ctx context.Context, key string, limit int, now time.Time) {
	if err := s.throttle.Fail(ctx, key, limit, now); err != nil {
		s.log.ErrorContext(ctx, "counting a failed parent sign-in", "err", err)
	}
}

// throttleReset forgets key's failures.
func (s *Service) throttleReset(ctx context.Context, key string) {
	if err := s.throttle.Reset(ctx, key); err != nil {
		s.log.ErrorContext(ctx, "resetting the parent sign-in throttle", "err", err)
	}
}
