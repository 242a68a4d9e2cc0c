package filter

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// Tag names one category (adult, gambling, …) or one service (tiktok, zalo, …).
// It is a bit index below 64 into a TagSet; its meaning is given by a Registry.
type Tag uint8

// NoTag is the Tag of a Decision that no category or service caused.
const NoTag Tag = 255

// TagSet is a set of Tags, one bit each.
type TagSet uint64

// Has reports whether t is in s.
func (s TagSet) Has(t Tag) bool { return t < 64 && s&(1<<t) != 0 }

// With returns s with t added. Tags of 64 and above are ignored.
func (s TagSet) With(t Tag) TagSet {
	if t >= 64 {
		return s
	}
	return s | 1<<t
}

// First returns the lowest Tag in s, or NoTag if s is empty. Built-in
// categories have the lowest tags, so they win over services.
func (s TagSet) First() Tag {
	if s == 0 {
		return NoTag
	}
	return Tag(bits.TrailingZeros64(uint64(s)))
}

// Len returns how many Tags s holds.
func (s TagSet) Len() int { return bits.OnesCount64(uint64(s)) }

// Kind says whether a tag is a content category or a service.
type Kind uint8

const (
	// KindCategory is a content category such as adult or gambling.
	KindCategory Kind = iota
	// KindService is an application or site such as TikTok or Zalo.
	KindService
)

// TagInfo describes a Tag for display.
type TagInfo struct {
	Tag  Tag
	Name string // machine name, lower case: "adult", "tiktok"
	Vi   string // Vietnamese display name
	En   string // English display name
	Kind Kind
}

// Built-in categories, in tag order. They always have tags 0..4.
const (
	TagAdult    Tag = 0
	TagGambling Tag = 1
	TagScam     Tag = 2
	TagMalware  Tag = 3
	TagBypass   Tag = 4
)

var builtinCategories = []TagInfo{
	{TagAdult, "adult", "Nội dung người lớn", "Adult content", KindCategory},
	{TagGambling, "gambling", "Cờ bạc, cá độ", "Gambling", KindCategory},
	{TagScam, "scam", "Lừa đảo", "Scams and phishing", KindCategory},
	{TagMalware, "malware", "Mã độc", "Malware", KindCategory},
	{TagBypass, "bypass", "Vượt bộ lọc (VPN, DNS riêng)", "Filter bypass (VPN, private DNS)", KindCategory},
}

// Registry maps tag names to Tags and back: built-in categories first, then
// the services of the embedded catalogue, then custom categories in the order
// given. It is immutable and safe for concurrent use.
type Registry struct {
	infos    []TagInfo
	byName   map[string]Tag
	services []Service
	runs     []*DomainSet // service and bypass domains, hashed once
	builtinT []TagSet     // the tags of runs, index by index
	groups   map[string]TagSet
}

// NewRegistry parses the embedded service catalogue and bypass list and
// returns a Registry with the built-in categories, the services, and the
// custom categories appended (lower-cased). It fails if a custom name is
// empty, repeated or already taken, or if there would be more than 64 tags.
func NewRegistry(custom ...string) (*Registry, error) {
	svcs, err := parseCatalogue(servicesData)
	if err != nil {
		return nil, fmt.Errorf("parsing services catalogue: %w", err)
	}
	r := &Registry{byName: make(map[string]Tag), services: svcs, groups: make(map[string]TagSet)}
	add := func(info TagInfo) error {
		if len(r.infos) >= 64 {
			return fmt.Errorf("too many tags: %q would be tag %d, the limit is 64", info.Name, len(r.infos))
		}
		if _, dup := r.byName[info.Name]; dup {
			return fmt.Errorf("tag %q defined twice", info.Name)
		}
		info.Tag = Tag(len(r.infos))
		r.infos = append(r.infos, info)
		r.byName[info.Name] = info.Tag
		return nil
	}
	for _, c := range builtinCategories {
		if err := add(c); err != nil {
			return nil, err
		}
	}
	for i := range r.services {
		s := &r.services[i]
		if err := add(TagInfo{Name: s.ID, Vi: s.Vi, En: s.En, Kind: KindService}); err != nil {
			return nil, err
		}
		s.Tag = r.byName[s.ID]
		if s.Group != "" {
			r.groups[s.Group] = r.groups[s.Group].With(s.Tag)
		}
	}
	for _, c := range custom {
		name := strings.ToLower(strings.TrimSpace(c))
		if name == "" {
			return nil, fmt.Errorf("empty custom category name")
		}
		if err := add(TagInfo{Name: name, Vi: name, En: name, Kind: KindCategory}); err != nil {
			return nil, err
		}
	}
	// Hash the built-in domains once; every Matcher build reuses them.
	for _, s := range r.services {
		r.runs = append(r.runs, newDomainSetFromNames(s.Domains))
		r.builtinT = append(r.builtinT, TagSet(0).With(s.Tag))
	}
	bypass, err := parseNameList(bypassData)
	if err != nil {
		return nil, fmt.Errorf("parsing bypass list: %w", err)
	}
	r.runs = append(r.runs, newDomainSetFromNames(bypass))
	r.builtinT = append(r.builtinT, TagSet(0).With(TagBypass))
	return r, nil
}

// Tag returns the Tag named name (case-insensitive).
func (r *Registry) Tag(name string) (Tag, bool) {
	t, ok := r.byName[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// Info describes t; the zero TagInfo with Tag NoTag if t is not registered.
func (r *Registry) Info(t Tag) TagInfo {
	if int(t) >= len(r.infos) {
		return TagInfo{Tag: NoTag}
	}
	return r.infos[t]
}

// Name returns the machine name of t, or "" if t is not registered.
func (r *Registry) Name(t Tag) string { return r.Info(t).Name }

// Len returns the number of registered tags.
func (r *Registry) Len() int { return len(r.infos) }

// Tags returns a copy of every registered tag, in tag order.
func (r *Registry) Tags() []TagInfo { return append([]TagInfo(nil), r.infos...) }

// Names returns the machine names of the tags in s, in tag order.
func (r *Registry) Names(s TagSet) []string {
	var out []string
	for s != 0 {
		t := s.First()
		out = append(out, r.Name(t))
		s &^= 1 << t
	}
	return out
}

// Services returns a copy of the service catalogue, in catalogue order.
func (r *Registry) Services() []Service {
	out := make([]Service, len(r.services))
	for i, s := range r.services {
		s.Domains = append([]string(nil), s.Domains...)
		out[i] = s
	}
	return out
}

// AddBuiltins adds the catalogue's service domains and the built-in bypass
// list to b, each under its tag.
func (r *Registry) AddBuiltins(b *Builder) {
	for i, s := range r.runs {
		b.AddSet(s, r.builtinT[i])
	}
}

// Group returns the group of the service tagged t ("games", "social",
// "video"), or "" when t is in none or is not a service.
func (r *Registry) Group(t Tag) string {
	for _, s := range r.services {
		if s.Tag == t {
			return s.Group
		}
	}
	return ""
}

// GroupTags returns the tags of the services of group g; false if g is not
// a group.
func (r *Registry) GroupTags(g string) (TagSet, bool) {
	if !slices.Contains(Groups, g) {
		return 0, false
	}
	return r.groups[g], true
}

// GroupServices returns the names of the services of group g, in tag order
// (nil if g is not a group).
func (r *Registry) GroupServices(g string) []string {
	ts, ok := r.GroupTags(g)
	if !ok {
		return nil
	}
	return r.Names(ts)
}
