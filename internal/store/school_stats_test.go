package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/family"
)

// schoolWorld is known data for the aggregate queries: two schools and a
// police unit, five parents (one pending, one disabled), child profiles at
// either school or none, devices seen in three weeks, school and class
// profiles with networks, DNS aggregates and alerts inside and outside
// the week.
type schoolWorld struct {
	schoolA, schoolB, police int64
	week                     time.Time // Monday 23/11/2026 00:00 ICT
	devices                  map[string]int64
}

func seedSchoolWorld(t *testing.T, s *Store) *schoolWorld {
	t.Helper()
	ctx := context.Background()
	w := &schoolWorld{week: family.WeekStart(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)), devices: map[string]int64{}}
	if w.week.Weekday() != time.Monday || w.week.UTC().Hour() != 17 {
		t.Fatalf("week starts %v", w.week)
	}
	before, inside, after := w.week.Add(-time.Hour), w.week.Add(50*time.Hour), w.week.AddDate(0, 0, 7)
	for _, o := range []struct {
		id   *int64
		name string
		kind string
	}{{&w.schoolA, "Trường THCS Phù Liễn", cases.AgencySchool}, {&w.schoolB, "Trường Tiểu học Lê Lợi", cases.AgencySchool},
		{&w.police, "Công an phường", cases.AgencyPolice}} {
		org := &cases.Organisation{Name: o.name, Kind: o.kind, Active: true}
		if err := s.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		*o.id = org.ID
	}
	exec := func(q string, args ...any) int64 {
		t.Helper()
		id, err := insertID(ctx, s.write, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	parent := func(email, status string) int64 {
		return exec(`INSERT INTO parents (email, password_hash, status, created_at, updated_at) VALUES ($1, 'h', $2, 1, 1)`, email, status)
	}
	p1, p2, p3, p4, p5 := parent("a@x.vn", "active"), parent("b@x.vn", "active"), parent("c@x.vn", "pending"),
		parent("d@x.vn", "active"), parent("e@x.vn", "disabled")
	profile := func(kind string, parentID any, org int64, label string, created time.Time) int64 {
		return exec(`INSERT INTO family_profiles (kind, parent_id, org_id, nickname, label, rules, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '{}', $6, $6)`, kind, parentID, org, "Tên "+label, label, ms(created))
	}
	kid1 := profile("child", p1, w.schoolA, "kid1", before)
	kid2 := profile("child", p1, w.schoolB, "kid2", before)
	kid3 := profile("child", p2, w.schoolA, "kid3", inside)
	profile("child", p2, w.schoolA, "kid4", before)
	kid5 := profile("child", p3, w.schoolA, "kid5", before) // pending parent
	kid6 := profile("child", p4, 0, "kid6", before)         // no school
	profile("child", p5, w.schoolA, "kid7", before)         // disabled parent
	kid8 := profile("child", p2, w.schoolA, "kid8", after)  // made after the week
	sa := profile("school", nil, w.schoolA, "sa", before)
	ca := profile("class", nil, w.schoolA, "ca", before)
	sb := profile("school", nil, w.schoolB, "sb", before)
	for _, n := range []struct {
		profile int64
		pos     int
		cidr    string
	}{{sa, 0, "10.1.0.0/16"}, {sa, 1, "2001:db8:1::/48"}, {ca, 0, "10.1.7.0/24"}, {sb, 0, "10.2.0.0/16"}} {
		if _, err := s.write.ExecContext(ctx, `INSERT INTO family_networks (profile_id, position, cidr) VALUES ($1, $2, $3)`,
			n.profile, n.pos, n.cidr); err != nil {
			t.Fatal(err)
		}
	}
	device := func(name string, profileID int64) {
		w.devices[name] = exec(`INSERT INTO family_devices (profile_id, name, kind, label, created_at) VALUES ($1, $2, 'android', $3, 1)`,
			profileID, name, "dev-"+name)
	}
	device("d1", kid1)
	device("d2", kid1)
	device("d3", kid3)
	device("d4", kid2)
	device("d5", kid5)
	device("d6", kid6)
	device("d7", kid8) // its profile was made after the week: never counted in it
	mark := func(week time.Time, names ...string) {
		var ids []int64
		for _, n := range names {
			ids = append(ids, w.devices[n])
		}
		if err := s.MarkDeviceWeeks(ctx, week, ids); err != nil {
			t.Fatal(err)
		}
	}
	mark(w.week, "d1", "d3", "d4", "d5", "d6", "d7")
	mark(w.week, "d1", "d3")                   // again: idempotent
	mark(w.week.AddDate(0, 0, -7), "d2", "d1") // the week before
	mark(w.week.AddDate(0, 0, 7), "d1")        // the week after
	if err := s.MarkDeviceWeeks(ctx, w.week, []int64{99999}); err != nil {
		t.Fatalf("an unknown device id: %v", err)
	}
	hour := func(at time.Time, profile, category, action string, n int64) {
		if _, err := s.write.ExecContext(ctx, `INSERT INTO dns_hourly (hour, profile, category, action, queries) VALUES ($1, $2, $3, $4, $5)`,
			ms(at.Truncate(time.Hour)), profile, category, action, n); err != nil {
			t.Fatal(err)
		}
	}
	hour(w.week, "sa", "adult", "blocked", 5)
	hour(inside, "sa", "", "allowed", 100)
	hour(inside, "ca", "gambling", "blocked", 3)
	hour(inside.Add(time.Hour), "ca", "adult", "blocked", 2)
	hour(inside, "sb", "tiktok", "blocked", 7)
	hour(inside, "kid1", "adult", "blocked", 11) // a child's profile, not a school's
	hour(inside, "default", "scam", "blocked", 4)
	hour(after.Add(-time.Hour), "sb", "tiktok", "blocked", 1) // the week's last hour
	hour(before, "sa", "adult", "blocked", 1000)              // the week before
	hour(after, "sa", "adult", "blocked", 1000)               // the week after
	alert := func(at time.Time, profile, source, snippet string) {
		exec(`INSERT INTO alerts (ts, rule, source, profile, category, level, signals, folded, digest, snippet, reasons)
			VALUES ($1, 'dns.repeat', $2, $3, 'gambling', 'high', 6, 0, 0, $4, '[]')`, ms(at), source, profile, snippet)
	}
	alert(inside, "ca", "dns", "nohu.club")
	alert(inside, "sb", "dns", "tiktok.com")
	alert(before, "sa", "dns", "old.example")
	alert(inside, "kid1", "dns", "child.example")
	return w
}

func TestSchoolAggregates(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		w := seedSchoolWorld(t, s)
		from, to := w.week, w.week.AddDate(0, 0, 7)

		cov, err := s.Coverage(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := []family.Coverage{
			{OrgID: 0, Families: 1, Children: 1, Devices: 1},
			{OrgID: w.schoolA, Families: 2, Children: 3, Devices: 2}, // kid1, kid3, kid4; d1, d3
			{OrgID: w.schoolB, Families: 1, Children: 1, Devices: 1},
		}
		if !slices.Equal(cov, want) {
			t.Errorf("Coverage = %+v\nwant %+v", cov, want)
		}
		ward, err := s.WardCoverage(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if want := (family.Coverage{Families: 3, Children: 5, Devices: 4}); ward != want {
			t.Errorf("WardCoverage = %+v, want %+v", ward, want)
		}
		// The week before: kid3 did not exist yet; d1 and d2 were seen.
		prev, _ := s.Coverage(ctx, from.AddDate(0, 0, -7), from)
		if want := []family.Coverage{{OrgID: 0, Families: 1, Children: 1}, {OrgID: w.schoolA, Families: 2, Children: 2, Devices: 2},
			{OrgID: w.schoolB, Families: 1, Children: 1}}; !slices.Equal(prev, want) {
			t.Errorf("Coverage of the week before = %+v\nwant %+v", prev, want)
		}

		dns, err := s.SchoolDNS(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		wantDNS := []family.DNSCount{
			{OrgID: w.schoolA, Category: "", Action: "allowed", Queries: 100},
			{OrgID: w.schoolA, Category: "adult", Action: "blocked", Queries: 7},
			{OrgID: w.schoolA, Category: "gambling", Action: "blocked", Queries: 3},
			{OrgID: w.schoolB, Category: "tiktok", Action: "blocked", Queries: 8},
		}
		if !slices.Equal(dns, wantDNS) {
			t.Errorf("SchoolDNS = %+v\nwant %+v", dns, wantDNS)
		}
		wd, err := s.WardDNS(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		wantWard := []family.DNSCount{
			{Category: "", Action: "allowed", Queries: 100},
			{Category: "adult", Action: "blocked", Queries: 18},
			{Category: "gambling", Action: "blocked", Queries: 3},
			{Category: "scam", Action: "blocked", Queries: 4},
			{Category: "tiktok", Action: "blocked", Queries: 8},
		}
		if !slices.Equal(wd, wantWard) {
			t.Errorf("WardDNS = %+v\nwant %+v", wd, wantWard)
		}

		al, err := s.SchoolAlerts(ctx, w.schoolA, from, to, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(al) != 1 || al[0].Profile != "Tên ca" || al[0].Domain != "nohu.club" || al[0].Count != 6 || al[0].Level != "high" {
			t.Errorf("SchoolAlerts(A) = %+v, want the class's one alert", al)
		}
		if al, _ := s.SchoolAlerts(ctx, w.police, from, to, 10); len(al) != 0 {
			t.Errorf("SchoolAlerts(police) = %+v", al)
		}

		names, err := s.SchoolNames(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != 2 || names[w.schoolA] != "Trường THCS Phù Liễn" || names[w.schoolB] != "Trường Tiểu học Lê Lợi" {
			t.Errorf("SchoolNames = %v", names)
		}

		owners, err := s.NetworkOwners(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range owners {
			got = append(got, o.Network+" "+string(o.Kind)+" "+o.School)
		}
		if want := []string{"10.1.0.0/16 school Trường THCS Phù Liễn", "2001:db8:1::/48 school Trường THCS Phù Liễn",
			"10.1.7.0/24 class Trường THCS Phù Liễn", "10.2.0.0/16 school Trường Tiểu học Lê Lợi"}; !slices.Equal(got, want) {
			t.Errorf("NetworkOwners = %q", got)
		}
	})
}
