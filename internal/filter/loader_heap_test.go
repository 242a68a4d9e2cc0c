package filter

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// writeMillion writes n names "site<i>.<tld>" to a file in dir, as the DNS
// benchmark's list does.
func writeMillion(tb testing.TB, dir string, n int) string {
	tb.Helper()
	path := filepath.Join(dir, "list1m.txt")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		fmt.Fprintf(w, "site%07d.%s\n", i, [3]string{"bet", "xyz", "com.vn"}[i%3])
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestLoaderMillionHeap loads one list of a million names and reports what
// the Loader keeps live: the Matcher and whatever it holds beside it.
func TestLoaderMillionHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a million names")
	}
	path := writeMillion(t, t.TempDir(), 1_000_000)
	reg := newTestRegistry(t)
	heap, v := heapOf(func() any {
		l, err := NewLoader(LoaderConfig{Sources: []Source{{Category: "gambling", Location: path}}, Registry: reg, Logger: quietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		return l
	})
	l := v.(*Loader)
	t.Logf("loader with 1M names: heap %.1f MB, matcher SizeBytes %.1f MB", float64(heap)/1e6, float64(l.Current().SizeBytes())/1e6)
	// The Matcher is the only copy of the list: no parsed copy beside it.
	if heap > 12<<20 {
		t.Errorf("a loader of 1M names holds %d bytes of heap, want ≤ 12 MiB", heap)
	}
	if got := l.Current().Lookup("www.site0123456.bet"); got != 1<<TagGambling {
		t.Errorf("listed name: %b", got)
	}
	runtime.KeepAlive(l)
}

// BenchmarkLoaderRefresh1M refreshes one of four file sources of 250,000
// names each: parse, then a rebuild from the Matcher in use. B/op is what a
// reload allocates beside the Matcher in use.
func BenchmarkLoaderRefresh1M(b *testing.B) {
	dir := b.TempDir()
	reg, err := NewRegistry()
	if err != nil {
		b.Fatal(err)
	}
	var srcs []Source
	for s := range 4 {
		var list []byte
		for i := range 250_000 {
			list = fmt.Appendf(list, "0.0.0.0 d%d-%d.example.com\n", s, i)
		}
		path := filepath.Join(dir, fmt.Sprintf("l%d.txt", s))
		if err := os.WriteFile(path, list, 0o600); err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, Source{Category: [4]string{"adult", "gambling", "scam", "malware"}[s], Location: path})
	}
	l, err := NewLoader(LoaderConfig{Sources: srcs, Registry: reg, Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if failed := l.Refresh(context.Background(), 2); failed != 0 {
			b.Fatal(l.Statuses()[2].LastError)
		}
	}
	b.ReportMetric(float64(l.Current().SizeBytes())/(1<<20), "matcher-MiB")
}
