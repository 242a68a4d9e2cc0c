package cases

import (
	"errors"
	"fmt"
)

// Errors returned by the service. Callers test them with errors.Is.
var (
	// ErrNotFound: no such case, or one the actor's scope does not cover
	// (the two are indistinguishable on purpose, so existence does not leak).
	ErrNotFound = errors.New("case not found")
	// ErrForbidden: the actor's role may never do this.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalidTransition: the action is not allowed from the case's status.
	ErrInvalidTransition = errors.New("invalid transition")
	// ErrConflict: the case changed since it was read (the store's version
	// check failed); reload and retry.
	ErrConflict = errors.New("case changed concurrently")
	// ErrCodeTaken: a store reports a tracking code already in use; the
	// service then draws another.
	ErrCodeTaken = errors.New("tracking code already in use")
)

// TransitionError says which action was refused from which status. It
// matches ErrInvalidTransition with errors.Is.
type TransitionError struct {
	Action Action
	From   Status
}

// Error implements error.
func (e *TransitionError) Error() string {
	return fmt.Sprintf("invalid transition: %s from %s", e.Action, e.From)
}

// Is makes errors.Is(err, ErrInvalidTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// Message returns a message for users in lang ("vi" by default, or "en").
func (e *TransitionError) Message(lang string) string {
	if lang == "en" {
		return fmt.Sprintf("This step cannot be done while the case is %q.", StaffStatusLabel(e.From, "en"))
	}
	return fmt.Sprintf("Không thể thực hiện bước này khi vụ việc đang ở trạng thái %q.", StaffStatusLabel(e.From, "vi"))
}

// ValidationError names the field that failed and says why, in Vietnamese
// and English. Field uses the Go field path, e.g. "Sensitive.EvidenceLinks[2]".
type ValidationError struct {
	Field string
	Vi    string
	En    string
}

// Error implements error; it carries the English message for logs.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("invalid %s: %s", e.Field, e.En)
}

// Message returns the message for users in lang ("vi" by default, or "en").
func (e *ValidationError) Message(lang string) string {
	if lang == "en" {
		return e.En
	}
	return e.Vi
}

func invalid(field, vi, en string) *ValidationError {
	return &ValidationError{Field: field, Vi: vi, En: en}
}
