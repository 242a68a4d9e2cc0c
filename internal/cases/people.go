package cases

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// StaffMember is a staff account as the case workflow sees it: enough to
// choose an assignee by name and role. internal/store reads it from the
// accounts.
type StaffMember struct {
	ID     int64
	Name   string
	Role   string
	OrgID  int64
	Active bool // enabled account
	// TenantID is the account's ward (0 is read as DefaultTenant).
	TenantID int64
}

// People lists staff accounts. internal/store implements it.
type People interface {
	// StaffMember returns account id, or ErrNotFound.
	StaffMember(ctx context.Context, id int64) (StaffMember, error)
	// StaffMembers returns every account, by name.
	StaffMembers(ctx context.Context) ([]StaffMember, error)
}

// assignableRoles are the roles a case may be assigned to: those whose
// scope lets them see a case assigned to them.
var assignableRoles = []string{RoleOfficer, RoleWardAdmin, RoleChairman, RolePolice}

// Assignable reports whether m may be made responsible for a case: an
// active account whose role sees the cases assigned to it.
func Assignable(m StaffMember) bool {
	return m.Active && m.ID > 0 && slices.Contains(assignableRoles, m.Role)
}

// Assignees lists who a ward admin may assign cases to, by name.
func (s *Service) Assignees(ctx context.Context, a Actor) ([]StaffMember, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	all, err := s.staffMembers(ctx, a)
	if err != nil {
		return nil, err
	}
	var out []StaffMember
	for _, m := range all {
		if Assignable(m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// StaffNames maps every account id to its name, for histories: a step
// names its actor, but an assignee is an id. Roles with case scope only.
func (s *Service) StaffNames(ctx context.Context, a Actor) (map[int64]string, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	all, err := s.staffMembers(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(all))
	for _, m := range all {
		out[m.ID] = m.Name
	}
	return out, nil
}

// staffMembers lists the accounts of a's ward.
func (s *Service) staffMembers(ctx context.Context, a Actor) ([]StaffMember, error) {
	if s.people == nil {
		return nil, nil
	}
	all, err := s.people.StaffMembers(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing staff: %w", err)
	}
	var out []StaffMember
	for _, m := range all {
		if tenantID(m.TenantID) == TenantOf(a) {
			out = append(out, m)
		}
	}
	return out, nil
}

// checkAssignee refuses an id that names no active assignable account.
func (s *Service) checkAssignee(ctx context.Context, a Actor, id int64) error {
	if id <= 0 {
		return invalid("AssigneeID", "Vui lòng chọn người phụ trách.", "Please choose who is responsible.")
	}
	unknown := invalid("AssigneeID",
		fmt.Sprintf("Không có cán bộ #%d có thể phụ trách hồ sơ: hãy chọn người trong danh sách.", id),
		fmt.Sprintf("There is no staff member #%d who can be responsible for a case: choose one from the list.", id))
	if s.people == nil {
		return unknown
	}
	m, err := s.people.StaffMember(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return unknown
	}
	if err != nil {
		return fmt.Errorf("reading staff member %d: %w", id, err)
	}
	if !Assignable(m) || tenantID(m.TenantID) != TenantOf(a) {
		return unknown
	}
	return nil
}

// StaffDirectory lists every account (active or not) for a case worker:
// the referral form uses it to say which organisations have nobody to
// receive a referral.
func (s *Service) StaffDirectory(ctx context.Context, a Actor) ([]StaffMember, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !IsCaseWorker(a.Role) {
		return nil, ErrForbidden
	}
	return s.staffMembers(ctx, a)
}
