package family

import (
	"fmt"
	"net/netip"
	"strings"
)

// Limits on the networks of a school or class profile.
const (
	// MaxNetworks is the most networks one profile may have.
	MaxNetworks = 64
	// minBits4 and minBits6 are the broadest prefixes accepted: a /8 is
	// already far more than a school; anything broader is a typing error.
	minBits4, minBits6 = 8, 32
	maxNetworkText     = 64 // bytes of one typed network
)

// kindConfig marks a NetworkOwner that is a profile of the configuration
// file (YAML), not of the portal.
const kindConfig Kind = "config"

// NetworkOwner is a network some school or class profile already uses,
// with what the overlap check and its error message need.
type NetworkOwner struct {
	ProfileID int64
	OrgID     int64
	Kind      Kind
	Name      string // the profile's name (the class's, or the school's)
	School    string // the school's name in the organisation directory ("" unknown)
	Network   string // canonical (see ParseNetworks)
}

// who names the owner of a network in an error: the school, and the class
// when it is one.
func (o NetworkOwner) who() string {
	school := o.School
	if school == "" {
		school = o.Name
	}
	if o.Kind == KindClass && o.Name != "" && o.Name != school {
		return fmt.Sprintf("%s (%s)", o.Name, school)
	}
	return school
}

// SplitNetworks splits what was typed in a networks box: one IP or CIDR a
// line, or separated by commas, semicolons or spaces.
func SplitNetworks(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// ParseNetworks validates the networks of a school or class profile: each
// an IPv4 or IPv6 address or CIDR, written canonically (a single address as
// the address, a prefix as network/bits with the host bits zero), neither
// loopback, multicast, link-local nor unspecified, no broader than /8
// (IPv4) or /32 (IPv6) — so never 0.0.0.0/0 or ::/0 — and none inside or
// equal to another of the list. It returns the canonical strings, or the
// errors (field "networks"), one per bad entry.
func ParseNetworks(in []string) ([]string, []FieldError) {
	var out []string
	var errs []FieldError
	bad := func(vi, en string, args ...any) {
		errs = append(errs, FieldError{Field: "networks", Vi: fmt.Sprintf(vi, args...), En: fmt.Sprintf(en, args...)})
	}
	var got []netip.Prefix
	for _, raw := range in {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		shown := s
		if len(shown) > maxNetworkText {
			shown = shown[:maxNetworkText] + "…"
		}
		p, err := parsePrefix(s)
		if err != nil || len(s) > maxNetworkText {
			bad("“%s” không phải địa chỉ IP hay dải mạng CIDR (ví dụ 192.168.10.0/24 hay 2001:db8:10::/48).",
				"“%s” is not an IP address or CIDR network (e.g. 192.168.10.0/24 or 2001:db8:10::/48).", shown)
			continue
		}
		if m := p.Masked(); m != p {
			bad("“%s” có phần địa chỉ máy khác 0: ý bạn là %s?", "“%s” has host bits set: did you mean %s?", shown, m)
			continue
		}
		if p.Bits() == 0 {
			bad("“%s” là mọi địa chỉ Internet: không thể là mạng của một trường.",
				"“%s” is every Internet address: it cannot be a school's network.", shown)
			continue
		}
		if min := map[bool]int{true: minBits4, false: minBits6}[p.Addr().Is4()]; p.Bits() < min {
			bad("“%s” quá rộng (rộng nhất là /%d): hãy nhập đúng dải mạng của trường.",
				"“%s” is too broad (at most /%d): enter the school's own network.", shown, min)
			continue
		}
		if a := p.Addr(); a.IsLoopback() || a.IsMulticast() || a.IsLinkLocalUnicast() || a.IsUnspecified() ||
			a.IsInterfaceLocalMulticast() || a.IsLinkLocalMulticast() {
			bad("“%s” là địa chỉ nội bộ của máy hay đa hướng, không phải mạng của trường.",
				"“%s” is a loopback, link-local or multicast address, not a school's network.", shown)
			continue
		}
		clash := false
		for i, q := range got {
			if q.Overlaps(p) {
				bad("“%s” trùng hoặc nằm lẫn với “%s” đã có trong danh sách.", "“%s” overlaps “%s”, already in the list.", shown, out[i])
				clash = true
				break
			}
		}
		if clash {
			continue
		}
		got = append(got, p)
		out = append(out, canonical(p))
	}
	if len(out) > MaxNetworks {
		bad("Tối đa %d mạng cho một hồ sơ.", "At most %d networks per profile.", MaxNetworks)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// parsePrefix reads an address (a /32 or /128) or a CIDR; IPv4-mapped IPv6
// addresses become IPv4, and zones (fe80::1%eth0) are refused.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "%") {
		return netip.Prefix{}, fmt.Errorf("zone in %q", s)
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, err
	}
	if a := p.Addr(); a.Is4In6() {
		if p.Bits() < 96 {
			return netip.Prefix{}, fmt.Errorf("mapped prefix %q too short", s)
		}
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96), nil
	}
	return p, nil
}

// canonical writes a single address without its /32 or /128.
func canonical(p netip.Prefix) string {
	if p.IsSingleIP() {
		return p.Addr().String()
	}
	return p.String()
}

// checkNetworks decides whether profile p (a school or class) may use nets
// (canonical, from ParseNetworks) while the others listed in claimed use
// theirs. The rules:
//
//   - a network of another school (another OrgID), or of one of its
//     classes, may not overlap at all: the error names that school;
//   - a class's network must lie strictly inside one of its own school's
//     networks (so a class never claims an address its school does not
//     have), and the DNS server gives the class's devices the class's
//     profile because the longest matching prefix wins;
//   - two classes of one school may not overlap;
//   - a school may not drop or narrow a network one of its classes lies in
//     (the class would be left outside its school).
//
// A network equal to one claimed by another profile is always refused: the
// policy cannot give one prefix to two profiles.
func checkNetworks(p *Profile, nets []string, claimed []NetworkOwner) []FieldError {
	var errs []FieldError
	bad := func(vi, en string, args ...any) {
		errs = append(errs, FieldError{Field: "networks", Vi: fmt.Sprintf(vi, args...), En: fmt.Sprintf(en, args...)})
	}
	type owned struct {
		NetworkOwner
		pf netip.Prefix
	}
	var others []owned
	for _, c := range claimed {
		if c.ProfileID == p.ID && p.ID != 0 {
			continue
		}
		pf, err := parsePrefix(c.Network)
		if err != nil {
			continue // a stored network no longer parses: it cannot match anything
		}
		others = append(others, owned{c, pf.Masked()})
	}
	inside := func(inner, outer netip.Prefix) bool { // strictly inside
		return outer.Bits() < inner.Bits() && outer.Contains(inner.Addr())
	}
	mine := make([]netip.Prefix, 0, len(nets))
	for _, n := range nets {
		pf, err := parsePrefix(n)
		if err != nil {
			bad("“%s” không phải dải mạng hợp lệ.", "“%s” is not a valid network.", n)
			continue
		}
		mine = append(mine, pf.Masked())
	}
	for i, n := range mine {
		inSchool := false
		for _, o := range others {
			if o.OrgID == p.OrgID && o.Kind == KindSchool && inside(n, o.pf) {
				inSchool = true
			}
			if !n.Overlaps(o.pf) {
				continue
			}
			switch {
			case o.Kind == kindConfig:
				bad("“%s” trùng với mạng %s của hồ sơ “%s” trong tệp cấu hình của phường: hãy nhờ quản trị viên phường bỏ mạng đó khỏi cấu hình, hoặc chọn dải khác.",
					"“%s” overlaps network %s of profile “%s” in the ward's configuration file: ask the ward's administrator to remove it from the file, or choose another range.",
					nets[i], o.Network, o.Name)
			case o.OrgID != p.OrgID:
				bad("“%s” trùng với mạng %s của %s: mỗi địa chỉ chỉ thuộc một trường. Hãy kiểm tra lại dải mạng của trường mình.",
					"“%s” overlaps network %s of %s: an address belongs to one school only. Check your school's network.",
					nets[i], o.Network, o.who())
			case n == o.pf:
				bad("“%s” đã là mạng của %s: một dải mạng chỉ thuộc một hồ sơ.", "“%s” is already the network of %s: a network belongs to one profile.",
					nets[i], o.who())
			case p.Kind == KindClass && o.Kind == KindSchool:
				if !inside(n, o.pf) {
					bad("“%s” rộng hơn mạng %s của trường: mạng của lớp phải nằm trong mạng của trường.",
						"“%s” is broader than the school's network %s: a class's network must lie inside the school's.", nets[i], o.Network)
				}
			case p.Kind == KindSchool && o.Kind == KindClass:
				if !inside(o.pf, n) {
					bad("“%s” nằm lẫn với mạng %s của %s: mạng của lớp phải nằm trong mạng của trường.",
						"“%s” overlaps network %s of %s: a class's network must lie inside the school's.", nets[i], o.Network, o.who())
				}
			default:
				bad("“%s” trùng với mạng %s của %s.", "“%s” overlaps network %s of %s.", nets[i], o.Network, o.who())
			}
		}
		if p.Kind == KindClass && !inSchool {
			bad("“%s” nằm ngoài các mạng của trường: hãy khai báo mạng của trường trước, rồi chọn cho lớp một dải nhỏ hơn nằm trong đó.",
				"“%s” is outside the school's networks: add the school's network first, then give the class a smaller range inside it.", nets[i])
		}
	}
	if p.Kind == KindSchool {
		for _, o := range others {
			if o.OrgID != p.OrgID || o.Kind != KindClass {
				continue
			}
			covered := false
			for _, n := range mine {
				covered = covered || inside(o.pf, n)
			}
			if !covered {
				bad("%s dùng mạng %s, không nằm trong các mạng mới của trường: hãy sửa mạng của lớp trước.",
					"%s uses network %s, which is not inside the school's new networks: change the class's network first.", o.Name, o.Network)
			}
		}
	}
	return dedupe(errs)
}

// dedupe drops repeated messages (a network overlapping two classes' equal
// networks says so once).
func dedupe(errs []FieldError) []FieldError {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		if !seen[e.Vi] {
			seen[e.Vi] = true
			out = append(out, e)
		}
	}
	return out
}
