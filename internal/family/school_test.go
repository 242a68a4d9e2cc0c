package family_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/family"
	"manglanh/internal/store"
)

// schoolFixture has two schools of the directory with one account each,
// a teacher of the first, a ward officer and a parent.
type schoolFixture struct {
	*fixture
	orgA, orgB                       int64
	principalA, teacherA, principalB family.Actor
	officer, viewer, police, parent  family.Actor
}

func newSchoolFixture(t *testing.T) *schoolFixture {
	t.Helper()
	f := &schoolFixture{fixture: newFixture(t, family.ApprovalNone)}
	ctx := context.Background()
	for _, o := range []struct {
		id   *int64
		name string
	}{{&f.orgA, "Trường THCS Phù Liễn"}, {&f.orgB, "Trường Tiểu học Lê Lợi"}} {
		org := &cases.Organisation{Name: o.name, Kind: cases.AgencySchool, Active: true}
		if err := f.st.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	f.principalA = family.Actor{StaffID: 1, StaffRole: "school", StaffOrgID: f.orgA}
	f.teacherA = family.Actor{StaffID: 2, StaffRole: "teacher", StaffOrgID: f.orgA}
	f.principalB = family.Actor{StaffID: 3, StaffRole: "school", StaffOrgID: f.orgB}
	f.officer = family.Actor{StaffID: 4, StaffRole: "officer"}
	f.viewer = family.Actor{StaffID: 5, StaffRole: "viewer"}
	f.police = family.Actor{StaffID: 6, StaffRole: "police", StaffOrgID: 9}
	f.parent, _ = f.fixture.parent(t, "me@example.vn")
	return f
}

// messages joins the Vietnamese texts of a *ValidationError ("" if none).
func messages(err error) string {
	var ve *family.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	var out []string
	for _, e := range ve.Errors {
		out = append(out, e.Vi)
	}
	return strings.Join(out, " | ")
}

func TestSchoolProfilesNetworksAndScope(t *testing.T) {
	f := newSchoolFixture(t)
	ctx := context.Background()
	v0, _ := f.svc.PolicyVersion(ctx)

	// Anyone but a school account cannot make one.
	for _, a := range []family.Actor{f.officer, f.viewer, f.police, f.parent, {}} {
		if _, err := f.svc.CreateSchool(ctx, a, family.NewSchool{Name: "X", Networks: []string{"10.9.0.0/16"}}); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("CreateSchool as %+v: %v, want ErrNotFound", a, err)
		}
	}
	if _, err := f.svc.CreateClass(ctx, f.teacherA, family.NewClass{Name: "7A"}); !strings.Contains(messages(err), "hồ sơ của trường trước") {
		t.Errorf("a class before the school: %v", err)
	}
	school, err := f.svc.CreateSchool(ctx, f.principalA, family.NewSchool{Name: " THCS Phù Liễn ",
		Networks: family.SplitNetworks("10.1.0.0/16\n2001:db8:1::/48")})
	if err != nil {
		t.Fatal(err)
	}
	if school.Kind != family.KindSchool || school.OrgID != f.orgA || school.Nickname != "THCS Phù Liễn" ||
		!slices.Equal(school.Networks, []string{"10.1.0.0/16", "2001:db8:1::/48"}) || !family.ValidLabel(school.Label) {
		t.Errorf("school profile %+v", school)
	}
	if v1, _ := f.svc.PolicyVersion(ctx); v1 <= v0 {
		t.Errorf("policy version %d after creating a school profile, was %d", v1, v0)
	}
	if _, err := f.svc.CreateSchool(ctx, f.teacherA, family.NewSchool{Name: "Again"}); messages(err) == "" {
		t.Errorf("a second school profile: %v", err)
	}

	// Another school cannot take a range of the first: the error names it,
	// and nothing is saved.
	_, err = f.svc.CreateSchool(ctx, f.principalB, family.NewSchool{Name: "Lê Lợi", Networks: []string{"10.1.5.0/24"}})
	if !strings.Contains(messages(err), "Trường THCS Phù Liễn") {
		t.Errorf("overlapping school: %v", err)
	}
	if s, _, _ := f.svc.SchoolProfiles(ctx, f.principalB); s != nil {
		t.Errorf("an overlapping school profile was saved: %+v", s)
	}
	for _, bad := range []string{"0.0.0.0/0", "10.2.0.1/16", "not-a-network", "::/0"} {
		if _, err := f.svc.CreateSchool(ctx, f.principalB, family.NewSchool{Name: "Lê Lợi", Networks: []string{bad}}); messages(err) == "" {
			t.Errorf("network %q accepted", bad)
		}
	}
	// A network of the configuration file's profiles is refused too.
	f.svc.SetConfigNetworks(map[string][]string{"truong-cu": {"10.2.200.0/24"}})
	if _, err := f.svc.CreateSchool(ctx, f.principalB, family.NewSchool{Name: "Lê Lợi", Networks: []string{"10.2.0.0/16"}}); !strings.Contains(messages(err), "truong-cu") {
		t.Errorf("overlap with a configuration profile: %v", err)
	}
	f.svc.SetConfigNetworks(nil)
	schoolB, err := f.svc.CreateSchool(ctx, f.principalB, family.NewSchool{Name: "Lê Lợi", Networks: []string{"10.2.0.0/16"}})
	if err != nil {
		t.Fatal(err)
	}

	// Classes: inside the school's networks, disjoint from each other.
	class, err := f.svc.CreateClass(ctx, f.teacherA, family.NewClass{Name: "Phòng máy", Networks: []string{"10.1.7.0/24"}})
	if err != nil || class.Kind != family.KindClass || class.OrgID != f.orgA {
		t.Fatalf("class: %+v, %v", class, err)
	}
	for _, nets := range [][]string{{"10.3.0.0/24"}, {"10.1.7.0/25"}, {"10.2.1.0/24"}} {
		if _, err := f.svc.CreateClass(ctx, f.teacherA, family.NewClass{Name: "7B", Networks: nets}); messages(err) == "" {
			t.Errorf("class network %v accepted", nets)
		}
	}
	// The school cannot drop the network its class lies in.
	_, err = f.svc.SetNetworks(ctx, f.principalA, school.ID, []string{"10.50.0.0/16"})
	if !strings.Contains(messages(err), "Phòng máy") {
		t.Errorf("dropping the class's network: %v", err)
	}
	if p, _ := f.svc.Profile(ctx, f.principalA, school.ID); !slices.Equal(p.Networks, school.Networks) {
		t.Errorf("a refused change was saved: %v", p.Networks)
	}
	v2, _ := f.svc.PolicyVersion(ctx)
	p, err := f.svc.SetNetworks(ctx, f.teacherA, school.ID, []string{"10.1.0.0/16", "203.0.113.0/28"})
	if err != nil || !slices.Equal(p.Networks, []string{"10.1.0.0/16", "203.0.113.0/28"}) {
		t.Fatalf("SetNetworks: %+v, %v", p, err)
	}
	if v3, _ := f.svc.PolicyVersion(ctx); v3 <= v2 {
		t.Error("changing networks did not bump the policy version")
	}

	// Another school's ids are not found, for reading and for every change.
	for _, id := range []int64{school.ID, class.ID} {
		if _, err := f.svc.Profile(ctx, f.principalB, id); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("school B reads %d: %v", id, err)
		}
		if _, err := f.svc.SetNetworks(ctx, f.principalB, id, []string{"10.2.0.0/16"}); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("school B changes networks of %d: %v", id, err)
		}
		if _, err := f.svc.UpdateRules(ctx, f.principalB, id, family.Rules{Deny: []string{"x.vn"}}); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("school B changes rules of %d: %v", id, err)
		}
		if err := f.svc.DeleteOrgProfile(ctx, f.principalB, id); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("school B deletes %d: %v", id, err)
		}
		for _, a := range []family.Actor{f.officer, f.parent, f.police} {
			if _, err := f.svc.SetNetworks(ctx, a, id, []string{"10.1.0.0/16"}); !errors.Is(err, family.ErrNotFound) {
				t.Errorf("%+v changes networks of %d: %v", a, id, err)
			}
		}
	}
	if _, err := f.svc.SetNetworks(ctx, f.principalA, schoolB.ID, nil); !errors.Is(err, family.ErrNotFound) {
		t.Errorf("school A empties school B's networks: %v", err)
	}
	s, classes, err := f.svc.SchoolProfiles(ctx, f.teacherA)
	if err != nil || s == nil || s.ID != school.ID || len(classes) != 1 || classes[0].ID != class.ID {
		t.Errorf("SchoolProfiles(teacher A) = %+v, %+v, %v", s, classes, err)
	}

	// School hours through the family service's rules; from = to refused.
	if _, err := f.svc.UpdateRules(ctx, f.teacherA, school.ID, family.Rules{Schedules: family.SchoolHours()}); err != nil {
		t.Fatalf("school hours: %v", err)
	}
	bad := family.SchoolHours()[:1]
	bad[0].To = bad[0].From
	if _, err := f.svc.UpdateRules(ctx, f.teacherA, school.ID, family.Rules{Schedules: bad}); !slices.Contains(fields(err), "schedules.0.to") {
		t.Errorf("from = to: %v", err)
	}
	if p, _ := f.svc.Profile(ctx, f.teacherA, school.ID); len(p.Rules.Schedules) != 2 {
		t.Errorf("the refused schedule replaced the saved ones: %+v", p.Rules.Schedules)
	}

	// The DNS policy gets the networks as clients.
	profiles, devices, _ := f.svc.PolicyProfiles(ctx)
	specs := family.Specs(profiles, devices, time.Now())
	clients := map[string][]string{}
	for _, sp := range specs {
		clients[sp.Name] = sp.Clients
	}
	if !slices.Equal(clients[class.Label], []string{"10.1.7.0/24"}) || !slices.Equal(clients[schoolB.Label], []string{"10.2.0.0/16"}) {
		t.Errorf("specs clients %v", clients)
	}

	// The school cannot be deleted while a class remains; the class can.
	if err := f.svc.DeleteOrgProfile(ctx, f.principalA, school.ID); messages(err) == "" {
		t.Errorf("deleting a school with a class: %v", err)
	}
	if err := f.svc.DeleteOrgProfile(ctx, f.teacherA, class.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.DeleteOrgProfile(ctx, f.principalA, school.ID); err != nil {
		t.Fatal(err)
	}
}

// seenStore adds the DNS server's last-seen times to the real store.
type seenStore struct {
	*store.Store
	seen map[int64]time.Time
}

func (s seenStore) BudgetUsage(context.Context, int64, string) ([]family.Usage, error) {
	return nil, nil
}
func (s seenStore) DevicesSeen(_ context.Context, ids []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for _, id := range ids {
		if t, ok := s.seen[id]; ok {
			out[id] = t
		}
	}
	return out, nil
}

func TestSchoolAndWardReports(t *testing.T) {
	f := newSchoolFixture(t)
	ctx := context.Background()
	seen := seenStore{Store: f.st, seen: map[int64]time.Time{}}
	svc, err := family.New(family.Config{Store: seen, Hasher: cheapHasher{}, Now: f.clock.now,
		Schools: func(context.Context) ([]family.School, error) {
			return []family.School{{ID: f.orgA, Name: "Trường THCS Phù Liễn"}, {ID: f.orgB, Name: "Trường Tiểu học Lê Lợi"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	// A parent with a child at school A and one device seen this week and
	// one seen last week.
	kid, err := svc.CreateChild(ctx, f.parent, family.NewChild{Nickname: "Bé An", BirthYear: 2014, OrgID: f.orgA})
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := svc.AddDevice(ctx, f.parent, kid.ID, "Điện thoại", "android")
	d2, _ := svc.AddDevice(ctx, f.parent, kid.ID, "Máy tính", "computer")
	now := f.clock.now()
	seen.seen[d1.ID] = now.Add(-time.Hour)
	seen.seen[d2.ID] = now.AddDate(0, 0, -7)
	if err := svc.RecordCoverage(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateSchool(ctx, f.principalA, family.NewSchool{Name: "THCS Phù Liễn", Networks: []string{"10.1.0.0/16"}}); err != nil {
		t.Fatal(err)
	}

	r, err := svc.SchoolReport(ctx, f.teacherA, now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "Trường THCS Phù Liễn" || len(r.Series) != family.ChartWeeks || r.Week.Families != 1 || r.Week.Children != 1 || r.Week.Devices != 1 {
		t.Errorf("school report %+v", r.Week)
	}
	// The week before, the profile did not exist yet: its device seen then
	// does not count.
	if last := r.Series[len(r.Series)-2]; last.Devices != 0 || last.Families != 0 || !last.Week.Equal(r.Week.Week.AddDate(0, 0, -7)) {
		t.Errorf("the week before: %+v", last)
	}
	if rb, _ := svc.SchoolReport(ctx, f.principalB, now); rb.Week.Families != 0 || rb.Week.Devices != 0 {
		t.Errorf("school B sees school A's figures: %+v", rb.Week)
	}
	for _, a := range []family.Actor{f.officer, f.viewer, f.parent, f.police} {
		if _, err := svc.SchoolReport(ctx, a, now); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("SchoolReport as %+v: %v", a, err)
		}
	}
	for _, a := range []family.Actor{f.principalA, f.teacherA, f.parent, f.police} {
		if _, err := svc.WardReport(ctx, a, now); !errors.Is(err, family.ErrNotFound) {
			t.Errorf("WardReport as %+v: %v", a, err)
		}
	}
	w, err := svc.WardReport(ctx, f.viewer, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Schools) != 3 || w.Schools[0].OrgID != f.orgA || w.Schools[0].Devices != 1 || w.Schools[1].OrgID != f.orgB ||
		w.Schools[2].OrgID != 0 || w.Total.Families != 1 || w.Total.Devices != 1 || len(w.Series) != family.ChartWeeks {
		t.Errorf("ward report %+v", w)
	}
	if !w.Week.Equal(family.WeekStart(now)) || w.Week.Weekday() != time.Monday {
		t.Errorf("week %v", w.Week)
	}
}
