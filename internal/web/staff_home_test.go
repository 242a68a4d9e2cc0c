package web

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
)

// TestStaffHomeShowsWhatNeedsDoing: the officer's home counts the ward's
// new, urgent and overdue cases and links each; the school's home shows
// only what was referred to it; a viewer has no to-do lists.
func TestStaffHomeShowsWhatNeedsDoing(t *testing.T) {
	f := newExtraFixture(t)
	c := f.client(t)
	ctx := context.Background()
	overdue := f.newCase(t, "Lê Thị Mai", "x", false) // urgent
	got, _ := f.cs.GetCase(ctx, overdue)
	got.ReceivedAt = time.Now().Add(-13 * time.Hour) // the 12 h emergency deadline has passed
	if err := f.cs.UpdateCase(ctx, got); err != nil {
		t.Fatal(err)
	}
	fresh := f.newCase(t, "Phạm Văn Nam", "y", false)

	count := func(body, id string) string {
		m := regexp.MustCompile(`<section id="` + id + `" class="todo"><h3>[^<]*<span class="count[^"]*">(\d+)</span>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no section %s in %s", id, body)
		}
		return m[1]
	}
	f.signIn(f.users["officer"])
	resp, b := f.get(t, c, "/can-bo")
	body := pageText(b)
	if resp.StatusCode != 200 || !strings.Contains(body, "Việc cần làm ngay") {
		t.Fatalf("officer home: %d %s", resp.StatusCode, body)
	}
	for id, want := range map[string]string{"qua-han": "1", "khan": "2", "moi": "2", "chua-tiep-nhan": "0"} {
		if got := count(body, id); got != want {
			t.Errorf("officer %s = %s, want %s", id, got, want)
		}
	}
	for _, id := range []int64{overdue, fresh} {
		if !strings.Contains(body, fmt.Sprintf(`href="/can-bo/ho-so/%d"`, id)) {
			t.Errorf("officer home does not link case %d", id)
		}
	}
	if strings.Contains(body, "Lê Thị Mai") {
		t.Error("the staff home shows a child's name")
	}
	if !strings.Contains(body, `class="risk level-urgent"`) {
		t.Error("an urgent low-risk case is not given the urgent colour")
	}

	// Referred to school 5: the school sees it awaiting its answer.
	if _, err := f.svc.Refer(ctx, actorOf(f.users["officer"]), fresh, referralTo("school", 5)); err != nil {
		t.Fatal(err)
	}
	_, b = f.get(t, c, "/can-bo")
	if got := count(pageText(b), "chua-tiep-nhan"); got != "1" {
		t.Errorf("officer unreceived = %s after a referral, want 1", got)
	}
	f.signIn(f.users["school"])
	_, b = f.get(t, c, "/can-bo?lang=en")
	body = pageText(b)
	if got := count(body, "cho-tra-loi"); got != "1" || strings.Contains(body, fmt.Sprintf("/can-bo/ho-so/%d\"", overdue)) {
		t.Errorf("school home: awaiting %s, or shows a case not referred to it: %s", got, body)
	}
	f.signIn(f.users["viewer"])
	_, b = f.get(t, c, "/can-bo")
	if strings.Contains(pageText(b), `id="viec-can-lam"`) {
		t.Error("a viewer gets to-do lists")
	}
}

// referralTo is a referral with consent recorded, to organisation org of
// the given agency kind.
func referralTo(kind string, org int64) cases.Referral {
	return cases.Referral{AgencyKind: kind, OrgID: org, ConsentRecorded: true}
}
