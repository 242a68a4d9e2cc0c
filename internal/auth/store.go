package auth

import (
	"context"
	"time"
)

// User is a staff account.
type User struct {
	ID    int64
	Email string // lower case, unique
	Name  string
	Role  Role
	OrgID int64 // the school or union for RoleSchool and RoleOrg; 0 otherwise
	// TenantID is the account's ward in a city deployment (0 is read as
	// DefaultTenant, the deployment's own ward). A ward's staff see only
	// their ward; a city account (RoleCity) sees the wards' aggregates.
	TenantID int64

	PasswordHash string // argon2id, PHC encoding
	// MustChangePassword is set by a reset: the user must choose a new
	// password before anything else.
	MustChangePassword bool
	Disabled           bool

	// TOTPSecret is the second-factor key as stored: sealed by the
	// service's Sealer when it has one (first byte = key id, 1–255), or the
	// byte 0 followed by the plain key. Nil when none was ever issued.
	TOTPSecret []byte
	// TOTPEnabled is set once the user proved the app works by entering a
	// code; until then the secret is only pending.
	TOTPEnabled bool
	// TOTPLastStep is the last time step whose code was accepted; codes of
	// that step and earlier are refused (no replay).
	TOTPLastStep int64

	CreatedAt         time.Time
	UpdatedAt         time.Time
	PasswordChangedAt time.Time
	LastLoginAt       time.Time
}

// Stage is how far a session has come through sign-in.
type Stage string

// The stages. A session is usable for pages only at StageFull.
const (
	StagePassword Stage = "password" // password accepted; a TOTP code is due
	StageEnrol    Stage = "enrol"    // password accepted; TOTP must be set up first
	StageFull     Stage = "full"
)

// Session is a signed-in browser. Only the SHA-256 of the token is stored.
type Session struct {
	TokenHash string // hex SHA-256 of the cookie token
	UserID    int64
	Stage     Stage
	CreatedAt time.Time
	LastSeen  time.Time
	IP        string
}

// Store persists users and sessions. internal/store implements it on SQLite
// and PostgreSQL. Missing rows are ErrNotFound (wrapped or not).
type Store interface {
	// CreateUser inserts u and sets u.ID; ErrEmailTaken if the e-mail is used.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser writes every field of u but ID, Email and CreatedAt.
	UpdateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// ListUsers returns every user ordered by e-mail.
	ListUsers(ctx context.Context) ([]User, error)
	// UseTOTPStep sets the user's TOTPLastStep to step if it is lower and
	// reports whether it did, atomically, so that two requests carrying the
	// same code cannot both pass.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)

	// ReplaceRecoveryCodes deletes every recovery code of the user and
	// stores hashes (hex SHA-256) as the new set, atomically.
	ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, at time.Time) error
	// UseRecoveryCode marks the user's unused code with hash used and
	// reports whether it did, atomically (a code passes once).
	UseRecoveryCode(ctx context.Context, userID int64, hash string, at time.Time) (bool, error)
	// RecoveryCodesLeft counts the user's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)

	CreateSession(ctx context.Context, s *Session) error
	SessionByHash(ctx context.Context, hash string) (*Session, error)
	// TouchSession sets the session's LastSeen.
	TouchSession(ctx context.Context, hash string, at time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	// DeleteUserSessions deletes every session of the user and returns how many.
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	// PurgeSessions deletes sessions last seen before idle or created before
	// created, and returns how many.
	PurgeSessions(ctx context.Context, idle, created time.Time) (int64, error)
}
