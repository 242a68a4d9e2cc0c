package cases

import (
	"context"
	"errors"
	"strings"
	"time"
)

// ActionEditDetails completes the Mẫu 01 parts a report lacks; the step
// names the fields changed, never their values.
const ActionEditDetails Action = "edit_details"

// Details are the parts of Mẫu 01 a web report rarely carries and the
// officer completes on the case page: the child's condition, the likely
// harm, the family. They are Sensitive: encrypted at rest like the rest.
type Details struct {
	ChildCondition  string
	LikelyHarm      string
	ParentsInfo     string
	Caregiver       string
	FamilySituation string
	PriorHelp       string
}

// DetailsOf returns the Details part of c's Sensitive content.
func DetailsOf(c *Case) Details {
	s := c.Sensitive
	return Details{ChildCondition: s.ChildCondition, LikelyHarm: s.LikelyHarm, ParentsInfo: s.ParentsInfo,
		Caregiver: s.Caregiver, FamilySituation: s.FamilySituation, PriorHelp: s.PriorHelp}
}

// DetailFields names the Details fields in form order, as steps and the
// audit log record them.
func DetailFields() []string {
	return []string{"child_condition", "likely_harm", "parents_info", "caregiver", "family_situation", "prior_help"}
}

// UpdateDetails writes the Mẫu 01 parts d of case id. Officers and ward
// admins may, on an open case. It returns the names of the fields changed
// (none changed is not an error, and records nothing).
func (s *Service) UpdateDetails(ctx context.Context, a Actor, id int64, d Details) ([]string, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !Can(a, nil, PermEditDetails) {
		return nil, ErrForbidden
	}
	if err := cleanAll([]textField{{"ChildCondition", &d.ChildCondition, maxText, true},
		{"LikelyHarm", &d.LikelyHarm, maxText, true}, {"ParentsInfo", &d.ParentsInfo, maxText, true},
		{"Caregiver", &d.Caregiver, maxShort, false}, {"FamilySituation", &d.FamilySituation, maxText, true},
		{"PriorHelp", &d.PriorHelp, maxText, true}}); err != nil {
		return nil, err
	}
	var changed []string
	if _, err := s.update(ctx, a, id, ActionEditDetails, func(c *Case, now time.Time, st *Step) (string, error) {
		if c.Status == StatusClosed {
			return "", &TransitionError{Action: ActionEditDetails, From: c.Status}
		}
		sn := &c.Sensitive
		targets := []*string{&sn.ChildCondition, &sn.LikelyHarm, &sn.ParentsInfo, &sn.Caregiver, &sn.FamilySituation, &sn.PriorHelp}
		values := []string{d.ChildCondition, d.LikelyHarm, d.ParentsInfo, d.Caregiver, d.FamilySituation, d.PriorHelp}
		for i, p := range targets {
			if *p != values[i] {
				*p = values[i]
				changed = append(changed, DetailFields()[i])
			}
		}
		if len(changed) == 0 {
			return "", errNothingChanged
		}
		st.Fields = changed
		return "fields: " + strings.Join(changed, ","), nil
	}); err != nil {
		if errors.Is(err, errNothingChanged) {
			return nil, nil
		}
		return nil, err
	}
	return changed, nil
}

// errNothingChanged stops an update that would record an empty step.
var errNothingChanged = errors.New("nothing changed")
