package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// maxPlanRows is how many task rows the plan form offers.
const maxPlanRows = 5

// caseAction applies one workflow step, referral or assignment to a case
// through the cases service, which authorises it and records it. On a
// problem the case page is shown again with the reason.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	id := caseID(r)
	if id == 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	a, ctx := actorOf(u), r.Context()
	v := func(k string) string { return r.PostFormValue(k) }
	svc := s.cfg.Cases
	var err error
	switch r.PathValue("action") {
	case string(cases.ActionAssess):
		err = svc.Assess(ctx, a, id, cases.Assessment{RiskLevel: v("risk_level"), Emergency: v("emergency") == "yes", Notes: v("notes")})
	case string(cases.ActionEmergency):
		err = svc.RecordEmergencyAction(ctx, a, id, v("action"))
	case string(cases.ActionNeedsAssessment):
		err = svc.RecordNeedsAssessment(ctx, a, id, cases.NeedsAssessment{ChildViews: v("child_views"), Notes: v("notes")})
	case string(cases.ActionSubmitPlan):
		var items []cases.PlanItem
		items, err = s.planItems(r)
		if err == nil {
			err = svc.SubmitPlan(ctx, a, id, items, v("notes"))
		}
	case string(cases.ActionApprove):
		err = svc.Approve(ctx, a, id, v("note"))
	case string(cases.ActionRejectPlan):
		err = svc.RejectPlan(ctx, a, id, v("reason"))
	case string(cases.ActionStart):
		err = svc.StartImplementation(ctx, a, id, v("note"))
	case string(cases.ActionReview):
		err = svc.Review(ctx, a, id, cases.Review{Outcome: v("outcome"), Notes: v("notes")})
	case string(cases.ActionClose):
		err = svc.Close(ctx, a, id, v("note"))
	case string(cases.ActionRefer):
		org, _ := strconv.ParseInt(v("org_id"), 10, 64)
		_, err = svc.Refer(ctx, a, id, cases.Referral{AgencyKind: v("agency_kind"), OrgID: org,
			ConsentRecorded: v("consent") == "yes", OverrideReason: v("override_reason"), Note: v("note")})
	case string(cases.ActionReferralUpdate):
		ref, _ := strconv.ParseInt(v("referral_id"), 10, 64)
		err = svc.RespondReferral(ctx, a, id, ref, cases.ReferralStatus(v("status")), v("note"))
	case string(cases.ActionAssign):
		to, _ := strconv.ParseInt(v("assignee_id"), 10, 64)
		err = svc.Assign(ctx, a, id, to)
	default:
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/can-bo/ho-so/%d", id), http.StatusSeeOther)
		return
	}
	lang := langOf(r)
	var ve *cases.ValidationError
	var te *cases.TransitionError
	switch {
	case errors.As(err, &ve):
		s.renderCase(w, r, u, http.StatusBadRequest, []string{ve.Message(lang)})
	case errors.As(err, &te):
		s.renderCase(w, r, u, http.StatusConflict, []string{te.Message(lang)})
	case errors.Is(err, cases.ErrConflict):
		s.renderCase(w, r, u, http.StatusConflict, []string{T(lang, "case.error.conflict")})
	case errors.Is(err, cases.ErrInvalidTransition):
		s.renderCase(w, r, u, http.StatusConflict, []string{T(lang, "case.error.transition")})
	default:
		s.caseError(w, r, err)
	}
}

// planItems reads the plan form's task rows; empty rows are skipped.
func (s *Server) planItems(r *http.Request) ([]cases.PlanItem, error) {
	var items []cases.PlanItem
	for i := range maxPlanRows {
		k := func(name string) string { return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("%s_%d", name, i))) }
		task, owner, due, cost := k("task"), k("owner"), k("due"), k("cost")
		if task == "" && owner == "" && due == "" && cost == "" {
			continue
		}
		it := cases.PlanItem{Task: task, Owner: owner}
		if due != "" {
			d, err := time.ParseInLocation("2006-01-02", due, s.cfg.Location)
			if err != nil {
				return nil, &cases.ValidationError{Field: "Items.Due", Vi: "Ngày hoàn thành không hợp lệ.", En: "Invalid due date."}
			}
			it.Due = d.Add(17 * time.Hour) // end of the working day
		}
		if cost != "" {
			n, err := strconv.ParseInt(strings.NewReplacer(".", "", ",", "", " ", "").Replace(cost), 10, 64)
			if err != nil {
				return nil, &cases.ValidationError{Field: "Items.CostVND", Vi: "Kinh phí phải là số (đồng).", En: "The cost must be a number (VND)."}
			}
			it.CostVND = n
		}
		items = append(items, it)
	}
	return items, nil
}
