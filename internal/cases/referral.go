package cases

import (
	"context"
	"errors"
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
// the case within a's scope, lets apply change it and fill in the step's
// typed fields, appends the step, stores and audits with apply's detail.
func (s *Service) update(ctx context.Context, a Actor, id int64, act Action,
	apply func(c *Case, now time.Time, st *Step) (detail string, err error)) (*Case, error) {
	return s.updateAudited(ctx, a, id, act, string(act), false, apply)
}

// updateAudited is update with the audit action named, and, with
// mustAudit, the audit written before the case and required: an action
// that shares content (the 111 hand-off) must not happen unlogged.
func (s *Service) updateAudited(ctx context.Context, a Actor, id int64, act Action, auditAction string, mustAudit bool,
	apply func(c *Case, now time.Time, st *Step) (detail string, err error)) (*Case, error) {
	c, err := s.load(ctx, a, id)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	st := step(a, now, act, c.Status, c.Status, "")
	detail, err := apply(c, now, &st)
	if err != nil {
		return nil, err
	}
	if mustAudit {
		if err := s.audit.Record(ctx, a, auditAction, id, detail); err != nil {
			return nil, fmt.Errorf("recording %s of case %d: %w", act, id, err)
		}
	}
	c.UpdatedAt = now
	c.Steps = append(c.Steps, st)
	if err := s.store.UpdateCase(ctx, c); err != nil {
		return nil, fmt.Errorf("storing case %d after %s: %w", id, act, err)
	}
	if !mustAudit {
		if err := s.audit.Record(ctx, a, auditAction, id, detail); err != nil {
			s.log.ErrorContext(ctx, "audit failed", "case", id, "err", err)
		}
	}
	return c, nil
}

// Assign makes user assigneeID responsible for case id. Only ward admins
// assign, and only to an active account whose role sees assigned cases
// (see Assignable); any other id is refused with a ValidationError.
func (s *Service) Assign(ctx context.Context, a Actor, id, assigneeID int64) error {
	if err := checkActor(a); err != nil {
		return err
	}
	if !Can(a, nil, PermAssign) {
		return ErrForbidden
	}
	if err := s.checkAssignee(ctx, a, assigneeID); err != nil {
		return err
	}
	c, err := s.update(ctx, a, id, ActionAssign, func(c *Case, now time.Time, st *Step) (string, error) {
		if c.Status == StatusClosed {
			return "", &TransitionError{Action: ActionAssign, From: c.Status}
		}
		c.AssigneeID = assigneeID
		st.AssigneeID = assigneeID
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

// Refer refers case id to an organisation of the directory (r.OrgID), or
// to Tổng đài 111 (r.AgencyKind hotline_111, no OrgID), and returns the
// stored referral with its delivery state. Officers and ward admins refer.
// The agency kind is the organisation's; a kind given that differs is
// refused, and so is an id not in the directory or inactive. Without
// recorded consent an override reason is required. Only one live referral
// per organisation. The receiving organisation's active accounts get a
// notice (and its directory address an e-mail); the referral records how
// many, or DeliveryNobody when nobody received it.
func (s *Service) Refer(ctx context.Context, a Actor, id int64, r Referral) (Referral, error) {
	if err := checkActor(a); err != nil {
		return Referral{}, err
	}
	if !Can(a, nil, PermRefer) {
		return Referral{}, ErrForbidden
	}
	if r.AgencyKind != "" {
		if err := oneOf("AgencyKind", r.AgencyKind, AgencyKinds()); err != nil {
			return Referral{}, err
		}
	}
	var org *Organisation
	switch {
	case r.AgencyKind == AgencyHotline111:
		if r.OrgID != 0 {
			return Referral{}, invalid("OrgID", "Tổng đài 111 không phải một tổ chức trong danh bạ.", "Tổng đài 111 is not an organisation of the directory.")
		}
	case r.OrgID <= 0:
		return Referral{}, invalid("OrgID", "Vui lòng chọn cơ quan, tổ chức nhận chuyển gửi.", "Please choose the receiving organisation.")
	default:
		o, err := s.org(ctx, r.OrgID)
		if errors.Is(err, ErrOrgNotFound) {
			return Referral{}, unknownOrg("OrgID", r.OrgID)
		}
		if err != nil {
			return Referral{}, err
		}
		if !o.Active {
			return Referral{}, invalid("OrgID", "Tổ chức này đã ngừng hoạt động trong danh bạ: hãy chọn tổ chức khác.",
				"This organisation is inactive in the directory: choose another.")
		}
		if r.AgencyKind != "" && r.AgencyKind != o.Kind {
			return Referral{}, invalid("AgencyKind", "Loại cơ quan không khớp với tổ chức đã chọn.", "The agency kind does not match the organisation chosen.")
		}
		r.AgencyKind, org = o.Kind, o
	}
	var err error
	if r.OverrideReason, err = cleanText("OverrideReason", r.OverrideReason, maxText, true); err != nil {
		return Referral{}, err
	}
	if r.Note, err = cleanText("Note", r.Note, maxText, true); err != nil {
		return Referral{}, err
	}
	if !r.ConsentRecorded && r.OverrideReason == "" {
		return Referral{}, invalid("OverrideReason",
			"Chưa ghi nhận sự đồng ý: phải nêu lý do chuyển gửi không cần đồng ý (ví dụ: vì lợi ích tốt nhất của trẻ, vụ việc hình sự).",
			"No consent recorded: give the reason for referring without it (for example, the child's best interests, a criminal matter).")
	}
	var idx int
	c, err := s.update(ctx, a, id, ActionRefer, func(c *Case, now time.Time, st *Step) (string, error) {
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
		st.OrgID, st.AgencyKind, st.ReferralTo, st.Consent = r.OrgID, r.AgencyKind, ReferralPending, r.ConsentRecorded
		return fmt.Sprintf("referred to %s %d (consent %t)", r.AgencyKind, r.OrgID, r.ConsentRecorded), nil
	})
	if err != nil {
		return Referral{}, err
	}
	ref := &c.Referrals[idx]
	if role := roleForAgency(r.AgencyKind); role == "" {
		ref.Delivery = DeliveryManual
	} else {
		e := eventFor(c, EventReferred)
		e.ToRole, e.ToOrgID = role, r.OrgID
		if org != nil {
			e.ToEmail = org.Email
		}
		var d Delivery
		d, ref.Delivery = s.deliver(ctx, e)
		ref.DeliveredAccounts, ref.DeliveredEmails = d.Accounts, d.Emails
	}
	// The referral step is the last one: it learns the delivery too. The
	// step is already stored (steps never change), so the state is kept
	// on the referral, which is updated in place.
	if ref.Delivery != DeliveryUnknown {
		if err := s.store.UpdateCase(ctx, c); err != nil {
			s.log.ErrorContext(ctx, "storing referral delivery", "case", id, "referral", ref.ID, "err", err)
			ref.Delivery = DeliveryUnknown
		}
	}
	return *ref, nil
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
	c, err := s.update(ctx, a, caseID, ActionReferralUpdate, func(c *Case, now time.Time, st *Step) (string, error) {
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
		st.ReferralID, st.OrgID, st.AgencyKind, st.ReferralFrom, st.ReferralTo = r.ID, r.OrgID, r.AgencyKind, old, status
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
