package family

import (
	"context"
	"errors"
	"time"
)

// ErrTooManyRequests is returned when a child has asked to allow too many
// sites within the last hour (MaxRequestsPerHour).
var ErrTooManyRequests = errors.New("family: too many allow requests this hour")

// ErrAlreadyDecided is returned when a parent decides a request that is no
// longer pending (decided in another tab, or by the other parent).
var ErrAlreadyDecided = errors.New("family: request already decided")

// MaxRequestsPerHour caps a profile's new allow requests per hour, so a
// child pressing the button in a loop cannot flood the parent.
const MaxRequestsPerHour = 10

// RequestStore keeps children's allow requests; *store.Store satisfies it.
type RequestStore interface {
	// AddAllowRequest stores r as pending unless the profile already has a
	// pending request for r.Domain (r is then filled with that one and
	// created is false) or made max requests since since
	// (ErrTooManyRequests). It sets r.ID.
	AddAllowRequest(ctx context.Context, r *AllowRequest, since time.Time, max int) (created bool, err error)
	// AllowRequests returns the requests of the profiles, newest first;
	// status "" means every status.
	AllowRequests(ctx context.Context, profileIDs []int64, status RequestStatus, limit int) ([]AllowRequest, error)
	// GetAllowRequest returns one request or ErrNotFound.
	GetAllowRequest(ctx context.Context, id int64) (*AllowRequest, error)
	// DecideAllowRequest sets a pending request's status, end and decision
	// time; ErrAlreadyDecided when it is not pending.
	DecideAllowRequest(ctx context.Context, id int64, status RequestStatus, until, at time.Time) error
}
