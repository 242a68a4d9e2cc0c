package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	action := r.PathValue("action")
	section, query := secActions, "ok="+action
	var err error
	switch action {
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
		section = secReferrals
		ref := cases.Referral{ConsentRecorded: v("consent") == "yes", OverrideReason: v("override_reason"), Note: v("note")}
		switch org := v("org_id"); org {
		case "111":
			ref.AgencyKind = cases.AgencyHotline111
		default:
			ref.OrgID, err = formID(org, "OrgID")
		}
		if err == nil {
			ref, err = svc.Refer(ctx, a, id, ref)
			query = fmt.Sprintf("ok=refer&r=%d", ref.ID)
		}
	case string(cases.ActionReferralUpdate):
		section = secReferrals
		var ref int64
		if ref, err = formID(v("referral_id"), "ReferralID"); err == nil {
			err = svc.RespondReferral(ctx, a, id, ref, cases.ReferralStatus(v("status")), v("note"))
			query = fmt.Sprintf("ok=referral_update&r=%d", ref)
		}
	case string(cases.ActionAssign):
		section = secAssign
		var to int64
		if to, err = formID(v("assignee_id"), "AssigneeID"); err == nil {
			err = svc.Assign(ctx, a, id, to)
		}
	case string(cases.ActionEditDetails):
		section = secDetails
		var changed []string
		changed, err = svc.UpdateDetails(ctx, a, id, cases.Details{ChildCondition: v("child_condition"),
			LikelyHarm: v("likely_harm"), ParentsInfo: v("parents_info"), Caregiver: v("caregiver"),
			FamilySituation: v("family_situation"), PriorHelp: v("prior_help")})
		query = "ok=details&f=" + url.QueryEscape(strings.Join(changed, ","))
	default:
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/can-bo/ho-so/%d?%s#%s", id, query, section), http.StatusSeeOther)
		return
	}
	lang := langOf(r)
	prob := &caseProblem{Form: action, Section: section}
	var ve *cases.ValidationError
	var te *cases.TransitionError
	status := http.StatusConflict
	switch {
	case errors.As(err, &ve):
		status, prob.Message, prob.Input = http.StatusBadRequest, ve.Message(lang), inputFor(action, ve.Field)
	case errors.As(err, &te):
		prob.Message = te.Message(lang)
	case errors.Is(err, cases.ErrConflict):
		prob.Message = T(lang, "case.error.conflict")
	case errors.Is(err, cases.ErrInvalidTransition):
		prob.Message = T(lang, "case.error.transition")
	default:
		s.caseError(w, r, err)
		return
	}
	s.renderCase(w, r, u, status, prob)
}

// formID reads a chosen id; anything but a positive number is refused
// with the field's name, so the message lands beside the list.
func formID(v, field string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return 0, &cases.ValidationError{Field: field, Vi: "Vui lòng chọn trong danh sách.", En: "Please choose from the list."}
	}
	return n, nil
}

// inputFor maps a ValidationError's field to the id of the input of the
// action's form it is about; "" puts the message above the form.
func inputFor(action, field string) string {
	if strings.HasPrefix(field, "Items") {
		return "task_0"
	}
	ids := map[string]map[string]string{
		string(cases.ActionAssess):          {"RiskLevel": "risk_level", "Notes": "a_notes"},
		string(cases.ActionEmergency):       {"Action": "e_action"},
		string(cases.ActionNeedsAssessment): {"ChildViews": "n_views", "Notes": "n_notes"},
		string(cases.ActionSubmitPlan):      {"Notes": "p_notes"},
		string(cases.ActionApprove):         {"Note": "ap_note"},
		string(cases.ActionRejectPlan):      {"Reason": "rj_reason"},
		string(cases.ActionStart):           {"Note": "st_note"},
		string(cases.ActionReview):          {"Outcome": "rv_outcome", "Notes": "rv_notes"},
		string(cases.ActionClose):           {"Note": "cl_note"},
		string(cases.ActionRefer):           {"OrgID": "rf_org", "AgencyKind": "rf_org", "OverrideReason": "rf_override", "Note": "rf_note"},
		string(cases.ActionAssign):          {"AssigneeID": "as_id"},
		string(cases.ActionEditDetails): {"ChildCondition": "d_child_condition", "LikelyHarm": "d_likely_harm",
			"ParentsInfo": "d_parents_info", "Caregiver": "d_caregiver", "FamilySituation": "d_family_situation",
			"PriorHelp": "d_prior_help"},
	}
	return ids[action][field]
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
