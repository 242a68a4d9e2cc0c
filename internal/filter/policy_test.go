package filter

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testMatcher lists adult, gambling and the built-in services.
func testMatcher(t *testing.T, reg *Registry) *Matcher {
	t.Helper()
	b := NewBuilder()
	reg.AddBuiltins(b)
	b.Add("sex.example", TagSet(0).With(TagAdult))
	b.Add("nohu.vn", TagSet(0).With(TagGambling))
	b.Add("malware.example", TagSet(0).With(TagMalware))
	return b.Build()
}

var vnZone = time.FixedZone("ICT", 7*3600)

// at returns a time in Vietnam: 2026-03-02 is a Monday.
func at(day, hour, min int) time.Time {
	return time.Date(2026, 3, 2+day, hour, min, 0, 0, vnZone)
}

func TestPolicyDecide(t *testing.T) {
	reg := newTestRegistry(t)
	m := testMatcher(t, reg)
	pol, err := Compile(reg, []ProfileSpec{
		{Name: "An", Age: 9, Clients: []string{"192.168.1.10", "fd00::10"}, Allow: []string{"hoc.sex.example"},
			Schedules: []ScheduleSpec{
				{Name: "đêm", Days: []string{"mon"}, From: "22:00", To: "06:00", AllowOnly: []string{"zalo", "edu.vn"}},
				{Name: "trưa", Days: []string{"t2", "t3"}, From: "11:30", To: "13:00", Block: []string{"youtube", "tiktok"}},
				{Name: "chiều", Days: []string{"mon"}, From: "17:00", To: "18:00", Block: []string{"roblox"}},
			}},
		{Name: "Bình", Age: 16, Block: []string{"adult", "tiktok"}, BlockMode: "nxdomain", Clients: []string{"192.168.1.0/24"}, SafeSearch: "off"},
		{Name: "Lớp 6A", Age: 11, Clients: []string{"10.0.0.0/8", "10.1.0.0/16"}},
		{Name: "Khách"},
	}, "Khách")
	if err != nil {
		t.Fatal(err)
	}
	an, binh, lop, khach := 0, 1, 2, 3
	tiktok, roblox := mustTag(t, reg, "tiktok"), mustTag(t, reg, "roblox")
	mon10 := at(0, 10, 0)
	tests := []struct {
		desc    string
		profile int
		name    string
		now     time.Time
		want    Decision
	}{
		{"adult blocked by age default", an, "www.sex.example", mon10, Decision{Action: Block, Tag: TagAdult}},
		{"profile allowlist wins", an, "a.hoc.sex.example", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"gambling", an, "nohu.vn", mon10, Decision{Action: Block, Tag: TagGambling}},
		{"bypass list", an, "dns.google", mon10, Decision{Action: Block, Tag: TagBypass}},
		{"firefox canary", an, "use-application-dns.net.", mon10, Decision{Action: NXDomain, Tag: TagBypass}},
		{"icloud relay canary", an, "Mask-H2.icloud.com", mon10, Decision{Action: NXDomain, Tag: TagBypass}},
		{"strict safe search", an, "www.youtube.com", mon10, Decision{Action: Rewrite, Tag: NoTag, Target: "restrict.youtube.com"}},
		{"google safe search", an, "www.google.com.vn", mon10, Decision{Action: Rewrite, Tag: NoTag, Target: "forcesafesearch.google.com"}},
		{"ordinary site", an, "vnexpress.net", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"tiktok allowed at 10:00", an, "www.tiktok.com", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"lunch window blocks tiktok", an, "www.tiktok.com", at(0, 12, 0), Decision{Action: Block, Tag: tiktok, Schedule: "trưa"}},
		{"lunch window on tuesday", an, "m.tiktok.com", at(1, 11, 30), Decision{Action: Block, Tag: tiktok, Schedule: "trưa"}},
		{"lunch window ends at 13:00", an, "m.tiktok.com", at(1, 13, 0), Decision{Action: Allow, Tag: NoTag}},
		{"not on wednesday", an, "m.tiktok.com", at(2, 12, 0), Decision{Action: Allow, Tag: NoTag}},
		{"second window same day", an, "www.roblox.com", at(0, 17, 59), Decision{Action: Block, Tag: roblox, Schedule: "chiều"}},
		{"night: monday 23:00 blocks news", an, "vnexpress.net", at(0, 23, 0), Decision{Action: Block, Tag: NoTag, Schedule: "đêm"}},
		{"night: zalo allowed", an, "chat.zalo.me", at(0, 23, 0), Decision{Action: Allow, Tag: NoTag}},
		{"night: domain allowed", an, "moet.edu.vn", at(1, 5, 59), Decision{Action: Allow, Tag: NoTag}},
		{"night: connectivity check allowed", an, "connectivitycheck.gstatic.com", at(1, 1, 0), Decision{Action: Allow, Tag: NoTag}},
		{"night: past midnight into tuesday", an, "vnexpress.net", at(1, 5, 59), Decision{Action: Block, Tag: NoTag, Schedule: "đêm"}},
		{"night ends tuesday 06:00", an, "vnexpress.net", at(1, 6, 0), Decision{Action: Allow, Tag: NoTag}},
		{"night not before 22:00", an, "vnexpress.net", at(0, 21, 59), Decision{Action: Allow, Tag: NoTag}},
		{"no night window sunday", an, "vnexpress.net", at(-1, 23, 0), Decision{Action: Allow, Tag: NoTag}},
		{"night: allowlist still wins", an, "hoc.sex.example", at(0, 23, 0), Decision{Action: Allow, Tag: NoTag}},
		{"night: category block reported first", an, "sex.example", at(0, 23, 0), Decision{Action: Block, Tag: TagAdult}},
		{"time zone: 16:00 UTC is 23:00 in Vietnam", an, "vnexpress.net", time.Date(2026, 3, 2, 16, 0, 0, 0, time.UTC), Decision{Action: Block, Tag: NoTag, Schedule: "đêm"}},
		{"nxdomain mode", binh, "tiktok.com", mon10, Decision{Action: NXDomain, Tag: tiktok}},
		{"explicit block list drops defaults", binh, "nohu.vn", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"no bypass block, no canary", binh, "use-application-dns.net", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"safe search off", binh, "www.google.com", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"moderate youtube at 11", lop, "m.youtube.com", mon10, Decision{Action: Rewrite, Tag: NoTag, Target: "restrictmoderate.youtube.com"}},
		{"malware for unknown age", khach, "x.malware.example", mon10, Decision{Action: Block, Tag: TagMalware}},
		{"unknown age: no bypass block", khach, "dns.google", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"unknown age: safe search off", khach, "bing.com", mon10, Decision{Action: Allow, Tag: NoTag}},
		{"bad index means default", 99, "dns.google", mon10, Decision{Action: Allow, Tag: NoTag}},
	}
	for _, tc := range tests {
		if got := pol.Decide(m, tc.profile, tc.name, tc.now); got != tc.want {
			t.Errorf("%s: Decide(%d, %q) = %+v, want %+v", tc.desc, tc.profile, tc.name, got, tc.want)
		}
		if got := pol.DecideBytes(m, tc.profile, []byte(tc.name), tc.now); got != tc.want {
			t.Errorf("%s: DecideBytes differs: %+v", tc.desc, got)
		}
	}

	for addr, want := range map[string]int{
		"192.168.1.10": an, "::ffff:192.168.1.10": an, "fd00::10": an, "192.168.1.11": binh,
		"10.1.2.3": lop, "10.200.0.1": lop, "172.16.0.1": khach, "2001:db8::1": khach,
	} {
		if got := pol.ProfileFor(netip.MustParseAddr(addr)); got != want {
			t.Errorf("ProfileFor(%s) = %d, want %d", addr, got, want)
		}
	}

	client := netip.MustParseAddr("10.9.9.9")
	name := []byte("www.youtube.com")
	now := at(0, 23, 0)
	if n := testing.AllocsPerRun(200, func() {
		p := pol.ProfileFor(client)
		pol.DecideBytes(m, p, name, now)
		pol.Decide(m, an, "vnexpress.net", now)
		pol.Decide(m, an, "chat.zalo.me", now)
		pol.Decide(m, an, "use-application-dns.net", now)
	}); n != 0 {
		t.Errorf("Decide allocates %.1f times", n)
	}

	infos := pol.Profiles()
	if len(infos) != 4 || infos[0].Safe != Strict || !infos[0].AgeDefaults || infos[0].TimeZone != DefaultTimeZone ||
		!infos[0].Blocked.Has(TagBypass) || infos[1].BlockMode != "nxdomain" || strings.Join(infos[1].Block, ",") != "adult,tiktok" {
		t.Errorf("Profiles() = %+v", infos)
	}
	if i, ok := pol.ProfileIndex("lớp 6a"); !ok || i != lop {
		t.Errorf("ProfileIndex = %d, %v", i, ok)
	}
}

func TestAgeDefaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		age    int
		bypass bool
		safe   SafeSearch
	}{{0, false, Off}, {6, true, Strict}, {10, true, Strict}, {11, true, Moderate}, {15, true, Moderate}, {16, false, Moderate}, {17, false, Moderate}, {30, false, Off}} {
		tags, safe := ageDefaults(tc.age)
		for _, c := range []Tag{TagAdult, TagGambling, TagScam, TagMalware} {
			if !tags.Has(c) {
				t.Errorf("age %d: tag %d not blocked", tc.age, c)
			}
		}
		if tags.Has(TagBypass) != tc.bypass || safe != tc.safe {
			t.Errorf("age %d: bypass %v safe %v, want %v %v", tc.age, tags.Has(TagBypass), safe, tc.bypass, tc.safe)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	_, err := Compile(reg, []ProfileSpec{
		{Name: "An", Block: []string{"adult", "tiktokk"}, SafeSearch: "max", Clients: []string{"10.0.0.1", "nope"},
			TimeZone: "Mars/Olympus", BlockMode: "drop", Allow: []string{"not a domain"},
			Schedules: []ScheduleSpec{{Name: "x", Days: []string{"funday"}, From: "25:00", To: "7", Block: []string{"zalo"}},
				{Name: "y", From: "08:00", To: "08:00", Block: []string{"zalo"}},
				{Name: "z", From: "08:00", To: "09:00"}}},
		{Name: "an", Clients: []string{"10.0.0.1"}, Age: -1},
		{},
	}, "Ghost")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want *ValidationError", err)
	}
	wantFields := []string{"Block", "SafeSearch", "BlockMode", "Allow", "TimeZone", "Clients", "Schedules[0].Days",
		"Schedules[0].From", "Schedules[0].To", "Schedules[1].To", "Schedules[2].Block", "Name", "Age", "Clients", "Name", "DefaultProfile"}
	var got []string
	for _, le := range ve.Errors {
		got = append(got, le.Field)
		if le.Vi == "" || le.En == "" || le.Vi == le.En {
			t.Errorf("%s: message not in both languages: %+v", le.Field, le)
		}
	}
	if strings.Join(got, " ") != strings.Join(wantFields, " ") {
		t.Errorf("fields\n got %v\nwant %v", got, wantFields)
	}
	vi := ve.Message("vi")
	for _, s := range []string{"hồ sơ “An”: mục Block: \"tiktokk\" không phải danh mục", "không có hồ sơ tên “Ghost”", "10.0.0.1/32 đã thuộc hồ sơ “An”"} {
		if !strings.Contains(vi, s) {
			t.Errorf("Vietnamese message lacks %q:\n%s", s, vi)
		}
	}
	if !strings.Contains(err.Error(), `profile “An”: Block: "tiktokk" is not a known category or service`) {
		t.Errorf("English message: %v", err)
	}
}

func TestCompileNoProfiles(t *testing.T) {
	t.Parallel()
	pol, err := Compile(newTestRegistry(t), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if ps := pol.Profiles(); len(ps) != 1 || ps[0].Name != "default" || pol.DefaultProfile() != 0 {
		t.Errorf("profiles %+v", ps)
	}
}

func TestCompileDoesNotChangeInput(t *testing.T) {
	t.Parallel()
	specs := []ProfileSpec{{Name: "A", Schedules: []ScheduleSpec{{From: "08:00", To: "09:00", Block: []string{"zalo"}}}}}
	if _, err := Compile(newTestRegistry(t), specs, ""); err != nil {
		t.Fatal(err)
	}
	if specs[0].Schedules[0].Name != "" {
		t.Error("Compile wrote into the caller's spec")
	}
}

func BenchmarkDecide(b *testing.B) {
	reg, _ := NewRegistry()
	bl := NewBuilder()
	reg.AddBuiltins(bl)
	buf := make([]byte, 0, 64)
	for i := range 1_000_000 {
		buf = strconv.AppendInt(append(buf[:0], 'd'), int64(i), 10)
		buf = append(buf, ".example.com"...)
		bl.AddBytes(buf, TagSet(0).With(TagAdult))
	}
	m := bl.Build()
	pol, err := Compile(reg, []ProfileSpec{{Name: "An", Age: 9, Schedules: []ScheduleSpec{
		{Days: []string{"mon"}, From: "22:00", To: "06:00", AllowOnly: []string{"zalo"}},
		{From: "11:00", To: "13:00", Block: []string{"tiktok"}},
	}}}, "")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for _, q := range []string{"www.vnexpress.net", "www.d500000.example.com", "www.youtube.com"} {
		b.Run(q, func(b *testing.B) {
			name := []byte(q)
			b.ReportAllocs()
			for b.Loop() {
				pol.DecideBytes(m, 0, name, now)
			}
		})
	}
}
