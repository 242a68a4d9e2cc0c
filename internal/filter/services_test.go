package filter

import (
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	t.Parallel()
	reg, err := NewRegistry("Violence", "drugs")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range builtinCategories {
		if reg.Info(Tag(i)).Name != c.Name {
			t.Errorf("tag %d = %q, want %q", i, reg.Info(Tag(i)).Name, c.Name)
		}
	}
	required := []string{"tiktok", "facebook", "messenger", "instagram", "youtube", "zalo", "telegram",
		"discord", "roblox", "minecraft", "lienquan", "freefire", "pubg", "steam", "twitch", "fptplay", "tv360", "vnggames"}
	for _, s := range required {
		tag, ok := reg.Tag(s)
		if !ok || reg.Info(tag).Kind != KindService {
			t.Errorf("service %q missing", s)
		}
	}
	v, ok := reg.Tag("VIOLENCE")
	if !ok || int(v) != reg.Len()-2 || reg.Name(v) != "violence" {
		t.Errorf("custom category: tag %d ok %v", v, ok)
	}
	for _, s := range reg.Services() {
		if s.Vi == "" || s.En == "" || len(s.Domains) == 0 {
			t.Errorf("service %+v incomplete", s)
		}
	}
	if reg.Names(TagSet(0).With(TagAdult).With(v)) == nil {
		t.Error("Names empty")
	}
	if _, err := NewRegistry("adult"); err == nil {
		t.Error("a custom name that repeats a built-in was accepted")
	}
	many := make([]string, 64)
	for i := range many {
		many[i] = "c" + strings.Repeat("x", i)
	}
	if _, err := NewRegistry(many...); err == nil || !strings.Contains(err.Error(), "64") {
		t.Errorf("more than 64 tags: %v", err)
	}
}

func TestBuiltinDomainsValid(t *testing.T) {
	t.Parallel()
	svcs, err := parseCatalogue(servicesData)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]string)
	for _, s := range svcs {
		for _, d := range s.Domains {
			if prev, dup := seen[d]; dup {
				t.Errorf("%s listed by %s and %s", d, prev, s.ID)
			}
			seen[d] = s.ID
		}
	}
	if _, err := parseNameList(bypassData); err != nil {
		t.Fatal(err)
	}
	if _, err := parseCatalogue("x.com\n"); err == nil {
		t.Error("domain before a service accepted")
	}
	if _, err := parseCatalogue("@a | b\n"); err == nil {
		t.Error("short header accepted")
	}
}

// TestServiceGroups checks the groups the time budgets count: the games of
// Decree 147/2024 are games, and the messaging apps families call with are
// in no group (a games or social budget must never cut a call home).
func TestServiceGroups(t *testing.T) {
	t.Parallel()
	reg, err := NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"games":  {"roblox", "minecraft", "garena", "lienquan", "freefire", "pubg", "genshin", "vnggames", "steam"},
		"social": {"tiktok", "douyin", "facebook", "instagram", "threads", "discord", "snapchat", "twitter", "bigolive"},
		"video":  {"youtube", "twitch", "fptplay", "tv360", "vieon"},
	}
	for g, svcs := range want {
		got := reg.GroupServices(g)
		for _, s := range svcs {
			tag, _ := reg.Tag(s)
			if reg.Group(tag) != g || !strings.Contains(" "+strings.Join(got, " ")+" ", " "+s+" ") {
				t.Errorf("%s: group %q, services of %s %v", s, reg.Group(tag), g, got)
			}
		}
		if len(got) != len(svcs) {
			t.Errorf("group %s = %v, want %v", g, got, svcs)
		}
	}
	for _, s := range []string{"zalo", "messenger", "telegram"} {
		tag, _ := reg.Tag(s)
		if g := reg.Group(tag); g != "" {
			t.Errorf("%s is in group %q, want none", s, g)
		}
	}
	if _, ok := reg.GroupTags("chat"); ok || reg.GroupServices("chat") != nil {
		t.Error("an unknown group was accepted")
	}
	if _, err := parseCatalogue("@x | X | X | toys\nx.example\n"); err == nil {
		t.Error("an unknown group in the catalogue was accepted")
	}
}
