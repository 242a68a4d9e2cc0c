package filter

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	// A static binary has no system zoneinfo; this embeds it (~450 KB) so
	// that time.LoadLocation("Asia/Ho_Chi_Minh") always works.
	_ "time/tzdata"
)

// DefaultTimeZone is the time zone of schedules when a profile names none.
const DefaultTimeZone = "Asia/Ho_Chi_Minh"

// Action is what the resolver does with a query.
type Action uint8

const (
	// Allow resolves the name normally.
	Allow Action = iota
	// Block answers with the null address (0.0.0.0 / ::).
	Block
	// NXDomain answers that the name does not exist.
	NXDomain
	// Rewrite answers with a CNAME to Decision.Target (safe search).
	Rewrite
)

// String returns "allow", "block", "nxdomain" or "rewrite".
func (a Action) String() string {
	switch a {
	case Block:
		return "block"
	case NXDomain:
		return "nxdomain"
	case Rewrite:
		return "rewrite"
	}
	return "allow"
}

// Cause is the kind of rule behind a Decision.
type Cause uint8

const (
	// CauseRule is a category, a service or a schedule window (see Tag and
	// Schedule), or nothing for an allowed name.
	CauseRule Cause = iota
	// CauseDeny is a site the parent blocked (ProfileSpec.Deny).
	CauseDeny
	// CausePause is a pause (ProfileSpec.PausedUntil).
	CausePause
	// CauseBudget is a spent time budget (see Decision.Budget).
	CauseBudget
)

// String returns "", "deny", "pause" or "budget".
func (c Cause) String() string {
	switch c {
	case CauseDeny:
		return "deny"
	case CausePause:
		return "pause"
	case CauseBudget:
		return "budget"
	}
	return ""
}

// Decision is the verdict on one query.
type Decision struct {
	Action   Action
	Tag      Tag    // the category or service that caused it, NoTag if none
	Target   string // CNAME target when Action is Rewrite
	Schedule string // the schedule window that caused it, "" if none
	Cause    Cause
	// Budget is the key of the spent budget ("group:games") when Cause is
	// CauseBudget; Tag is then the service, NoTag for "all".
	Budget string
}

// ProfileSpec is one filtering profile as configured (one child, one class,
// one school network). See Compile for defaults and validation.
type ProfileSpec struct {
	Name       string
	Age        int      // years; 0 = unknown; picks the defaults when Block is empty
	Block      []string // category and service names; empty = age defaults; ["none"] = nothing
	Allow      []string // domains always allowed, over every list and schedule
	SafeSearch string   // "off", "moderate", "strict"; "" = age default
	Clients    []string // client IPs or CIDRs that use this profile
	Schedules  []ScheduleSpec
	TimeZone   string // IANA name; "" = Asia/Ho_Chi_Minh
	BlockMode  string // "null" (0.0.0.0 / ::, the default) or "nxdomain"
	Retention  time.Duration

	// The fields below come from profiles made in the portal (internal/family);
	// YAML profiles leave them empty.

	// ID is the database id of the profile (0 for YAML profiles); usage
	// counters (budgets, devices seen) are kept by ID across policy swaps.
	ID int64
	// Deny lists single sites the parent blocked (a domain and its
	// subdomains), under Allow and TempAllow.
	Deny []string
	// TempAllow lists sites allowed until a time (a child's request that the
	// parent allowed for an hour or a day); expired entries are ignored.
	TempAllow []TimedDomain
	// PausedUntil, when after now, blocks everything but Allow, TempAllow
	// and the essential names (connectivity checks, time): "no internet now"
	// (PauseForever) or "until 20:00".
	PausedUntil time.Time
	// Budgets are daily time budgets; see BudgetSpec.
	Budgets []BudgetSpec
	// Devices are the profile's devices: each has its own DNS label (its
	// DoT name <label>.<domain>, DoH path /dns-query/<label>) and optional
	// client addresses, so the server can say when each was last seen.
	Devices []DeviceSpec
}

// PauseForever is the PausedUntil of a pause with no end ("no internet now"
// until the parent resumes it).
var PauseForever = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// TimedDomain is a domain allowed until a time.
type TimedDomain struct {
	Domain string
	Until  time.Time
}

// BudgetSpec is a daily time budget of a profile, in minutes with activity
// (see docs/families-dns.md for how a minute is counted). Key is one of:
//
//	"all"           every name but the essential ones
//	"group:<g>"     every service of group g together (games, social, video)
//	"each:<g>"      each service of group g separately
//	"<service>"     one service (tiktok, lienquan, ...)
//
// Once the minutes are spent the names it covers are blocked until
// midnight in the profile's time zone.
type BudgetSpec struct {
	Key     string
	Minutes int
}

// DeviceSpec is one device of a profile.
type DeviceSpec struct {
	ID      int64
	Label   string   // a DNS label, unique across profiles and devices
	Clients []string // IPs or CIDRs of the device (optional)
}

// ScheduleSpec is a weekly time window of a profile.
type ScheduleSpec struct {
	Name      string
	Days      []string // mon..sun (or t2..t7, cn, weekdays, weekend, daily); empty = every day
	From, To  string   // "HH:MM"; To before From runs past midnight into the next day; To may be "24:00"
	Block     []string // categories and services blocked during the window
	AllowOnly []string // if set, only these categories, services and domains resolve during the window
}

// ProfileInfo describes a compiled profile for display.
type ProfileInfo struct {
	Index int
	ProfileSpec
	Blocked     TagSet     // what the profile blocks outside its windows
	Safe        SafeSearch // the effective safe-search level
	AgeDefaults bool       // Blocked came from the age table
}

// ageDefaults is the table documented on Compile. A child is a person under 16 (Law on Children 2016); 16–17-year-olds keep
// protection from harmful content but may use VPNs.
func ageDefaults(age int) (TagSet, SafeSearch) {
	base := TagSet(0).With(TagAdult).With(TagGambling).With(TagScam).With(TagMalware)
	switch {
	case age >= 1 && age <= 10:
		return base.With(TagBypass), SafeSearchStrict
	case age >= 11 && age <= 15:
		return base.With(TagBypass), SafeSearchModerate
	case age >= 16 && age <= 17:
		return base, SafeSearchModerate
	}
	return base, SafeSearchOff
}

// essentialNames resolve even during an AllowOnly window, so that phones do
// not decide the network is broken (connectivity checks) and keep the time.
var essentialNames = []string{
	"connectivitycheck.gstatic.com", "connectivitycheck.android.com", "clients3.google.com",
	"captive.apple.com", "www.msftconnecttest.com", "www.msftncsi.com",
	"time.android.com", "time.apple.com", "time.windows.com", "time.google.com", "pool.ntp.org",
}

type window struct {
	name       string
	mask       *weekMask // shared by the windows of every profile with the same minutes
	block      TagSet
	allowOnly  bool
	allowTags  TagSet
	allowNames *Matcher
}

type profile struct {
	info      ProfileInfo
	block     TagSet
	safe      SafeSearch
	blockAct  Action
	allow     *Matcher
	deny      *Matcher
	temp      *Matcher // tag bit i is tempUntil[i]
	tempUntil []int64  // unix seconds
	paused    int64    // unix seconds; 0 not paused
	windows   []window
	budgets   []budgetRef
	devices   []*seenCell // by device index; nil for a device with no ID
	clamp     bool
	loc       *time.Location
}

// budgetRef is one compiled budget: the names it covers (every
// non-essential name when all, else those with a tag in mask), its limit
// and its counter. An "each:<g>" budget compiles to one budgetRef a service.
type budgetRef struct {
	all   bool
	mask  TagSet
	limit int32
	key   string
	ctr   *budgetCounter
}

// owner is who a client address or label belongs to: a profile and one of
// its devices (-1 for the profile itself).
type owner struct {
	profile, device int32
}

// Policy is a compiled, immutable set of profiles. It is safe for concurrent
// use; replace it as a whole when the configuration changes.
type Policy struct {
	profiles  []profile
	def       int
	exact     map[netip.Addr]owner
	prefixes  []netip.Prefix // longest first
	prefixIdx []owner
	labels    map[string]owner // lower-case profile names and device labels
	essential *Matcher
	usage     *Usage
}

// maxTempAllows bounds a profile's unexpired TempAllow entries (one tag bit
// each in its matcher).
const maxTempAllows = 64

// maxBudgets bounds a profile's budgets.
const maxBudgets = 32

// Compile checks and compiles profiles. defaultProfile names the profile of
// clients no profile lists; "" means the first.
//
// A profile whose Block is empty gets the defaults of its Age; whose
// SafeSearch is empty, the safe search of its Age:
//
//	age                 blocked                               safe search
//	0 (unknown), 18+    adult gambling scam malware           off
//	1–10                adult gambling scam malware bypass    strict
//	11–15               adult gambling scam malware bypass    moderate
//	16–17               adult gambling scam malware           moderate
//
// Block ["none"] blocks nothing. Schedule Days are mon..sun (also t2..t7,
// cn, weekdays, weekend, daily; none = every day); a window whose To is
// before its From runs past midnight into the next day. With no profiles at all the
// policy has one profile, "default", with the age-0 defaults. Every problem
// found is returned at once in a *ValidationError of *LocalizedError.
func Compile(reg *Registry, profiles []ProfileSpec, defaultProfile string) (*Policy, error) {
	return CompileUsage(reg, profiles, defaultProfile, nil, time.Now())
}

// CompileUsage is Compile with the usage counters u (nil: new ones), so
// that budgets and devices keep their minutes and last-seen times across
// policies, and now, the time that expired TempAllow entries are dropped at.
//
// A profile's names for the DoT server name and the DoH path are its Name
// and its devices' Labels; they are unique case-insensitively. Deny sites
// are blocked under Allow and unexpired TempAllow entries (at most 64 a
// profile). While now is before PausedUntil everything but Allow,
// TempAllow and the essential names is blocked. Budgets (at most 32, keys
// as BudgetSpec, 1..1440 minutes, one per key) count the names they cover
// that would otherwise resolve; see Decide. Profiles with an ID (made in the
// portal) get their answers' TTLs clamped (ClampTTL), as do profiles with
// schedules or budgets.
func CompileUsage(reg *Registry, profiles []ProfileSpec, defaultProfile string, u *Usage, now time.Time) (*Policy, error) {
	if u == nil {
		u = NewUsage()
	}
	if reg == nil {
		return nil, fmt.Errorf("compiling policy: nil registry")
	}
	if len(profiles) == 0 {
		profiles = []ProfileSpec{{Name: "default"}}
	}
	var errs []*LocalizedError
	bad := func(prof, field, vi, en string) {
		errs = append(errs, &LocalizedError{Profile: prof, Field: field, Vi: vi, En: en})
	}
	p := &Policy{exact: make(map[netip.Addr]owner), def: -1, labels: make(map[string]owner, len(profiles)), usage: u}
	labelOwner := make(map[string]string)
	eb := NewBuilder()
	for _, n := range essentialNames {
		eb.Add(n, 1)
	}
	p.essential = eb.Build()
	names := make(map[string]int)
	clientOwner := make(map[string]string)
	locs := make(map[string]*time.Location)
	masks := make(map[weekMask]*weekMask)
	type pfx struct {
		p   netip.Prefix
		idx owner
	}
	var pfxs []pfx
	for i, spec := range profiles {
		// The caller keeps its slices; ProfileInfo gets copies.
		spec.Block, spec.Allow = slices.Clone(spec.Block), slices.Clone(spec.Allow)
		spec.Clients, spec.Schedules = slices.Clone(spec.Clients), slices.Clone(spec.Schedules)
		spec.Deny, spec.TempAllow, spec.Budgets = slices.Clone(spec.Deny), slices.Clone(spec.TempAllow), slices.Clone(spec.Budgets)
		spec.Devices = slices.Clone(spec.Devices)
		spec.Name = strings.TrimSpace(spec.Name)
		pn := spec.Name
		if pn == "" {
			pn = fmt.Sprintf("#%d", i+1)
			bad(pn, "Name", "thiếu tên hồ sơ", "the profile has no name")
		} else if j, dup := names[strings.ToLower(pn)]; dup {
			bad(pn, "Name", fmt.Sprintf("tên trùng với hồ sơ thứ %d", j+1), fmt.Sprintf("the name is already used by profile %d", j+1))
		} else {
			names[strings.ToLower(pn)] = i
			if other, taken := labelOwner[strings.ToLower(pn)]; taken {
				bad(pn, "Name", fmt.Sprintf("tên trùng với nhãn một thiết bị của hồ sơ %s", quote(other)), fmt.Sprintf("the name is the label of a device of profile %s", quote(other)))
			}
			labelOwner[strings.ToLower(pn)] = pn
			p.labels[strings.ToLower(pn)] = owner{int32(i), -1}
		}
		pr := profile{blockAct: Block}
		if spec.Age < 0 || spec.Age > 120 {
			bad(pn, "Age", fmt.Sprintf("tuổi %d không hợp lệ (0–120, 0 là không rõ)", spec.Age), fmt.Sprintf("age %d is out of range (0–120, 0 for unknown)", spec.Age))
		}
		defBlock, defSafe := ageDefaults(spec.Age)
		if len(spec.Block) == 0 {
			pr.block = defBlock
			pr.info.AgeDefaults = true
		} else if !(len(spec.Block) == 1 && strings.EqualFold(strings.TrimSpace(spec.Block[0]), "none")) {
			pr.block = resolveTags(reg, spec.Block, func(n string) {
				bad(pn, "Block", fmt.Sprintf("%q không phải danh mục hay dịch vụ đã biết", n), fmt.Sprintf("%q is not a known category or service", n))
			})
		}
		pr.safe = defSafe
		if strings.TrimSpace(spec.SafeSearch) != "" {
			s, err := ParseSafeSearch(spec.SafeSearch)
			if err != nil {
				bad(pn, "SafeSearch", fmt.Sprintf("%q không hợp lệ (off, moderate hoặc strict)", spec.SafeSearch), fmt.Sprintf("%q is not off, moderate or strict", spec.SafeSearch))
			}
			pr.safe = s
		}
		switch strings.ToLower(strings.TrimSpace(spec.BlockMode)) {
		case "", "null", "zero":
			spec.BlockMode = "null"
		case "nxdomain":
			spec.BlockMode = "nxdomain"
			pr.blockAct = NXDomain
		default:
			bad(pn, "BlockMode", fmt.Sprintf("%q không hợp lệ (null hoặc nxdomain)", spec.BlockMode), fmt.Sprintf("%q is not null or nxdomain", spec.BlockMode))
		}
		if spec.Retention < 0 {
			bad(pn, "Retention", "thời gian lưu không được âm", "retention must not be negative")
		}
		pr.allow = domainMatcher(spec.Allow, func(d, reason string) {
			bad(pn, "Allow", fmt.Sprintf("%q không phải tên miền hợp lệ", d), fmt.Sprintf("%q is not a valid domain (%s)", d, reason))
		})
		pr.deny = domainMatcher(spec.Deny, func(d, reason string) {
			bad(pn, "Deny", fmt.Sprintf("%q không phải tên miền hợp lệ", d), fmt.Sprintf("%q is not a valid domain (%s)", d, reason))
		})
		compileTemp(&pr, &spec, now, func(vi, en string) { bad(pn, "TempAllow", vi, en) })
		if !spec.PausedUntil.IsZero() {
			pr.paused = spec.PausedUntil.Unix()
		}
		if spec.ID < 0 {
			bad(pn, "ID", "mã hồ sơ không được âm", "the profile id must not be negative")
		}
		tz := strings.TrimSpace(spec.TimeZone)
		if tz == "" {
			tz = DefaultTimeZone
		}
		spec.TimeZone = tz
		loc, ok := locs[tz]
		if !ok {
			var err error
			if loc, err = time.LoadLocation(tz); err != nil {
				bad(pn, "TimeZone", fmt.Sprintf("múi giờ %q không tồn tại", tz), fmt.Sprintf("unknown time zone %q", tz))
				loc = time.UTC
			}
			locs[tz] = loc
		}
		pr.loc = loc
		for _, c := range spec.Clients {
			pf, ok := parseClient(c)
			if !ok {
				bad(pn, "Clients", fmt.Sprintf("%q không phải địa chỉ IP hay dải CIDR", c), fmt.Sprintf("%q is not an IP address or CIDR", c))
				continue
			}
			key := pf.String()
			if o, dup := clientOwner[key]; dup {
				bad(pn, "Clients", fmt.Sprintf("%s đã thuộc hồ sơ %s", key, quote(o)), fmt.Sprintf("%s already belongs to profile %s", key, quote(o)))
				continue
			}
			clientOwner[key] = pn
			if pf.IsSingleIP() {
				p.exact[pf.Addr()] = owner{int32(i), -1}
			} else {
				pfxs = append(pfxs, pfx{pf, owner{int32(i), -1}})
			}
		}
		deviceIDs := make(map[int64]bool)
		for j, d := range spec.Devices {
			field := fmt.Sprintf("Devices[%d]", j)
			d.Label = strings.ToLower(strings.TrimSpace(d.Label))
			spec.Devices[j].Label = d.Label
			d.Clients = slices.Clone(d.Clients)
			spec.Devices[j].Clients = d.Clients
			if !isDNSLabel(d.Label) {
				bad(pn, field+".Label", fmt.Sprintf("nhãn %q không phải nhãn DNS (a-z, 0-9, dấu gạch ngang, tối đa 63 ký tự)", d.Label), fmt.Sprintf("label %q is not a DNS label (a-z, 0-9, hyphens, at most 63 characters)", d.Label))
			} else if other, taken := labelOwner[d.Label]; taken {
				bad(pn, field+".Label", fmt.Sprintf("nhãn %q đã được dùng (hồ sơ %s)", d.Label, quote(other)), fmt.Sprintf("label %q is already used (profile %s)", d.Label, quote(other)))
			} else {
				labelOwner[d.Label] = pn
				p.labels[d.Label] = owner{int32(i), int32(j)}
			}
			var cell *seenCell
			if d.ID < 0 || (d.ID > 0 && deviceIDs[d.ID]) {
				bad(pn, field+".ID", fmt.Sprintf("mã thiết bị %d không hợp lệ hoặc bị trùng", d.ID), fmt.Sprintf("device id %d is negative or repeated", d.ID))
			} else if d.ID > 0 {
				deviceIDs[d.ID] = true
				cell = u.seenOf(d.ID)
			}
			pr.devices = append(pr.devices, cell)
			for _, c := range d.Clients {
				pf, ok := parseClient(c)
				if !ok {
					bad(pn, field+".Clients", fmt.Sprintf("%q không phải địa chỉ IP hay dải CIDR", c), fmt.Sprintf("%q is not an IP address or CIDR", c))
					continue
				}
				key := pf.String()
				if o, dup := clientOwner[key]; dup {
					bad(pn, field+".Clients", fmt.Sprintf("%s đã thuộc hồ sơ %s", key, quote(o)), fmt.Sprintf("%s already belongs to profile %s", key, quote(o)))
					continue
				}
				clientOwner[key] = pn
				if pf.IsSingleIP() {
					p.exact[pf.Addr()] = owner{int32(i), int32(j)}
				} else {
					pfxs = append(pfxs, pfx{pf, owner{int32(i), int32(j)}})
				}
			}
		}
		pr.budgets = compileBudgets(reg, u, &spec, pn, func(field, vi, en string) { bad(pn, field, vi, en) })
		for j, s := range spec.Schedules {
			field := fmt.Sprintf("Schedules[%d]", j)
			if s.Name = strings.TrimSpace(s.Name); s.Name == "" {
				s.Name = fmt.Sprintf("%s-%d", pn, j+1)
				spec.Schedules[j].Name = s.Name
			}
			w, ok := compileWindow(reg, s, masks, func(f, vi, en string) { bad(pn, field+"."+f, vi, en) })
			if ok {
				pr.windows = append(pr.windows, w)
			}
		}
		pr.clamp = spec.ID > 0 || len(pr.windows) > 0 || len(pr.budgets) > 0
		spec.SafeSearch = pr.safe.String()
		pr.info.ProfileSpec = spec
		pr.info.Index = i
		pr.info.Blocked = pr.block
		pr.info.Safe = pr.safe
		pr.info.Block = reg.Names(pr.block)
		p.profiles = append(p.profiles, pr)
	}
	if defaultProfile = strings.TrimSpace(defaultProfile); defaultProfile == "" {
		p.def = 0
	} else if i, ok := names[strings.ToLower(defaultProfile)]; ok {
		p.def = i
	} else {
		bad("", "DefaultProfile", fmt.Sprintf("không có hồ sơ tên %s", quote(defaultProfile)), fmt.Sprintf("no profile is named %s", quote(defaultProfile)))
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Errors: errs}
	}
	slices.SortStableFunc(pfxs, func(a, b pfx) int { return b.p.Bits() - a.p.Bits() })
	for _, x := range pfxs {
		p.prefixes = append(p.prefixes, x.p)
		p.prefixIdx = append(p.prefixIdx, x.idx)
	}
	return p, nil
}

// resolveTags maps category and service names to a TagSet, reporting unknown ones.
func resolveTags(reg *Registry, names []string, unknown func(string)) TagSet {
	var s TagSet
	for _, n := range names {
		t, ok := reg.Tag(n)
		if !ok {
			unknown(n)
			continue
		}
		s = s.With(t)
	}
	return s
}

func compileWindow(reg *Registry, s ScheduleSpec, masks map[weekMask]*weekMask, bad func(field, vi, en string)) (window, bool) {
	w := window{name: s.Name}
	ok := true
	days, err := parseDays(s.Days)
	if err != nil {
		bad("Days", fmt.Sprintf("ngày %v không hợp lệ (mon..sun hoặc t2..t7, cn)", err), fmt.Sprintf("day %v is not one of mon..sun", err))
		ok = false
	}
	from, okF := parseClock(s.From, false)
	if !okF {
		bad("From", fmt.Sprintf("giờ %q không hợp lệ (HH:MM)", s.From), fmt.Sprintf("time %q is not HH:MM", s.From))
		ok = false
	}
	to, okT := parseClock(s.To, true)
	if !okT {
		bad("To", fmt.Sprintf("giờ %q không hợp lệ (HH:MM)", s.To), fmt.Sprintf("time %q is not HH:MM", s.To))
		ok = false
	}
	if okF && okT && from == to {
		bad("To", "giờ kết thúc trùng giờ bắt đầu", "the window ends when it starts")
		ok = false
	}
	if len(s.Block) == 0 && len(s.AllowOnly) == 0 {
		bad("Block", "khung giờ phải có Block hoặc AllowOnly", "a window needs Block or AllowOnly")
		ok = false
	}
	w.block = resolveTags(reg, s.Block, func(n string) {
		bad("Block", fmt.Sprintf("%q không phải danh mục hay dịch vụ đã biết", n), fmt.Sprintf("%q is not a known category or service", n))
		ok = false
	})
	if len(s.AllowOnly) > 0 {
		w.allowOnly = true
		nb := NewBuilder()
		for _, n := range s.AllowOnly {
			if t, found := reg.Tag(n); found {
				w.allowTags = w.allowTags.With(t)
				continue
			}
			d, reason := normalizeDomain([]byte(strings.TrimSpace(n)), nil)
			if reason != "" {
				bad("AllowOnly", fmt.Sprintf("%q không phải danh mục, dịch vụ hay tên miền", n), fmt.Sprintf("%q is not a category, service or domain", n))
				ok = false
				continue
			}
			nb.AddBytes(d, 1)
		}
		w.allowNames = nb.Build()
	}
	if !ok {
		return w, false
	}
	const day = 24 * 60
	var mask weekMask
	for _, d := range days {
		start := d*day + from
		end := d*day + to
		if to < from { // past midnight into the next day
			end += day
		}
		mask.set(start%minutesPerWeek, end%minutesPerWeek)
	}
	// Families pick the same few windows (school hours, bedtime): one
	// 1.3 KB mask each, not one a profile.
	if m, ok := masks[mask]; ok {
		w.mask = m
	} else {
		w.mask = &mask
		masks[mask] = w.mask
	}
	return w, true
}

// ProfileFor returns the index of client's profile: an exact address first,
// then the longest matching prefix, else the default profile. IPv4-mapped
// IPv6 addresses match as IPv4. It does not allocate.
func (p *Policy) ProfileFor(client netip.Addr) int {
	prof, _ := p.ClientOf(client)
	return prof
}

// ClientOf is ProfileFor that also returns the index of the profile's
// device whose Clients hold the address (-1 for the profile's own Clients
// and the default profile). It does not allocate.
func (p *Policy) ClientOf(client netip.Addr) (profile, device int) {
	client = client.Unmap()
	if o, ok := p.exact[client]; ok {
		return int(o.profile), int(o.device)
	}
	for j, pf := range p.prefixes {
		if pf.Contains(client) {
			return int(p.prefixIdx[j].profile), int(p.prefixIdx[j].device)
		}
	}
	return p.def, -1
}

// ProfileIndex returns the index of the profile named name, or of the
// profile whose device is labelled name (case-insensitive).
func (p *Policy) ProfileIndex(name string) (int, bool) {
	prof, _, ok := p.ByLabel(name)
	return prof, ok
}

// ByLabel returns the profile whose Name is label, with device -1, or the
// profile and index of the device labelled label (case-insensitive): the
// name a DoT server name or DoH path chooses. A map lookup; it allocates
// only for a label with upper-case letters.
func (p *Policy) ByLabel(label string) (profile, device int, ok bool) {
	o, ok := p.labels[label]
	if !ok {
		if o, ok = p.labels[strings.ToLower(label)]; !ok {
			return 0, -1, false
		}
	}
	return int(o.profile), int(o.device), true
}

// Usage returns the usage counters the policy's budgets and devices count
// into.
func (p *Policy) Usage() *Usage { return p.usage }

// ClampTTL reports whether answers to profile should have their TTLs
// lowered (its schedules, budgets, pauses and parent's changes must show
// on a device soon).
func (p *Policy) ClampTTL(profile int) bool {
	if profile < 0 || profile >= len(p.profiles) {
		profile = p.def
	}
	return p.profiles[profile].clamp
}

// Seen records that device of profile (from ByLabel or ClientOf) asked at
// now. It does not allocate; devices without an ID are not tracked.
func (p *Policy) Seen(profile, device int, now time.Time) {
	if profile < 0 || profile >= len(p.profiles) {
		return
	}
	devs := p.profiles[profile].devices
	if device < 0 || device >= len(devs) || devs[device] == nil {
		return
	}
	c := devs[device]
	if s := now.Unix(); c.last.Load() < s {
		c.last.Store(s)
	}
}

// DefaultProfile returns the index of the default profile.
func (p *Policy) DefaultProfile() int { return p.def }

// Profiles describes every profile, in configuration order. The result is a
// copy the caller may keep.
func (p *Policy) Profiles() []ProfileInfo {
	out := make([]ProfileInfo, len(p.profiles))
	for i, pr := range p.profiles {
		info := pr.info
		info.Block = slices.Clone(info.Block)
		info.Allow = slices.Clone(info.Allow)
		info.Clients = slices.Clone(info.Clients)
		info.Schedules = slices.Clone(info.Schedules)
		info.Deny = slices.Clone(info.Deny)
		info.TempAllow = slices.Clone(info.TempAllow)
		info.Budgets = slices.Clone(info.Budgets)
		info.Devices = slices.Clone(info.Devices)
		out[i] = info
	}
	return out
}

// Decide returns what to do with a query for name from a client of profile
// (an index from ProfileFor; out of range means the default) at now, given
// the list matcher m (which may be nil). In order: the profile's Allow list
// wins, then its unexpired TempAllow entries; the bypass canaries
// (use-application-dns.net, mask.icloud.com, mask-h2.icloud.com) get
// NXDomain when the profile blocks bypass; then the parent's Deny sites;
// then the profile's blocked categories and services; then a pause
// (everything blocked but connectivity-check and time servers); then its
// active schedule windows (Block tags, or AllowOnly: anything not allowed is
// blocked, except connectivity-check and time servers); then its time
// budgets; then safe search.
//
// A name that would resolve counts for every budget covering it: the
// minute of now (in the profile's time zone) is marked in the budget's
// day bitmap. When a covering budget has its minutes used, the name is
// blocked (CauseBudget) until midnight. Decide thus records usage; it does
// not allocate, except once per budget counter and day.
func (p *Policy) Decide(m *Matcher, profile int, name string, now time.Time) Decision {
	return decide(p, m, profile, name, now)
}

// DecideBytes is Decide for a name in bytes; it keeps no reference to name.
func (p *Policy) DecideBytes(m *Matcher, profile int, name []byte, now time.Time) Decision {
	return decide(p, m, profile, name, now)
}

func decide[T name](p *Policy, m *Matcher, idx int, s T, now time.Time) Decision {
	if idx < 0 || idx >= len(p.profiles) {
		idx = p.def
	}
	pr := &p.profiles[idx]
	if lookup(pr.allow, s) != 0 {
		return Decision{Action: Allow, Tag: NoTag}
	}
	if pr.temp != nil {
		if hit := lookup(pr.temp, s); hit != 0 {
			sec := now.Unix()
			for hit != 0 {
				i := hit.First()
				if pr.tempUntil[i] > sec {
					return Decision{Action: Allow, Tag: NoTag}
				}
				hit &^= 1 << i
			}
		}
	}
	if pr.block.Has(TagBypass) && isCanary(s) {
		return Decision{Action: NXDomain, Tag: TagBypass}
	}
	if pr.deny != nil && lookup(pr.deny, s) != 0 {
		return Decision{Action: pr.blockAct, Tag: NoTag, Cause: CauseDeny}
	}
	tags := lookup(m, s)
	if hit := tags & pr.block; hit != 0 {
		return Decision{Action: pr.blockAct, Tag: hit.First()}
	}
	if pr.paused != 0 && now.Unix() < pr.paused && lookup(p.essential, s) == 0 {
		return Decision{Action: pr.blockAct, Tag: NoTag, Cause: CausePause}
	}
	if len(pr.windows) > 0 {
		mow := minuteOfWeek(now, pr.loc)
		for i := range pr.windows {
			w := &pr.windows[i]
			if !w.mask.has(mow) {
				continue
			}
			if hit := tags & w.block; hit != 0 {
				return Decision{Action: pr.blockAct, Tag: hit.First(), Schedule: w.name}
			}
			if w.allowOnly && tags&w.allowTags == 0 && lookup(w.allowNames, s) == 0 && lookup(p.essential, s) == 0 {
				return Decision{Action: pr.blockAct, Tag: NoTag, Schedule: w.name}
			}
		}
	}
	if len(pr.budgets) > 0 {
		if d, spent := checkBudgets(p, pr, tags, s, now); spent {
			return d
		}
	}
	if target, ok := safeSearchTarget(s, pr.safe); ok {
		return Decision{Action: Rewrite, Tag: NoTag, Target: target}
	}
	return Decision{Action: Allow, Tag: NoTag}
}

func isCanary[T name](s T) bool {
	if n := len(s); n > 0 && s[n-1] == '.' {
		s = s[:n-1]
	}
	return eqFold(s, "use-application-dns.net") || eqFold(s, "mask.icloud.com") || eqFold(s, "mask-h2.icloud.com")
}
