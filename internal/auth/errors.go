package auth

import (
	"errors"
	"fmt"
	"time"
)

// Errors returned by the service; test them with errors.Is.
var (
	// ErrNotFound: no such user or session. Stores return it (wrapped or
	// not) for a missing row.
	ErrNotFound = errors.New("auth: not found")
	// ErrEmailTaken: another account has this e-mail. Stores return it on
	// a unique violation.
	ErrEmailTaken = errors.New("auth: e-mail already used")
	// ErrInvalidCredentials: wrong e-mail or password, or a disabled
	// account; the three are indistinguishable on purpose.
	ErrInvalidCredentials = errors.New("auth: invalid e-mail or password")
	// ErrInvalidCode: the TOTP code is wrong, expired or already used.
	ErrInvalidCode = errors.New("auth: invalid code")
	// ErrNoSession: the token names no live session (unknown, expired,
	// revoked, or at the wrong step).
	ErrNoSession = errors.New("auth: no session")
	// ErrForbidden: the actor's role may not do this.
	ErrForbidden = errors.New("auth: forbidden")
	// ErrInvalidInput: a field is missing or malformed (e-mail, name, role,
	// organisation).
	ErrInvalidInput = errors.New("auth: invalid input")
	// ErrPasswordTooShort and ErrPasswordCommon: the password policy refused
	// a new password.
	ErrPasswordTooShort = errors.New("auth: password too short")
	ErrPasswordCommon   = errors.New("auth: password too common")
	// ErrWrongPassword: ChangePassword's current password is wrong.
	ErrWrongPassword = errors.New("auth: current password is wrong")
)

// ThrottledError says sign-in is locked for a while after repeated
// failures. It matches ErrThrottled.
type ThrottledError struct {
	RetryAfter time.Duration
}

// ErrThrottled matches every *ThrottledError.
var ErrThrottled = errors.New("auth: too many failed attempts")

// Error implements error.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("auth: too many failed attempts; retry in %v", e.RetryAfter.Round(time.Second))
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }
