package filter

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestFamilyRules checks the rules parents set from the portal: a blocked
// site under Allow and an unexpired TempAllow, a temporary allow that
// expires, and a pause that leaves the allowed sites and the essential
// names.
func TestFamilyRules(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	m := testMatcher(t, reg)
	now := at(0, 10, 0)
	pol, err := CompileUsage(reg, []ProfileSpec{
		{Name: "an", ID: 7, Age: 9, Allow: []string{"hoc.game.example"},
			Deny:      []string{"game.example", "tiktok.com"},
			TempAllow: []TimedDomain{{"vui.game.example", now.Add(time.Hour)}, {"nohu.vn", now.Add(time.Hour)}, {"old.example", now.Add(-time.Minute)}}},
		{Name: "binh", ID: 8, Age: 12, PausedUntil: now.Add(30 * time.Minute), Allow: []string{"edu.vn"},
			TempAllow: []TimedDomain{{"olm.vn", now.Add(10 * time.Minute)}}},
		{Name: "chi", ID: 9, PausedUntil: PauseForever},
	}, "", nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := pol.Profiles()[0].TempAllow; len(got) != 2 {
		t.Errorf("expired temp allow kept: %v", got)
	}
	tiktok := mustTag(t, reg, "tiktok")
	tests := []struct {
		desc    string
		profile int
		name    string
		now     time.Time
		want    Decision
	}{
		{"denied site", 0, "www.game.example", now, Decision{Action: Block, Tag: NoTag, Cause: CauseDeny}},
		{"deny wins over a service tag", 0, "m.tiktok.com", now, Decision{Action: Block, Tag: NoTag, Cause: CauseDeny}},
		{"allow wins over deny", 0, "hoc.game.example", now, Decision{Action: Allow, Tag: NoTag}},
		{"temp allow wins over deny", 0, "vui.game.example", now, Decision{Action: Allow, Tag: NoTag}},
		{"temp allow wins over a category", 0, "nohu.vn", now, Decision{Action: Allow, Tag: NoTag}},
		{"temp allow expired", 0, "vui.game.example", now.Add(time.Hour), Decision{Action: Block, Tag: NoTag, Cause: CauseDeny}},
		{"category after temp allow expired", 0, "nohu.vn", now.Add(2 * time.Hour), Decision{Action: Block, Tag: TagGambling}},
		{"paused", 1, "vnexpress.net", now, Decision{Action: Block, Tag: NoTag, Cause: CausePause}},
		{"paused, service", 1, "tiktok.com", now, Decision{Action: Block, Tag: NoTag, Cause: CausePause}},
		{"paused, allowed site", 1, "olm.edu.vn", now, Decision{Action: Allow, Tag: NoTag}},
		{"paused, temp allow", 1, "olm.vn", now, Decision{Action: Allow, Tag: NoTag}},
		{"paused, connectivity check", 1, "connectivitycheck.gstatic.com", now, Decision{Action: Allow, Tag: NoTag}},
		{"paused, category still says category", 1, "nohu.vn", now, Decision{Action: Block, Tag: TagGambling}},
		{"pause over", 1, "vnexpress.net", now.Add(30 * time.Minute), Decision{Action: Allow, Tag: NoTag}},
		{"pause over, service", 1, "tiktok.com", now.Add(31 * time.Minute), Decision{Action: Allow, Tag: NoTag}},
		{"paused until resumed", 2, "vnexpress.net", now.AddDate(5, 0, 0), Decision{Action: Block, Tag: NoTag, Cause: CausePause}},
	}
	_ = tiktok
	for _, tc := range tests {
		if got := pol.Decide(m, tc.profile, tc.name, tc.now); got != tc.want {
			t.Errorf("%s: %s = %+v, want %+v", tc.desc, tc.name, got, tc.want)
		}
	}
}

// TestLabelsAndDevices checks that profile names and device labels choose
// their profile (a map lookup), that device clients map to the profile and
// the device, and that a device's last-seen time outlives a policy swap.
func TestLabelsAndDevices(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	u := NewUsage()
	specs := []ProfileSpec{
		{Name: "Lop6A", Clients: []string{"10.6.0.0/16"}},
		{Name: "an-x7k2", ID: 11, Devices: []DeviceSpec{{ID: 101, Label: "an-x7k2-phone"}, {ID: 102, Label: "An-Tablet", Clients: []string{"192.168.1.20", "10.6.9.0/24"}}}},
	}
	pol, err := CompileUsage(reg, specs, "", u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		label           string
		profile, device int
		ok              bool
	}{
		{"lop6a", 0, -1, true}, {"LOP6A", 0, -1, true}, {"an-x7k2", 1, -1, true},
		{"an-x7k2-phone", 1, 0, true}, {"an-tablet", 1, 1, true}, {"AN-TABLET", 1, 1, true}, {"nobody", 0, -1, false},
	} {
		p, d, ok := pol.ByLabel(tc.label)
		if p != tc.profile || d != tc.device || ok != tc.ok {
			t.Errorf("ByLabel(%q) = %d, %d, %v; want %d, %d, %v", tc.label, p, d, ok, tc.profile, tc.device, tc.ok)
		}
	}
	for _, tc := range []struct {
		addr            string
		profile, device int
	}{
		{"192.168.1.20", 1, 1}, {"10.6.9.5", 1, 1}, {"10.6.1.1", 0, -1}, {"8.8.8.8", 0, -1},
	} {
		if p, d := pol.ClientOf(netip.MustParseAddr(tc.addr)); p != tc.profile || d != tc.device {
			t.Errorf("ClientOf(%s) = %d, %d; want %d, %d", tc.addr, p, d, tc.profile, tc.device)
		}
	}
	seenAt := time.Date(2026, 3, 2, 10, 0, 5, 0, time.UTC)
	pol.Seen(1, 1, seenAt)
	pol.Seen(0, -1, seenAt) // a profile without devices: nothing to record
	again, err := CompileUsage(reg, specs, "", u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if got := again.Usage().LastSeen(102); !got.Equal(seenAt.Truncate(time.Second)) {
		t.Errorf("last seen after a swap = %v, want %v", got, seenAt)
	}
	_, seen := u.TakeDirty()
	if len(seen) != 1 || seen[0].DeviceID != 102 {
		t.Errorf("dirty devices = %+v", seen)
	}
	if _, seen = u.TakeDirty(); len(seen) != 0 {
		t.Errorf("devices flushed twice: %+v", seen)
	}
	if !pol.ClampTTL(1) || pol.ClampTTL(0) {
		t.Errorf("ClampTTL: portal profile %v, YAML profile %v", pol.ClampTTL(1), pol.ClampTTL(0))
	}
}

// TestBudgetRunsOut plays a child's day at a pinned clock: Roblox and
// Minecraft count for the games budgets, Zalo never does, and once a budget
// is spent its names are blocked until midnight in the profile's time zone.
func TestBudgetRunsOut(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	m := testMatcher(t, reg)
	u := NewUsage()
	specs := []ProfileSpec{{Name: "an", ID: 5, Age: 12, Budgets: []BudgetSpec{{"each:games", 3}, {"group:games", 5}, {"all", 20}}}}
	pol, err := CompileUsage(reg, specs, "", u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	start := at(0, 16, 0) // 16:00 in Vietnam
	ask := func(name string, minute int) Decision {
		return pol.Decide(m, 0, name, start.Add(time.Duration(minute)*time.Minute))
	}
	for min := range 3 { // three minutes of Roblox, two queries a minute
		for range 2 {
			if d := ask("www.roblox.com", min); d.Action != Allow {
				t.Fatalf("minute %d: roblox %+v", min, d)
			}
		}
	}
	day := "2026-03-02"
	if got := u.MinutesUsed(5, "an", "roblox", day); got != 3 {
		t.Errorf("roblox minutes = %d, want 3", got)
	}
	roblox := mustTag(t, reg, "roblox")
	if d := ask("rbxcdn.com", 3); d != (Decision{Action: Block, Tag: roblox, Cause: CauseBudget, Budget: "each:games"}) {
		t.Errorf("roblox after 3 minutes: %+v", d)
	}
	// Minecraft has its own 3 minutes, but the group has 5 in all.
	for min := 3; min < 5; min++ {
		if d := ask("minecraft.net", min); d.Action != Allow {
			t.Fatalf("minute %d: minecraft %+v", min, d)
		}
	}
	if d := ask("minecraft.net", 5); d.Cause != CauseBudget || d.Budget != "group:games" {
		t.Errorf("minecraft after the group's 5 minutes: %+v", d)
	}
	if got := u.MinutesUsed(5, "an", "group:games", day); got != 5 {
		t.Errorf("group minutes = %d, want 5", got)
	}
	if d := ask("zalo.me", 6); d.Action != Allow {
		t.Errorf("zalo during a spent games budget: %+v", d)
	}
	if d := ask("connectivitycheck.gstatic.com", 7); d.Action != Allow {
		t.Errorf("connectivity check: %+v", d)
	}
	if got := u.MinutesUsed(5, "an", "all", day); got != 7 {
		t.Errorf("all minutes = %d, want 7 (roblox 3, minecraft 2, zalo 1, the one silent minute before zalo filled; not the essential name)", got)
	}
	// 23:59 is still today; 00:00 in Vietnam (17:00 UTC) is a new day.
	if d := ask("roblox.com", 7*60+59); d.Cause != CauseBudget {
		t.Errorf("23:59: %+v", d)
	}
	if d := pol.Decide(m, 0, "roblox.com", time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)); d.Action != Allow {
		t.Errorf("midnight in Vietnam: %+v", d)
	}
	// A new policy (the parent changed a rule) keeps today's minutes.
	again, err := CompileUsage(reg, specs, "", u, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if d := again.Decide(m, 0, "roblox.com", start.Add(time.Hour)); d.Cause != CauseBudget {
		t.Errorf("budget reset by a policy swap: %+v", d)
	}
	// What another process counted is merged by OR.
	rows, _ := u.TakeDirty()
	fresh := NewUsage()
	if n := fresh.Merge(rows); n == 0 {
		t.Fatal("nothing merged")
	}
	if n := fresh.Merge(rows); n != 0 {
		t.Errorf("merging the same rows twice added %d minutes", n)
	}
	if got := fresh.MinutesUsed(5, "", "roblox", day); got != 3 {
		t.Errorf("merged roblox minutes = %d, want 3", got)
	}
}

func TestBudgetDecideDoesNotAllocate(t *testing.T) {
	reg := newTestRegistry(t)
	m := testMatcher(t, reg)
	pol, err := Compile(reg, []ProfileSpec{{Name: "an", ID: 1, Budgets: []BudgetSpec{{"group:games", 60}, {"all", 600}}, Deny: []string{"x.example"},
		TempAllow: []TimedDomain{{"y.example", time.Now().Add(time.Hour)}}, Devices: []DeviceSpec{{ID: 1, Label: "an-phone"}}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	pol.Decide(m, 0, "roblox.com", now) // the day's counters
	allocs := testing.AllocsPerRun(200, func() {
		pol.Decide(m, 0, "roblox.com", now)
		pol.Decide(m, 0, "vnexpress.net", now)
		pol.Seen(0, 0, now)
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per budgeted query", allocs)
	}
}

func TestFamilyValidation(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	_, err := Compile(reg, []ProfileSpec{
		{Name: "an", Budgets: []BudgetSpec{{"group:games", 0}, {"group:toys", 10}, {"zalo", 10}, {"zalo", 20}, {"adult", 5}, {"all", 1441}},
			Deny: []string{"not a domain"}, Devices: []DeviceSpec{{ID: 1, Label: "an phone"}, {ID: 2, Label: "binh"}, {ID: 2, Label: "an-2"}}},
		{Name: "binh"},
	}, "")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	vi := ve.Message("vi")
	for _, want := range []string{"0 minutes is out of range", "\"toys\" is not a group", "budget \"zalo\" is given twice",
		"\"adult\" is not a service", "1441 minutes", "Deny", "label \"an phone\" is not a DNS label", "the name is the label of a device", "device id 2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if !strings.Contains(vi, "không phải nhóm") || !strings.Contains(vi, "không phải nhãn DNS") {
		t.Errorf("Vietnamese message: %s", vi)
	}
}

// TestWeekMaskSet checks the word-at-a-time window fill against one bit at
// a time, wrapping past the end of the week included.
func TestWeekMaskSet(t *testing.T) {
	t.Parallel()
	for _, r := range [][2]int{{0, 1}, {63, 65}, {100, 100 + 64*3 + 5}, {minutesPerWeek - 90, 30}, {5, minutesPerWeek - 1}, {1290, 1290}} {
		var got, want weekMask
		got.set(r[0], r[1])
		for m := r[0]; m != r[1]; m = (m + 1) % minutesPerWeek {
			want[m/64] |= 1 << (m % 64)
		}
		if got != want {
			t.Errorf("set(%d, %d) differs from one bit at a time", r[0], r[1])
		}
	}
}
