package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"manglanh/internal/audit"
)

// Sealer encrypts secrets at rest; *secret.Sealer satisfies it.
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Auditor records security events; *audit.Log satisfies it.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry) error
}

// Config is what NewService needs. Store and Audit are required.
type Config struct {
	Store  Store
	Audit  Auditor
	Clock  func() time.Time // time.Now when nil
	Logger *slog.Logger
	// Sealer encrypts TOTP secrets; without one they are stored in clear
	// (and a warning is logged at start-up).
	Sealer Sealer
	// Issuer names the account in authenticator apps ("Mạng Lành" when empty).
	Issuer string
	// IdleTimeout (30 min) and AbsoluteTimeout (12 h) end full sessions;
	// PendingTimeout (10 min) ends a sign-in stuck between password and code.
	IdleTimeout, AbsoluteTimeout, PendingTimeout time.Duration
	// Hash is argon2id's cost (DefaultHashParams when zero).
	Hash HashParams
	// AccountFailures (5) and IPFailures (20) are how many failures lock an
	// account or a client address. An address is allowed more because a
	// school or ward office signs in from behind one NAT.
	AccountFailures, IPFailures int
	// Throttle keeps the failure counts where every process sees them
	// (*store.Store); nil keeps them in this process's memory.
	Throttle ThrottleStore
}

// Service signs staff in and out and manages their accounts. It is safe for
// concurrent use.
type Service struct {
	cfg       Config
	store     Store
	audit     Auditor
	now       func() time.Time
	log       *slog.Logger
	throttle  *throttle
	hashSem   chan struct{}
	dummyHash string
}

// NewService validates cfg and returns a Service.
func NewService(cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("auth: config has no Store")
	case cfg.Audit == nil:
		return nil, errors.New("auth: config has no Audit: every sign-in must be recorded")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Mạng Lành"
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = 12 * time.Hour
	}
	if cfg.PendingTimeout <= 0 {
		cfg.PendingTimeout = 10 * time.Minute
	}
	if cfg.Hash == (HashParams{}) {
		cfg.Hash = DefaultHashParams
	}
	if cfg.AccountFailures <= 0 {
		cfg.AccountFailures = 5
	}
	if cfg.IPFailures <= 0 {
		cfg.IPFailures = 20
	}
	if cfg.Sealer == nil {
		cfg.Logger.Warn("auth: no encryption key: TOTP secrets are stored in clear")
	}
	s := &Service{cfg: cfg, store: cfg.Store, audit: cfg.Audit, now: cfg.Clock, log: cfg.Logger,
		throttle: newThrottle(cfg.Throttle), hashSem: make(chan struct{}, 2)}
	// Unknown e-mails are checked against this hash so that they take as
	// long as known ones.
	var err error
	if s.dummyHash, err = HashPassword("manglanh-no-such-user", cfg.Hash); err != nil {
		return nil, err
	}
	return s, nil
}

// Actor is who calls an account-management method: the signed-in user (the
// web fills it from the session) or the command line (System).
type Actor struct {
	ID     int64
	Name   string
	Role   Role
	IP     string
	System bool // the manglanh command run by the server's operator
	// TenantID is the actor's ward (0 is read as DefaultTenant). A ward
	// admin manages the accounts of their own ward only; the deployment's
	// own ward admin (DefaultTenant) and the CLI may choose any ward.
	TenantID int64
}

// ChoosesTenant reports whether a may create accounts in any ward: the
// CLI and the admin of the deployment's own ward (the city's office in a
// city deployment).
func (a Actor) ChoosesTenant() bool {
	return a.System || a.Role == RoleWardAdmin && tenantID(a.TenantID) == DefaultTenant
}

// manages reports whether a may manage account u: an admin of u's ward,
// or one who chooses the ward.
func (a Actor) manages(u *User) bool {
	return a.isAdmin() && (a.ChoosesTenant() || TenantOf(u) == tenantID(a.TenantID))
}

// SystemActor is the operator at the server's console (manglanh user …).
var SystemActor = Actor{Name: "manglanh CLI", System: true}

func (a Actor) isAdmin() bool { return a.System || a.Role == RoleWardAdmin }

// NewUser is what AddUser needs.
type NewUser struct {
	Email string
	Name  string
	Role  Role
	OrgID int64
	// TenantID is the ward of the account: 0 is the actor's own ward; only
	// an actor who ChoosesTenant may name another.
	TenantID int64
	Password string
	// MustChangePassword makes the user choose a new password at first
	// sign-in (set it when an administrator chose the password).
	MustChangePassword bool
}

// NormalizeEmail trims and lower-cases an e-mail address.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

func validEmail(e string) bool {
	if len(e) < 3 || len(e) > 254 || strings.ContainsAny(e, " \t\r\n<>\"") {
		return false
	}
	a, err := mail.ParseAddress(e)
	return err == nil && a.Address == e && strings.Count(e, "@") == 1
}

func validName(n string) bool {
	if n == "" || utf8.RuneCountInString(n) > 100 || !utf8.ValidString(n) {
		return false
	}
	return strings.IndexFunc(n, unicode.IsControl) < 0
}

// AddUser creates an account. Only a ward admin (or the CLI) may.
func (s *Service) AddUser(ctx context.Context, actor Actor, in NewUser) (*User, error) {
	if !actor.isAdmin() {
		return nil, ErrForbidden
	}
	in.Email, in.Name = NormalizeEmail(in.Email), strings.TrimSpace(in.Name)
	switch {
	case !validEmail(in.Email):
		return nil, fmt.Errorf("%w: e-mail", ErrInvalidInput)
	case !validName(in.Name):
		return nil, fmt.Errorf("%w: name", ErrInvalidInput)
	case !in.Role.Valid():
		return nil, fmt.Errorf("%w: role %q", ErrInvalidInput, in.Role)
	case in.Role.NeedsOrg() && in.OrgID <= 0:
		return nil, fmt.Errorf("%w: role %s needs an organisation", ErrInvalidInput, in.Role)
	case !in.Role.NeedsOrg() && in.OrgID != 0:
		return nil, fmt.Errorf("%w: role %s has no organisation", ErrInvalidInput, in.Role)
	case in.TenantID < 0:
		return nil, fmt.Errorf("%w: tenant", ErrInvalidInput)
	}
	if in.TenantID == 0 {
		in.TenantID = tenantID(actor.TenantID)
	}
	if in.TenantID != tenantID(actor.TenantID) && !actor.ChoosesTenant() {
		return nil, ErrForbidden
	}
	if in.Role == RoleCity && !actor.ChoosesTenant() {
		return nil, ErrForbidden
	}
	if err := CheckPasswordPolicy(in.Password); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	u := &User{Email: in.Email, Name: in.Name, Role: in.Role, OrgID: in.OrgID, TenantID: in.TenantID, PasswordHash: hash,
		MustChangePassword: in.MustChangePassword, CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, ErrEmailTaken) {
			return nil, ErrEmailTaken
		}
		return nil, fmt.Errorf("creating user: %w", err)
	}
	detail := "role=" + string(u.Role) + orgDetail(u.OrgID)
	if u.TenantID != DefaultTenant {
		detail += " tenant=" + strconv.FormatInt(u.TenantID, 10)
	}
	if err := s.record(ctx, actor, "user.create", u.ID, detail); err != nil {
		return nil, err
	}
	return sanitized(u), nil
}

func orgDetail(org int64) string {
	if org == 0 {
		return ""
	}
	return " org=" + strconv.FormatInt(org, 10)
}

// ListUsers returns every account (without hashes or secrets). Only a ward
// admin may.
func (s *Service) ListUsers(ctx context.Context, actor Actor) ([]User, error) {
	if !actor.isAdmin() {
		return nil, ErrForbidden
	}
	us, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing users: %w", err)
	}
	out := us[:0]
	for i := range us {
		if actor.manages(&us[i]) {
			out = append(out, *sanitized(&us[i]))
		}
	}
	return out, nil
}

// UserByEmail returns one account (without hash or secret). Only a ward
// admin may.
func (s *Service) UserByEmail(ctx context.Context, actor Actor, email string) (*User, error) {
	if !actor.isAdmin() {
		return nil, ErrForbidden
	}
	u, err := s.store.UserByEmail(ctx, NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if !actor.manages(u) {
		return nil, ErrNotFound
	}
	return sanitized(u), nil
}

// ResetPassword sets a temporary password that the user must change at the
// next sign-in, and ends every session of theirs. Only a ward admin may.
func (s *Service) ResetPassword(ctx context.Context, actor Actor, userID int64, temporary string) error {
	if !actor.isAdmin() {
		return ErrForbidden
	}
	if err := CheckPasswordPolicy(temporary); err != nil {
		return err
	}
	u, err := s.managed(ctx, actor, userID)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = s.hash(ctx, temporary); err != nil {
		return err
	}
	u.MustChangePassword = true
	u.PasswordChangedAt = s.now().UTC()
	if err := s.saveAndRevoke(ctx, u); err != nil {
		return err
	}
	s.unthrottle(ctx, "acct:"+u.Email)
	return s.record(ctx, actor, "user.password_reset", u.ID, "")
}

// ResetTOTP removes a user's second factor (a lost phone): they enrol again
// at the next sign-in. Their sessions end. Only a ward admin may.
func (s *Service) ResetTOTP(ctx context.Context, actor Actor, userID int64) error {
	if !actor.isAdmin() {
		return ErrForbidden
	}
	u, err := s.managed(ctx, actor, userID)
	if err != nil {
		return err
	}
	u.TOTPSecret, u.TOTPEnabled = nil, false
	if err := s.saveAndRevoke(ctx, u); err != nil {
		return err
	}
	return s.record(ctx, actor, "user.totp_reset", u.ID, "")
}

// DisableUser disables (or, with disabled false, re-enables) an account;
// disabling ends its sessions. An admin cannot disable themself.
func (s *Service) DisableUser(ctx context.Context, actor Actor, userID int64, disabled bool) error {
	if !actor.isAdmin() {
		return ErrForbidden
	}
	if disabled && !actor.System && actor.ID == userID {
		return fmt.Errorf("%w: cannot disable yourself", ErrInvalidInput)
	}
	u, err := s.managed(ctx, actor, userID)
	if err != nil {
		return err
	}
	u.Disabled = disabled
	if err := s.saveAndRevoke(ctx, u); err != nil {
		return err
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	return s.record(ctx, actor, action, u.ID, "")
}

// managed reads account userID for actor: ErrNotFound when it is another
// ward's and actor manages only their own.
func (s *Service) managed(ctx context.Context, actor Actor, userID int64) (*User, error) {
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !actor.manages(u) {
		return nil, ErrNotFound
	}
	return u, nil
}

func (s *Service) saveAndRevoke(ctx context.Context, u *User) error {
	u.UpdatedAt = s.now().UTC()
	if err := s.store.UpdateUser(ctx, u); err != nil {
		return fmt.Errorf("updating user %d: %w", u.ID, err)
	}
	if _, err := s.store.DeleteUserSessions(ctx, u.ID); err != nil {
		return fmt.Errorf("revoking sessions of user %d: %w", u.ID, err)
	}
	return nil
}

// hash runs argon2id with at most two hashes at once: each takes its
// parameter's memory (19 MiB by default), so a burst of sign-ins cannot
// exhaust a small machine.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	if err := s.acquire(ctx); err != nil {
		return "", err
	}
	defer s.release()
	return HashPassword(password, s.cfg.Hash)
}

func (s *Service) verify(ctx context.Context, password, encoded string) (bool, error) {
	if err := s.acquire(ctx); err != nil {
		return false, err
	}
	defer s.release()
	return VerifyPassword(password, encoded)
}

func (s *Service) acquire(ctx context.Context) error {
	select {
	case s.hashSem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) release() { <-s.hashSem }

// record writes an audit entry about user id by actor.
func (s *Service) record(ctx context.Context, actor Actor, action string, userID int64, detail string) error {
	name := actor.Name
	role := string(actor.Role)
	if actor.System {
		role = "system"
	}
	e := audit.Entry{ActorID: actor.ID, ActorName: name, ActorRole: role, Action: action,
		ObjectType: "user", Detail: detail, IP: actor.IP}
	if userID != 0 {
		e.ObjectID = strconv.FormatInt(userID, 10)
	}
	if err := s.audit.Record(ctx, e); err != nil {
		return fmt.Errorf("auditing %s: %w", action, err)
	}
	return nil
}

// sanitized returns a copy of u without its password hash and TOTP secret.
func sanitized(u *User) *User {
	c := *u
	c.PasswordHash, c.TOTPSecret = "", nil
	return &c
}

// ActorOf returns u as an Actor calling from ip.
func ActorOf(u *User, ip string) Actor {
	return Actor{ID: u.ID, Name: u.Name, Role: u.Role, IP: ip, TenantID: u.TenantID}
}
