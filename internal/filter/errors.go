package filter

import "strings"

// LocalizedError is one problem in a policy, worded for the person who wrote
// it, in Vietnamese and English. Error returns the English text with the
// profile and field, for logs; Message returns the text for a user.
type LocalizedError struct {
	Profile string // profile name, "" for the policy as a whole
	Field   string // field path, e.g. "Block" or "Schedules[1].From"
	Vi      string // Vietnamese message, without the profile and field
	En      string // English message, without the profile and field
}

// Error returns the English message with its context, lower-case first.
func (e *LocalizedError) Error() string {
	var b strings.Builder
	if e.Profile != "" {
		b.WriteString("profile " + quote(e.Profile) + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.En)
	return b.String()
}

// Message returns the message with its context in lang ("en" for English,
// anything else for Vietnamese, the default).
func (e *LocalizedError) Message(lang string) string {
	if lang == "en" {
		return e.Error()
	}
	var b strings.Builder
	if e.Profile != "" {
		b.WriteString("hồ sơ " + quote(e.Profile) + ": ")
	}
	if e.Field != "" {
		b.WriteString("mục " + e.Field + ": ")
	}
	b.WriteString(e.Vi)
	return b.String()
}

func quote(s string) string { return "\u201c" + s + "\u201d" }

// ValidationError lists every problem Compile found, so a user can fix them
// all at once. errors.As finds it; each entry is a *LocalizedError.
type ValidationError struct {
	Errors []*LocalizedError
}

// Error joins the English messages.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, le := range e.Errors {
		parts[i] = le.Error()
	}
	return "invalid policy: " + strings.Join(parts, "; ")
}

// Message joins the messages in lang, one a line.
func (e *ValidationError) Message(lang string) string {
	parts := make([]string, len(e.Errors))
	for i, le := range e.Errors {
		parts[i] = le.Message(lang)
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the individual errors.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, le := range e.Errors {
		out[i] = le
	}
	return out
}
