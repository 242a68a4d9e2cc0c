package cases

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Actions that record a step without changing the status.
const (
	ActionAssign         Action = "assign"
	ActionRefer          Action = "refer"
	ActionReferralUpdate Action = "referral_update"
)

// update is transition's sibling for steps that keep the status: it loads
// the case within a's scope, lets apply change it, appends a step, stores
// and audits.
func (s *Service) update(ctx context.Context, a Actor, id int64, act Action,
	apply func(c *Case, now time.Time) (note string, err error)) (*Case, error) {
	c, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	note, err := apply(c, now)
	if err != nil {
		return nil, err
	}
	c.UpdatedAt = now
	c.Steps = append(c.Steps, step(a, now, act, c.Status, c.Status, note))
	if err := s.store.UpdateCase(ctx, c); err != nil {
		return nil, fmt.Errorf("storing case %d after %s: %w", id, act, err)
	}
	if err := s.audit.Record(ctx, a, string(act), id, note); err != nil {
		s.log.ErrorContext(ctx, "audit failed", "case", id, "err", err)
	}
	return c, nil
}

// Assign makes user assigneeID responsible for case id. Only ward admins
// assign. The web layer offers only staff users; this package does not
// know the user directory.
func (s *Service) Assign(ctx context.Context, a Actor, id, assigneeID int64) error {
	if err := checkActor(a); err != nil {
		return err
	}
	if a.Role != RoleWardAdmin {
		return ErrForbidden
	}
	if assigneeID <= 0 {
		return invalid("AssigneeID", "Vui lòng chọn người phụ trách.", "Please choose who is responsible.")
	}
	c, err := s.update(ctx, a, id, ActionAssign, func(c *Case, now time.Time) (string, error) {
		if c.Status == StatusClosed {
			return "", &TransitionError{Action: ActionAssign, From: c.Status}
		}
		c.AssigneeID = assigneeID
		return fmt.Sprintf("assignee %d", assigneeID), nil
	})
	if err == nil {
		e := eventFor(c, EventAssigned)
		e.ToUserID = assigneeID
		s.notify(ctx, e)
	}
	return err
}

// roleForAgency is the role of a receiving organisation's users.
func roleForAgency(kind string) string {
	switch kind {
	case AgencyPolice:
		return RolePolice
	case AgencySchool:
		return RoleSchool
	case AgencyHotline111:
		return ""
	}
	return RoleOrg
}

// Refer refers case id to another agency and returns the referral's id.
// Officers and ward admins refer. Without recorded consent an override
// reason is required. Only one live referral per organisation.
func (s *Service) Refer(ctx context.Context, a Actor, id int64, r Referral) (int64, error) {
	if err := checkActor(a); err != nil {
		return 0, err
	}
	if a.Role != RoleOfficer && a.Role != RoleWardAdmin {
		return 0, ErrForbidden
	}
	if err := oneOf("AgencyKind", r.AgencyKind, AgencyKinds()); err != nil {
		return 0, err
	}
	if r.OrgID < 0 || (r.OrgID == 0 && r.AgencyKind != AgencyHotline111 && r.AgencyKind != AgencyOther && r.AgencyKind != AgencyPolice) {
		return 0, invalid("OrgID", "Vui lòng chọn cơ quan, tổ chức nhận chuyển gửi.", "Please choose the receiving organisation.")
	}
	var err error
	if r.OverrideReason, err = cleanText("OverrideReason", r.OverrideReason, maxText, true); err != nil {
		return 0, err
	}
	if r.Note, err = cleanText("Note", r.Note, maxText, true); err != nil {
		return 0, err
	}
	if !r.ConsentRecorded && r.OverrideReason == "" {
		return 0, invalid("OverrideReason",
			"Chưa ghi nhận sự đồng ý: phải nêu lý do chuyển gửi không cần đồng ý (ví dụ: vì lợi ích tốt nhất của trẻ, vụ việc hình sự).",
			"No consent recorded: give the reason for referring without it (for example, the child's best interests, a criminal matter).")
	}
	var idx int
	c, err := s.update(ctx, a, id, ActionRefer, func(c *Case, now time.Time) (string, error) {
		if c.Status == StatusClosed {
			return "", &TransitionError{Action: ActionRefer, From: c.Status}
		}
		for _, old := range c.Referrals {
			if old.AgencyKind == r.AgencyKind && old.OrgID == r.OrgID && (old.Status == ReferralPending || old.Status == ReferralAccepted) {
				return "", invalid("OrgID", "Vụ việc đã được chuyển gửi tới tổ chức này.", "The case is already referred to this organisation.")
			}
		}
		ref := Referral{AgencyKind: r.AgencyKind, OrgID: r.OrgID, Status: ReferralPending,
			ConsentRecorded: r.ConsentRecorded, OverrideReason: r.OverrideReason, Note: r.Note,
			ReferredAt: now, ReferredByID: a.UserID}
		c.Referrals = append(c.Referrals, ref)
		idx = len(c.Referrals) - 1
		return fmt.Sprintf("referred to %s %d (consent %t)", r.AgencyKind, r.OrgID, r.ConsentRecorded), nil
	})
	if err != nil {
		return 0, err
	}
	if role := roleForAgency(r.AgencyKind); role != "" {
		e := eventFor(c, EventReferred)
		e.ToRole, e.ToOrgID = role, r.OrgID
		s.notify(ctx, e)
	}
	return c.Referrals[idx].ID, nil
}

// RespondReferral moves referral refID of case caseID to status: accepted,
// rejected or done by a user of the receiving organisation (accepted and
// rejected from pending, done from accepted); revoked by an officer or
// ward admin (from pending or accepted). A referral the actor cannot see
// is ErrNotFound.
func (s *Service) RespondReferral(ctx context.Context, a Actor, caseID, refID int64, status ReferralStatus, note string) error {
	if err := checkActor(a); err != nil {
		return err
	}
	receiver := a.Role == RolePolice || a.Role == RoleSchool || a.Role == RoleOrg
	officer := a.Role == RoleOfficer || a.Role == RoleWardAdmin
	var from []ReferralStatus
	switch {
	case status == ReferralRevoked && officer:
		from = []ReferralStatus{ReferralPending, ReferralAccepted}
	case (status == ReferralAccepted || status == ReferralRejected) && receiver:
		from = []ReferralStatus{ReferralPending}
	case status == ReferralDone && receiver:
		from = []ReferralStatus{ReferralAccepted}
	case status == ReferralPending || !(officer || receiver):
		return ErrForbidden
	default:
		if status.valid() {
			return ErrForbidden
		}
		return invalid("Status", "Trạng thái chuyển gửi không hợp lệ.", "Invalid referral status.")
	}
	n, err := cleanText("Note", note, maxText, true)
	if err != nil {
		return err
	}
	var ref Referral
	c, err := s.update(ctx, a, caseID, ActionReferralUpdate, func(c *Case, now time.Time) (string, error) {
		i := slices.IndexFunc(c.Referrals, func(r Referral) bool { return r.ID == refID })
		if i < 0 || (receiver && !receiverOf(a, c.Referrals[i])) {
			return "", ErrNotFound
		}
		r := &c.Referrals[i]
		if !slices.Contains(from, r.Status) {
			return "", fmt.Errorf("referral %d is %s, cannot become %s: %w", refID, r.Status, status, ErrInvalidTransition)
		}
		old := r.Status
		r.Status = status
		if status == ReferralRevoked {
			r.RevokedAt, r.RevokedByID = now, a.UserID
		} else {
			r.RespondedAt, r.RespondedByID, r.ResponseNote = now, a.UserID, n
		}
		ref = *r
		return fmt.Sprintf("referral %d %s -> %s", refID, old, status), nil
	})
	if err != nil {
		return err
	}
	if receiver {
		s.notify(ctx, toAssignee(c, eventFor(c, EventReferralUpdated)))
	} else if role := roleForAgency(ref.AgencyKind); role != "" {
		e := eventFor(c, EventReferralUpdated)
		e.ToRole, e.ToOrgID = role, ref.OrgID
		s.notify(ctx, e)
	}
	return nil
}

func (s ReferralStatus) valid() bool {
	switch s {
	case ReferralPending, ReferralAccepted, ReferralRejected, ReferralDone, ReferralRevoked:
		return true
	}
	return false
}

// receiverOf reports whether a is a user of r's receiving organisation.
func receiverOf(a Actor, r Referral) bool {
	switch a.Role {
	case RolePolice:
		return r.AgencyKind == AgencyPolice && (r.OrgID == 0 || r.OrgID == a.OrgID)
	case RoleSchool:
		return r.AgencyKind == AgencySchool && a.OrgID != 0 && r.OrgID == a.OrgID
	case RoleOrg:
		return slices.Contains(orgAgencies, r.AgencyKind) && a.OrgID != 0 && r.OrgID == a.OrgID
	}
	return false
}
