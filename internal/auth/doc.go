// Package auth signs the ward's staff in and out and manages their
// accounts: roles and organisation scopes, argon2id passwords, TOTP second
// factor (RFC 6238, written here on crypto/hmac), server-side sessions and
// lock-out after repeated failures. Every sign-in, failure, second-factor
// event and account change is written to the audit log.
//
// Sign-in is staged. Authenticate checks the password and returns a
// half-session (StagePassword, or StageEnrol for a user who has not yet set
// up TOTP); VerifyTOTP or EnrolTOTP turns it into a full session with a new
// token. Viewers, who see only aggregates, need no second factor.
//
// The package holds no SQL: Store is implemented by internal/store.
package auth
