package filter

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestMatcherLookup(t *testing.T) {
	t.Parallel()
	const adult, gamb, tik = TagSet(1 << TagAdult), TagSet(1 << TagGambling), TagSet(1 << 10)
	b := NewBuilder()
	b.Add("bad.com", adult)
	b.Add("bad.com", gamb) // same name, second list
	b.Add("casino.vn", gamb)
	b.Add("tiktok.com", tik)
	b.AddAllow("ok.bad.com", adult)
	b.AddSet(NewDomainSet([]string{"set.example", "casino.vn"}, []string{"fine.set.example"}), adult)
	m := b.Build()
	tests := []struct {
		name string
		want TagSet
	}{
		{"bad.com", adult | gamb},
		{"BAD.com.", adult | gamb},
		{"www.bad.com", adult | gamb},
		{"ok.bad.com", gamb},        // exception removes adult only
		{"deep.x.ok.bad.com", gamb}, // and for its subdomains
		{"notbad.com", 0},           // a suffix that is not a parent
		{"bad.com.evil", 0},         // a prefix is not a parent
		{"casino.vn", gamb | adult}, // from the builder and the set
		{"a.b.c.d.e.f.casino.vn", gamb | adult},
		{"m.tiktok.com", tik},
		{"set.example", adult},
		{"fine.set.example", 0},
		{"com", 0},
		{"", 0},
		{".", 0},
	}
	for _, tc := range tests {
		if got := m.Lookup(tc.name); got != tc.want {
			t.Errorf("Lookup(%q) = %b, want %b", tc.name, got, tc.want)
		}
		if got := m.LookupBytes([]byte(tc.name)); got != tc.want {
			t.Errorf("LookupBytes(%q) = %b, want %b", tc.name, got, tc.want)
		}
	}
	if m.Len() != 6 {
		t.Errorf("Len = %d, want 6 distinct names", m.Len())
	}
	var nilM *Matcher
	if nilM.Lookup("bad.com") != 0 || NewBuilder().Build().Lookup("bad.com") != 0 {
		t.Error("empty matchers must match nothing")
	}
}

// TestMatcherManyTagPairs forces the 32-bit value table.
func TestMatcherManyTagPairs(t *testing.T) {
	t.Parallel()
	b := NewBuilder()
	const n = 70000
	for i := range n {
		b.Add("d"+strconv.Itoa(i)+".example", TagSet(i)+1)
	}
	m := b.Build()
	if m.vals32 == nil {
		t.Fatal("expected the 32-bit value table")
	}
	for _, i := range []int{0, 1, 65535, 65536, n - 1} {
		if got := m.Lookup("x.d" + strconv.Itoa(i) + ".example"); got != TagSet(i)+1 {
			t.Errorf("d%d: got %d want %d", i, got, i+1)
		}
	}
}

func TestMatcherNoAllocs(t *testing.T) {
	m := synthetic(t, 10000)
	hit, miss := []byte("a.b.d5000.example.com"), []byte("www.nothing.example.org.")
	allocs := testing.AllocsPerRun(200, func() {
		_ = m.Lookup("www.d42.example.com")
		_ = m.Lookup("nothing.org")
		_ = m.LookupBytes(hit)
		_ = m.LookupBytes(miss)
	})
	if allocs != 0 {
		t.Errorf("lookups allocate %.1f times", allocs)
	}
}

// synthetic builds a matcher of n names "d<i>.example.com" tagged 1<<(i%8).
func synthetic(tb testing.TB, n int) *Matcher {
	tb.Helper()
	b := NewBuilder()
	buf := make([]byte, 0, 64)
	for i := range n {
		buf = append(buf[:0], 'd')
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ".example.com"...)
		b.AddBytes(buf, 1<<(i%8))
	}
	return b.Build()
}

// heapOf reports the live heap growth while build runs and its result is kept.
func heapOf(build func() any) (uint64, any) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.HeapAlloc - before.HeapAlloc, v
}

func TestMatcherMillionHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a million names")
	}
	heap, v := heapOf(func() any { return synthetic(t, 1_000_000) })
	m := v.(*Matcher)
	t.Logf("1M names: heap %.1f MB, SizeBytes %.1f MB", float64(heap)/1e6, float64(m.SizeBytes())/1e6)
	if heap > 16<<20 {
		t.Errorf("a matcher of 1M names holds %d bytes of heap, want ≤ 16 MiB", heap)
	}
	for _, i := range []int{0, 999_999, 123_456} {
		if got := m.Lookup(fmt.Sprintf("x.d%d.example.com", i)); got != 1<<(i%8) {
			t.Errorf("d%d: %b", i, got)
		}
	}
	if got := m.Lookup("d1000000.example.com"); got != 0 {
		t.Errorf("unlisted name: %b", got)
	}
	runtime.KeepAlive(m)
}

func BenchmarkLookup(b *testing.B) {
	m := synthetic(b, 1_000_000)
	for _, bc := range []struct{ name, q string }{
		{"hit", "d123456.example.com"},
		{"miss", "www.nothing-here.example.org"},
		{"deep", "a.b.c.d.e.f.g.h.d777.example.com"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			q := []byte(bc.q)
			b.ReportAllocs()
			for b.Loop() {
				m.LookupBytes(q)
			}
		})
	}
}

func BenchmarkBuild1M(b *testing.B) {
	b.ReportAllocs()
	var heap uint64
	for b.Loop() {
		h, v := heapOf(func() any { return synthetic(b, 1_000_000) })
		heap = h
		runtime.KeepAlive(v)
	}
	b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
}

// BenchmarkRebuildFromSets1M builds from scratch out of four parsed lists of
// 250,000 names each (the Loader's rebuild starts from the Matcher in use
// instead: BenchmarkLoaderRefresh1M). B/op is the new Matcher.
func BenchmarkRebuildFromSets1M(b *testing.B) {
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	sets := make([]*DomainSet, 4)
	for s := range sets {
		var list strings.Builder
		for i := range 250_000 {
			fmt.Fprintf(&list, "0.0.0.0 d%d-%d.example.com\n", s, i)
		}
		ds, _, err := ParseDomainSet(strings.NewReader(list.String()))
		if err != nil {
			b.Fatal(err)
		}
		sets[s] = ds
	}
	b.ReportAllocs()
	var m *Matcher
	for b.Loop() {
		bl := NewBuilder()
		reg.AddBuiltins(bl)
		for s, ds := range sets {
			bl.AddSet(ds, TagSet(0).With(Tag(s)))
		}
		m = bl.Build()
	}
	b.ReportMetric(float64(m.SizeBytes())/(1<<20), "matcher-MiB")
}

// BenchmarkParseHostsVN parses the real gambling list (66k lines) when the
// shared snapshot is present.
func BenchmarkParseHostsVN(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(hostsVNDir, "gambling.txt"))
	if err != nil {
		b.Skip("hostsVN snapshot not present")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseDomainSet(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzIncrementalRebuild replays random source contents: each step gives
// some of four sources new contents and rebuilds from the previous Matcher
// as the Loader does; the result must match a build from scratch.
func FuzzIncrementalRebuild(f *testing.F) {
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"))
	f.Add([]byte("\xff\x00\xff\x00\x10\x20\x30\x40\x50\x60\x70\x80\x90"))
	f.Fuzz(func(t *testing.T, data []byte) {
		names := make([]string, 12)
		for i := range names {
			names[i] = fmt.Sprintf("n%d.vn", i%8)
			if i >= 8 {
				names[i] = "sub." + names[i-8]
			}
		}
		srcTags := []TagSet{1 << 0, 1 << 1, 1 << 0, 1 << 5} // sources 0 and 2 share a tag
		fixed := NewBuilder()
		fixed.srcTags = srcTags
		fixed.Add("n1.vn", 1<<7) // a built-in entry
		fixed.AddAllow("sub.n2.vn", 1<<1)
		m := fixed.Build()
		cur := make([]*DomainSet, len(srcTags))
		for len(data) >= 4 {
			mask, step := data[0], data[1:4]
			data = data[4:]
			b := NewBuilder()
			b.srcTags = srcTags
			changed := map[int]*DomainSet{}
			var drop uint64
			for s := range srcTags {
				if mask&(1<<s) == 0 {
					continue
				}
				var block, allow []string
				for i, n := range names {
					switch (step[i%3] >> (i / 3 * 2)) & 3 {
					case 1:
						block = append(block, n)
					case 2:
						allow = append(allow, n)
					case 3:
						block, allow = append(block, n), append(allow, n)
					}
				}
				step = []byte{step[1], step[2], step[0] ^ byte(s)}
				changed[s] = NewDomainSet(block, allow)
				drop |= 1 << s
			}
			b.addMatcher(m, drop)
			for s, ds := range changed {
				b.addSource(ds, s)
				cur[s] = ds
			}
			m = b.Build()
			want := NewBuilder()
			want.Add("n1.vn", 1<<7)
			want.AddAllow("sub.n2.vn", 1<<1)
			for s, ds := range cur {
				want.AddSet(ds, srcTags[s])
			}
			w := want.Build()
			if m.Len() != w.Len() {
				t.Fatalf("%d keys, from scratch %d", m.Len(), w.Len())
			}
			for _, n := range names {
				for _, q := range []string{n, "x." + n} {
					if g, e := m.Lookup(q), w.Lookup(q); g != e {
						t.Fatalf("%s = %b, from scratch %b", q, g, e)
					}
				}
			}
		}
	})
}
