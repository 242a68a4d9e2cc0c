package filter

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// domainMatcher builds a matcher of domains (each covering its
// subdomains); nil when there are none. Bad names are reported and skipped.
func domainMatcher(domains []string, bad func(d, reason string)) *Matcher {
	if len(domains) == 0 {
		return nil
	}
	b := NewBuilder()
	for _, d := range domains {
		nd, reason := normalizeDomain([]byte(strings.TrimSpace(d)), nil)
		if reason != "" {
			bad(d, reason)
			continue
		}
		b.AddBytes(nd, 1)
	}
	return b.Build()
}

// compileTemp compiles the unexpired TempAllow entries of spec into pr:
// entry i is tag bit i of pr.temp, with its end in pr.tempUntil[i]. Expired
// entries are dropped from spec too (the profile's description shows what
// is in force).
func compileTemp(pr *profile, spec *ProfileSpec, now time.Time, bad func(vi, en string)) {
	live := spec.TempAllow[:0]
	b := NewBuilder()
	for _, t := range spec.TempAllow {
		nd, reason := normalizeDomain([]byte(strings.TrimSpace(t.Domain)), nil)
		if reason != "" {
			bad(fmt.Sprintf("%q không phải tên miền hợp lệ", t.Domain), fmt.Sprintf("%q is not a valid domain (%s)", t.Domain, reason))
			continue
		}
		if !t.Until.After(now) {
			continue
		}
		if len(live) == maxTempAllows {
			bad(fmt.Sprintf("quá %d trang được cho phép tạm thời", maxTempAllows), fmt.Sprintf("more than %d sites are allowed for a while", maxTempAllows))
			break
		}
		b.AddBytes(nd, TagSet(0).With(Tag(len(live))))
		pr.tempUntil = append(pr.tempUntil, t.Until.Unix())
		live = append(live, t)
	}
	spec.TempAllow = live
	if len(live) > 0 {
		pr.temp = b.Build()
	}
}

// parseClient reads an IP address or CIDR, IPv4-mapped IPv6 as IPv4.
func parseClient(c string) (netip.Prefix, bool) {
	c = strings.TrimSpace(c)
	if a, err := netip.ParseAddr(c); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	pf, err := netip.ParsePrefix(c)
	if err != nil {
		return netip.Prefix{}, false
	}
	pf = pf.Masked()
	if pf.Addr().Is4In6() {
		pf = netip.PrefixFrom(pf.Addr().Unmap(), pf.Bits()-96)
	}
	return pf, true
}

// isDNSLabel reports whether s is a lower-case LDH label (RFC 1123).
func isDNSLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// compileBudgets checks spec.Budgets and binds them to u's counters.
func compileBudgets(reg *Registry, u *Usage, spec *ProfileSpec, pn string, bad func(field, vi, en string)) []budgetRef {
	if len(spec.Budgets) > maxBudgets {
		bad("Budgets", fmt.Sprintf("quá %d giới hạn thời gian", maxBudgets), fmt.Sprintf("more than %d time budgets", maxBudgets))
		return nil
	}
	var out []budgetRef
	seen := make(map[string]bool)
	for j, b := range spec.Budgets {
		field := fmt.Sprintf("Budgets[%d]", j)
		key := strings.ToLower(strings.TrimSpace(b.Key))
		spec.Budgets[j].Key = key
		if b.Minutes < 1 || b.Minutes > MinutesPerDay {
			bad(field+".Minutes", fmt.Sprintf("%d phút không hợp lệ (1–1440)", b.Minutes), fmt.Sprintf("%d minutes is out of range (1–1440)", b.Minutes))
			continue
		}
		if seen[key] {
			bad(field+".Key", fmt.Sprintf("giới hạn %q bị lặp", key), fmt.Sprintf("budget %q is given twice", key))
			continue
		}
		seen[key] = true
		ref := budgetRef{limit: int32(b.Minutes), key: key}
		switch g, each := strings.CutPrefix(key, "each:"); {
		case key == "all":
			ref.all = true
			ref.ctr = u.counter(spec.ID, pn, key)
			out = append(out, ref)
		case each:
			ts, ok := reg.GroupTags(g)
			if !ok {
				bad(field+".Key", fmt.Sprintf("%q không phải nhóm (games, social, video)", g), fmt.Sprintf("%q is not a group (games, social, video)", g))
				continue
			}
			for ts != 0 {
				t := ts.First()
				ts &^= 1 << t
				r := ref
				r.mask = TagSet(0).With(t)
				r.ctr = u.counter(spec.ID, pn, reg.Name(t))
				out = append(out, r)
			}
		case strings.HasPrefix(key, "group:"):
			ts, ok := reg.GroupTags(strings.TrimPrefix(key, "group:"))
			if !ok {
				bad(field+".Key", fmt.Sprintf("%q không phải nhóm (games, social, video)", strings.TrimPrefix(key, "group:")), fmt.Sprintf("%q is not a group (games, social, video)", strings.TrimPrefix(key, "group:")))
				continue
			}
			ref.mask = ts
			ref.ctr = u.counter(spec.ID, pn, key)
			out = append(out, ref)
		default:
			t, ok := reg.Tag(key)
			if !ok || reg.Info(t).Kind != KindService {
				bad(field+".Key", fmt.Sprintf("%q không phải dịch vụ, nhóm hay \"all\"", key), fmt.Sprintf("%q is not a service, a group or \"all\"", key))
				continue
			}
			ref.mask = TagSet(0).With(t)
			ref.ctr = u.counter(spec.ID, pn, key)
			out = append(out, ref)
		}
	}
	return slices.Clip(out)
}

// checkBudgets blocks a name whose covering budget is spent, else marks
// the minute in every covering budget's counter.
func checkBudgets[T name](p *Policy, pr *profile, tags TagSet, s T, now time.Time) (Decision, bool) {
	essential := -1
	day, minute := dayNumber(now, pr.loc)
	covered := false
	for i := range pr.budgets {
		b := &pr.budgets[i]
		if b.all {
			if essential < 0 {
				essential = 0
				if lookup(p.essential, s) != 0 {
					essential = 1
				}
			}
			if essential == 1 {
				continue
			}
		} else if tags&b.mask == 0 {
			continue
		}
		covered = true
		if b.ctr.spent(day, minute, b.limit) {
			t := NoTag
			if !b.all {
				t = (tags & b.mask).First()
			}
			return Decision{Action: pr.blockAct, Tag: t, Cause: CauseBudget, Budget: b.key}, true
		}
	}
	if !covered {
		return Decision{}, false
	}
	for i := range pr.budgets {
		b := &pr.budgets[i]
		if (b.all && essential != 1) || (!b.all && tags&b.mask != 0) {
			b.ctr.mark(day, minute)
		}
	}
	return Decision{}, false
}

// cloneSpec returns a deep copy of s.
func cloneSpec(s *ProfileSpec) ProfileSpec {
	c := *s
	c.Block, c.Allow, c.Clients, c.Deny = slices.Clone(s.Block), slices.Clone(s.Allow), slices.Clone(s.Clients), slices.Clone(s.Deny)
	c.TempAllow, c.Budgets = slices.Clone(s.TempAllow), slices.Clone(s.Budgets)
	c.Schedules = slices.Clone(s.Schedules)
	for i := range c.Schedules {
		w := &c.Schedules[i]
		w.Days, w.Block, w.AllowOnly = slices.Clone(w.Days), slices.Clone(w.Block), slices.Clone(w.AllowOnly)
	}
	c.Devices = slices.Clone(s.Devices)
	for i := range c.Devices {
		c.Devices[i].Clients = slices.Clone(c.Devices[i].Clients)
	}
	return c
}

// specEqual reports whether a and b compile to the same profile.
func specEqual(a, b *ProfileSpec) bool {
	if a.Name != b.Name || a.Age != b.Age || a.SafeSearch != b.SafeSearch || a.TimeZone != b.TimeZone ||
		a.BlockMode != b.BlockMode || a.Retention != b.Retention || a.ID != b.ID || !a.PausedUntil.Equal(b.PausedUntil) ||
		!slices.Equal(a.Block, b.Block) || !slices.Equal(a.Allow, b.Allow) || !slices.Equal(a.Clients, b.Clients) ||
		!slices.Equal(a.Deny, b.Deny) || !slices.Equal(a.Budgets, b.Budgets) ||
		!slices.EqualFunc(a.TempAllow, b.TempAllow, func(x, y TimedDomain) bool { return x.Domain == y.Domain && x.Until.Equal(y.Until) }) ||
		!slices.EqualFunc(a.Schedules, b.Schedules, func(x, y ScheduleSpec) bool {
			return x.Name == y.Name && x.From == y.From && x.To == y.To && slices.Equal(x.Days, y.Days) &&
				slices.Equal(x.Block, y.Block) && slices.Equal(x.AllowOnly, y.AllowOnly)
		}) ||
		!slices.EqualFunc(a.Devices, b.Devices, func(x, y DeviceSpec) bool {
			return x.ID == y.ID && x.Label == y.Label && slices.Equal(x.Clients, y.Clients)
		}) {
		return false
	}
	return true
}
