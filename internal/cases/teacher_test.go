package cases

import (
	"context"
	"errors"
	"testing"
	"time"
)

// teacher is an IT teacher of school 50, the school w.school50 is referred to.
var teacher = Actor{UserID: 9, Role: RoleTeacher, OrgID: 50, Name: "Thầy Tin"}

// TestTeacherNeverOpensACase checks that a teacher of the very school a case
// is referred to can neither get, list, record nor act on a case, nor see
// the to-do lists, and that no permission is granted to the role.
func TestTeacherNeverOpensACase(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	for _, id := range []int64{w.school50, w.police40, w.union70, w.none, w.assignedPolice, w.revoked} {
		if _, err := w.svc.Get(ctx, teacher, id); !errors.Is(err, ErrForbidden) {
			t.Errorf("Get(case %d) as teacher: %v, want ErrForbidden", id, err)
		}
	}
	if _, err := w.svc.List(ctx, teacher, Filter{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("List as teacher: %v, want ErrForbidden", err)
	}
	if _, err := w.svc.Todo(ctx, teacher, time.Now()); !errors.Is(err, ErrForbidden) {
		t.Errorf("Todo as teacher: %v, want ErrForbidden", err)
	}
	if _, err := w.svc.Intake(ctx, teacher, Intake{Category: CategoryScam, Channel: ChannelSchool,
		Sensitive: Sensitive{Description: "x"}}); !errors.Is(err, ErrForbidden) {
		t.Errorf("Intake as teacher: %v, want ErrForbidden", err)
	}
	if err := w.svc.RespondReferral(ctx, teacher, w.school50, 1000+w.school50, ReferralAccepted, ""); !errors.Is(err, ErrForbidden) {
		t.Errorf("RespondReferral as teacher: %v, want ErrForbidden", err)
	}
	c, _ := w.store.GetCase(ctx, w.school50)
	if CanView(teacher, c) {
		t.Error("CanView(teacher, a case referred to the teacher's school) = true")
	}
	for _, p := range []Permission{PermViewEvidence, PermViewRecords, PermViewReporter, PermRefer, PermAssign,
		PermRespond, PermHandOff, PermEditDetails} {
		if Can(teacher, c, p) {
			t.Errorf("Can(teacher, %s) = true", p)
		}
	}
	if d := Redact(teacher, c); d.Sensitive.ChildName != "" || d.Sensitive.Description != "" || d.Referrals != nil {
		t.Error("Redact for a teacher keeps sensitive fields or referrals")
	}
}

// TestTeacherAccountBelongsToASchool checks the account form's question: a
// teacher's account needs an active school of the directory, like the
// school's own account.
func TestTeacherAccountBelongsToASchool(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	for _, tc := range []struct {
		org int64
		ok  bool
	}{{50, true}, {0, false}, {99, false}, {40, false}, {70, false}} {
		if err := h.svc.CheckOrganisation(ctx, RoleTeacher, tc.org); (err == nil) != tc.ok {
			t.Errorf("CheckOrganisation(teacher, %d) = %v", tc.org, err)
		}
	}
}
