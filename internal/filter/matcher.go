package filter

import (
	"io"
	"math/bits"
	"slices"
	"unsafe"
)

// name is what the hot path accepts: a DNS name as a string or as bytes.
type name interface{ ~string | ~[]byte }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix spreads FNV-1a's state over all 64 bits (the splitmix64 finaliser), so
// that the top bits can index buckets.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return h
}

// hashName hashes a whole name, ASCII case-insensitively and ignoring one
// trailing dot. Bytes are fed right to left so that the hash of every parent
// domain is an intermediate state: see lookup.
func hashName[T name](s T) uint64 {
	n := len(s)
	if n > 0 && s[n-1] == '.' {
		n--
	}
	h := uint64(fnvOffset)
	for i := n - 1; i >= 0; i-- {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	return mix(h)
}

// DomainSet is an immutable set of domains from one list: sorted, distinct
// 64-bit name hashes for block entries and, separately, for allow exceptions.
// It costs 8 bytes a domain. The Loader parses a list into one, merges it
// into the next Matcher, and drops it.
type DomainSet struct {
	block []uint64
	allow []uint64
}

// ParseDomainSet parses a list with ParseList's rules into a DomainSet.
func ParseDomainSet(r io.Reader) (*DomainSet, ParseStats, error) {
	var s DomainSet
	st, err := parseList(r, func(d []byte, allow bool) {
		if allow {
			s.allow = append(s.allow, hashName(d))
		} else {
			s.block = append(s.block, hashName(d))
		}
	})
	if err != nil {
		return nil, st, err
	}
	s.block = sortedUnique(s.block)
	s.allow = sortedUnique(s.allow)
	return &s, st, nil
}

// NewDomainSet returns the set of the given names, which should already be
// lower-case ASCII (upper case and a trailing dot are tolerated).
func NewDomainSet(block, allow []string) *DomainSet {
	s := &DomainSet{block: make([]uint64, len(block)), allow: make([]uint64, len(allow))}
	for i, d := range block {
		s.block[i] = hashName(d)
	}
	for i, d := range allow {
		s.allow[i] = hashName(d)
	}
	s.block = sortedUnique(s.block)
	s.allow = sortedUnique(s.allow)
	return s
}

func newDomainSetFromNames(names []string) *DomainSet { return NewDomainSet(names, nil) }

// Len returns the number of distinct block entries.
func (s *DomainSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.block)
}

// AllowLen returns the number of distinct allow exceptions.
func (s *DomainSet) AllowLen() int {
	if s == nil {
		return 0
	}
	return len(s.allow)
}

// sortedUnique sorts and dedupes h in place and trims excess capacity when it
// is large, so that a long-lived set holds no slack.
func sortedUnique(h []uint64) []uint64 {
	slices.Sort(h)
	h = slices.Compact(h)
	if cap(h)-len(h) > len(h)/8+64 {
		h = append(make([]uint64, 0, len(h)), h...)
	}
	return h
}

// origin records who put a key in a Matcher, so that a Matcher can be
// rebuilt with one Loader source replaced without the other sources' data:
// block and allow are the tags of runs that belong to no source (built-in
// domains, Builder.Add), blockSrc and allowSrc have bit i set when Loader
// source i lists the key as a block entry or as an allow exception.
type origin struct {
	block, allow       TagSet
	blockSrc, allowSrc uint64
}

func (o origin) or(p origin) origin {
	return origin{o.block | p.block, o.allow | p.allow, o.blockSrc | p.blockSrc, o.allowSrc | p.allowSrc}
}

// tags returns the (block, allow) pair of o, given each source's tag.
func (o origin) tags(srcTags []TagSet) [2]TagSet {
	p := [2]TagSet{o.block, o.allow}
	for i, t := range srcTags {
		if o.blockSrc&(1<<i) != 0 {
			p[0] |= t
		}
		if o.allowSrc&(1<<i) != 0 {
			p[1] |= t
		}
	}
	return p
}

// run is one sorted, distinct key slice. Its keys all have origin o, or,
// when from is set, keys is from.keys and each key has its origin in from
// less the sources in drop.
type run struct {
	keys []uint64
	o    origin
	from *Matcher
	drop uint64
}

// Builder collects domains with their tags and builds a Matcher. It is not
// safe for concurrent use. Its memory is about 8 bytes per added domain plus
// the DomainSets and Matchers it was given, which it shares, not copies.
type Builder struct {
	pending map[[2]TagSet][]uint64 // key: {block, allow}
	sets    []run
	srcTags []TagSet // the tag of each Loader source, by source index
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{pending: make(map[[2]TagSet][]uint64)} }

// Add adds domain with the block tags tags. The name should be lower-case
// ASCII (see ParseList); upper case and a trailing dot are tolerated. The
// domain's subdomains match too.
func (b *Builder) Add(domain string, tags TagSet) { b.add(hashName(domain), tags, 0) }

// AddBytes is Add for a name in bytes; b keeps no reference to domain.
func (b *Builder) AddBytes(domain []byte, tags TagSet) { b.add(hashName(domain), tags, 0) }

// AddAllow adds an exception: for domain and its subdomains, Lookup drops
// tags, whichever list blocked them.
func (b *Builder) AddAllow(domain string, tags TagSet) { b.add(hashName(domain), 0, tags) }

func (b *Builder) add(h uint64, block, allow TagSet) {
	if block == 0 && allow == 0 {
		return
	}
	k := [2]TagSet{block, allow}
	b.pending[k] = append(b.pending[k], h)
}

// AddSet adds every block entry of s under tags and every allow exception of
// s as an exception for tags. s is shared, not copied, and must not change.
func (b *Builder) AddSet(s *DomainSet, tags TagSet) {
	if s == nil || tags == 0 {
		return
	}
	if len(s.block) > 0 {
		b.sets = append(b.sets, run{keys: s.block, o: origin{block: tags}})
	}
	if len(s.allow) > 0 {
		b.sets = append(b.sets, run{keys: s.allow, o: origin{allow: tags}})
	}
}

// addSource adds s as the data of Loader source src (below 64), whose tag is
// b.srcTags[src]. s is shared, not copied.
func (b *Builder) addSource(s *DomainSet, src int) {
	if s == nil {
		return
	}
	if len(s.block) > 0 {
		b.sets = append(b.sets, run{keys: s.block, o: origin{blockSrc: 1 << src}})
	}
	if len(s.allow) > 0 {
		b.sets = append(b.sets, run{keys: s.allow, o: origin{allowSrc: 1 << src}})
	}
}

// addMatcher adds everything m holds except what the sources in drop (a
// bitmap of source indexes) contributed; keys that only those sources listed
// are left out. m is shared, not copied. m must have been built with the
// same source tags as b.
func (b *Builder) addMatcher(m *Matcher, drop uint64) {
	if m.Len() > 0 {
		b.sets = append(b.sets, run{keys: m.keys, from: m, drop: drop})
	}
}

// Matcher maps domain names to TagSets. It is immutable and safe for
// concurrent use; a nil *Matcher matches nothing.
//
// Layout: keys is the sorted array of 64-bit name hashes; vals16 (or vals32
// when a build has more than 65,536 distinct origins) indexes pairs, the
// table of (block, allow) TagSets, and origins, the table of which sources
// gave each key, row for row; index[i] is the first key whose top `shift`
// bits equal i, so a probe is two loads and a binary search over about eight
// keys. For a million names that is about 10.5 MB. Lookups read only keys,
// vals, pairs and index; origins serve rebuilds (see Loader).
type Matcher struct {
	keys    []uint64
	vals16  []uint16
	vals32  []uint32
	pairs   [][2]TagSet
	origins []origin
	index   []uint32
	shift   uint
}

// val returns the origin and pair index of the key at position i.
func (m *Matcher) val(i int) uint32 {
	if m.vals32 != nil {
		return m.vals32[i]
	}
	return uint32(m.vals16[i])
}

// Build returns the Matcher of everything added so far. The Builder stays
// usable. Its peak memory beyond the Builder's own is the new Matcher plus a
// small heap of run cursors: runs are merged, never copied into one slice.
func (b *Builder) Build() *Matcher {
	runs := slices.Clone(b.sets)
	for k, keys := range b.pending {
		keys = sortedUnique(keys)
		b.pending[k] = keys
		runs = append(runs, run{keys: keys, o: origin{block: k[0], allow: k[1]}})
	}
	// Pass 1: count distinct keys and intern their origins.
	idx := make(map[origin]uint32)
	var origins []origin
	n := 0
	var last origin
	lastIdx := uint32(0)
	intern := func(o origin) uint32 {
		if len(origins) > 0 && o == last {
			return lastIdx
		}
		i, ok := idx[o]
		if !ok {
			i = uint32(len(origins))
			idx[o] = i
			origins = append(origins, o)
		}
		last, lastIdx = o, i
		return i
	}
	mergeRuns(runs, func(_ uint64, o origin) {
		n++
		intern(o)
	})
	m := &Matcher{keys: make([]uint64, 0, n), origins: slices.Clip(origins), pairs: make([][2]TagSet, len(origins))}
	for i, o := range origins {
		m.pairs[i] = o.tags(b.srcTags)
	}
	if len(origins) <= 1<<16 {
		m.vals16 = make([]uint16, 0, n)
	} else {
		m.vals32 = make([]uint32, 0, n)
	}
	// Pass 2: fill.
	mergeRuns(runs, func(k uint64, o origin) {
		m.keys = append(m.keys, k)
		if m.vals32 != nil {
			m.vals32 = append(m.vals32, intern(o))
		} else {
			m.vals16 = append(m.vals16, uint16(intern(o)))
		}
	})
	// About eight keys a bucket.
	ib := 0
	if n > 8 {
		ib = bits.Len(uint(n)) - 3
	}
	if ib > 24 {
		ib = 24
	}
	m.shift = uint(64 - ib)
	m.index = make([]uint32, (1<<ib)+1)
	j := 0
	for i := range 1 << ib {
		// With ib == 0 the shift is 64, every key>>64 is 0, and j stays 0.
		for j < n && m.keys[j]>>m.shift < uint64(i) {
			j++
		}
		m.index[i] = uint32(j)
	}
	m.index[1<<ib] = uint32(n)
	return m
}

// mergeRuns calls emit once per key across runs that some run still gives
// (a key that only dropped sources gave is skipped), in key order, with the
// union of its origins in every run that holds it. A binary min-heap of run
// cursors keeps this O(N log K).
func mergeRuns(runs []run, emit func(uint64, origin)) {
	type cursor struct {
		key uint64
		r   int // index into runs
		pos int
	}
	h := make([]cursor, 0, len(runs))
	less := func(a, b int) bool { return h[a].key < h[b].key }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			s := l
			if r := l + 1; r < len(h) && less(r, l) {
				s = r
			}
			if !less(s, i) {
				return
			}
			h[i], h[s] = h[s], h[i]
			i = s
		}
	}
	for i, r := range runs {
		if len(r.keys) > 0 {
			h = append(h, cursor{key: r.keys[0], r: i})
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(h) > 0 {
		k := h[0].key
		var o origin
		for len(h) > 0 && h[0].key == k {
			c := &h[0]
			r := &runs[c.r]
			if r.from != nil {
				p := r.from.origins[r.from.val(c.pos)]
				p.blockSrc &^= r.drop
				p.allowSrc &^= r.drop
				o = o.or(p)
			} else {
				o = o.or(r.o)
			}
			c.pos++
			if c.pos < len(r.keys) {
				c.key = r.keys[c.pos]
			} else {
				h[0] = h[len(h)-1]
				h = h[:len(h)-1]
			}
			down(0)
		}
		if o != (origin{}) {
			emit(k, o)
		}
	}
}

// Len returns the number of distinct names in m.
func (m *Matcher) Len() int {
	if m == nil {
		return 0
	}
	return len(m.keys)
}

// SizeBytes returns the approximate heap size of m's arrays.
func (m *Matcher) SizeBytes() int {
	if m == nil {
		return 0
	}
	return len(m.keys)*8 + len(m.vals16)*2 + len(m.vals32)*4 + len(m.index)*4 + len(m.pairs)*16 +
		len(m.origins)*int(unsafe.Sizeof(origin{})) + int(unsafe.Sizeof(*m))
}

// find returns the (block, allow) pair stored for hash h.
func (m *Matcher) find(h uint64) (TagSet, TagSet, bool) {
	b := h >> m.shift // 0 when shift is 64
	lo, hi := int(m.index[b]), int(m.index[b+1])
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if m.keys[mid] < h {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(m.keys) && m.keys[lo] == h {
		p := m.pairs[m.val(lo)]
		return p[0], p[1], true
	}
	return 0, 0, false
}

// Lookup returns the tags of name: the union of the block tags of name and
// of every parent domain, minus the union of their allow exceptions. name is
// matched ASCII case-insensitively and may end with a dot. It does not
// allocate.
func (m *Matcher) Lookup(name string) TagSet { return lookup(m, name) }

// LookupBytes is Lookup for a name in bytes, for the DNS hot path. It keeps
// no reference to name.
func (m *Matcher) LookupBytes(name []byte) TagSet { return lookup(m, name) }

func lookup[T name](m *Matcher, s T) TagSet {
	if m == nil || len(m.keys) == 0 {
		return 0
	}
	n := len(s)
	if n > 0 && s[n-1] == '.' {
		n--
	}
	var block, allow TagSet
	h := uint64(fnvOffset)
	for i := n - 1; i >= 0; i-- {
		c := s[i]
		if c == '.' {
			// h now covers s[i+1:n], a parent domain of s.
			if b, a, ok := m.find(mix(h)); ok {
				block |= b
				allow |= a
			}
		} else if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= fnvPrime
	}
	if b, a, ok := m.find(mix(h)); ok {
		block |= b
		allow |= a
	}
	return block &^ allow
}
