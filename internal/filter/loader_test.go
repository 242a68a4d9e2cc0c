package filter

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// listOf returns a list of n domains "<prefix><i>.vn".
func listOf(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s%d.vn\n", prefix, i)
	}
	return b.String()
}

func newTestRegistry(t *testing.T) *Registry {
	t.Helper()
	reg, err := NewRegistry("violence")
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestLoaderFileKeepsLastGood(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "gambling.txt")
	if err := os.WriteFile(path, []byte(listOf("cuoc", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	reg := newTestRegistry(t)
	var swaps atomic.Int32
	l, err := NewLoader(LoaderConfig{
		Sources:  []Source{{Category: "gambling", Location: path}},
		Registry: reg, Logger: quietLogger(),
		OnSwap: func(m *Matcher, st []SourceStatus) { swaps.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !l.Current().Lookup("www.tiktok.com").Has(mustTag(t, reg, "tiktok")) {
		t.Error("built-in services missing before Load")
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	gamb := TagSet(1 << TagGambling)
	check := func(when string) {
		t.Helper()
		if got := l.Current().Lookup("m.cuoc7.vn"); got != gamb {
			t.Errorf("%s: cuoc7.vn = %b, want gambling", when, got)
		}
		if !l.Current().Lookup("dns.google").Has(TagBypass) {
			t.Errorf("%s: built-in bypass list missing", when)
		}
	}
	check("after load")
	if swaps.Load() != 1 {
		t.Errorf("swaps = %d, want 1", swaps.Load())
	}
	for _, tc := range []struct {
		name  string
		setup func()
	}{
		{"missing", func() { os.Remove(path) }},
		{"empty", func() { os.WriteFile(path, nil, 0o600) }},
		{"truncated", func() { os.WriteFile(path, []byte(listOf("cuoc", 1000)[:3000]), 0o600) }},
		{"garbage", func() { os.WriteFile(path, []byte("\x00\x01\x02<html>not a list</html>\n"), 0o600) }},
		{"directory", func() { os.Remove(path); os.Mkdir(path, 0o700) }},
	} {
		tc.setup()
		if failed := l.Refresh(context.Background(), 0); failed != 1 {
			t.Errorf("%s: Refresh failed %d sources, want 1", tc.name, failed)
		}
		check(tc.name)
		st := l.Statuses()[0]
		if st.LastError == "" || st.Domains != 1000 {
			t.Errorf("%s: status %+v, want an error and the 1000 domains kept", tc.name, st)
		}
		os.RemoveAll(path)
	}
	// A good new version replaces the old one.
	os.WriteFile(path, []byte(listOf("cuoc", 900)+"moi.vn\n"), 0o600)
	if failed := l.Refresh(context.Background(), 0); failed != 0 {
		t.Fatalf("good refresh failed: %+v", l.Statuses())
	}
	if l.Current().Lookup("moi.vn") != gamb || l.Current().Lookup("cuoc950.vn") != 0 {
		t.Error("new list not swapped in")
	}
	if swaps.Load() != 2 {
		t.Errorf("swaps = %d, want 2", swaps.Load())
	}
}

func mustTag(t *testing.T, reg *Registry, name string) Tag {
	t.Helper()
	tag, ok := reg.Tag(name)
	if !ok {
		t.Fatalf("no tag %q", name)
	}
	return tag
}

func TestLoaderHTTPKeepsLastGood(t *testing.T) {
	t.Parallel()
	var mode atomic.Value
	mode.Store("good")
	good := listOf("luadao", 500) + "@@||ok.luadao1.vn^\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load().(string) {
		case "good":
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			io.WriteString(w, good)
		case "500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "garbage":
			io.WriteString(w, "<!doctype html><html><body>Captive portal</body></html>\n")
		case "huge":
			io.WriteString(w, good+listOf("x", 5000))
		case "hang-up":
			w.Header().Set("Content-Length", fmt.Sprint(len(good)))
			io.WriteString(w, good[:1000])
		}
	}))
	defer srv.Close()
	reg := newTestRegistry(t)
	l, err := NewLoader(LoaderConfig{
		Sources:  []Source{{Category: "scam", Location: srv.URL + "/scam.txt"}},
		Registry: reg, Logger: quietLogger(), HTTPClient: srv.Client(),
		MaxBytes: int64(len(good) + 100),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	scam := TagSet(1 << TagScam)
	if l.Current().Lookup("luadao3.vn") != scam || l.Current().Lookup("x.ok.luadao1.vn") != 0 || l.Current().Lookup("luadao1.vn") != scam {
		t.Fatal("first load wrong")
	}
	if failed := l.Refresh(context.Background(), 0); failed != 0 {
		t.Errorf("304 counted as a failure: %+v", l.Statuses())
	}
	for _, m := range []string{"500", "garbage", "huge", "hang-up"} {
		mode.Store(m)
		if failed := l.Refresh(context.Background(), 0); failed != 1 {
			t.Errorf("%s: failed = %d, want 1", m, failed)
		}
		if l.Current().Lookup("luadao3.vn") != scam {
			t.Errorf("%s: last good list lost", m)
		}
		if st := l.Statuses()[0]; st.LastError == "" || st.Domains != 500 || st.Allows != 1 {
			t.Errorf("%s: status %+v", m, st)
		}
	}
}

func TestLoaderAllFail(t *testing.T) {
	t.Parallel()
	reg := newTestRegistry(t)
	l, err := NewLoader(LoaderConfig{
		Sources:  []Source{{Category: "adult", Location: filepath.Join(t.TempDir(), "nope.txt")}},
		Registry: reg, Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err == nil {
		t.Error("Load succeeded with every source missing")
	}
	if l.Current() == nil || l.Current().Lookup("tiktok.com") == 0 {
		t.Error("the built-in matcher must stay in place")
	}
	if _, err := NewLoader(LoaderConfig{Sources: []Source{{Category: "nosuch", Location: "x"}}, Registry: reg}); err == nil {
		t.Error("unknown category accepted")
	}
}

func TestLoaderRunRefreshes(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(path, []byte("a.vn\n"), 0o600)
	swapped := make(chan *Matcher, 10)
	l, err := NewLoader(LoaderConfig{
		Sources:  []Source{{Category: "adult", Location: path, Refresh: 20 * 1e6}}, // 20 ms
		Registry: newTestRegistry(t), Logger: quietLogger(),
		OnSwap: func(m *Matcher, _ []SourceStatus) { swapped <- m },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-swapped
	os.WriteFile(path, []byte("b.vn\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()
	m := <-swapped
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Run returned %v", err)
	}
	if m.Lookup("b.vn") == 0 || m.Lookup("a.vn") != 0 {
		t.Error("Run did not swap in the new file")
	}
}

const hostsVNDir = "../../../shared/data/lists/hostsvn"

// TestHostsVNSnapshot loads the real hostsVN lists when the shared data is
// present (it is not in users' clones).
func TestHostsVNSnapshot(t *testing.T) {
	if _, err := os.Stat(hostsVNDir); err != nil {
		t.Skip("hostsVN snapshot not present:", err)
	}
	t.Parallel()
	reg := newTestRegistry(t)
	var srcs []Source
	for _, f := range []struct{ cat, file string }{
		{"adult", "adult.txt"}, {"adult", "adult-VN.txt"}, {"gambling", "gambling.txt"},
		{"gambling", "gambling-VN.txt"}, {"scam", "threat.txt"}, {"scam", "threat-VN.txt"},
	} {
		srcs = append(srcs, Source{Category: f.cat, Location: filepath.Join(hostsVNDir, f.file)})
	}
	l, err := NewLoader(LoaderConfig{Sources: srcs, Registry: reg, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, st := range l.Statuses() {
		t.Logf("%s %s: %d domains, %d junk %v", st.Category, filepath.Base(st.Location), st.Domains, st.Junk, st.Samples)
		if st.LastError != "" || st.Domains < 1000 {
			t.Errorf("%s: %+v", st.Location, st)
		}
		if st.Junk*100 > st.Domains {
			t.Errorf("%s: %d junk of %d, more than 1%%", st.Location, st.Junk, st.Domains)
		}
		total += st.Domains
	}
	m := l.Current()
	// Every listed line must match its category, and hashes must not collide:
	// the matcher holds as many keys as distinct names.
	distinct := make(map[string]bool)
	for _, f := range []struct {
		tag  Tag
		file string
	}{{TagAdult, "adult-VN.txt"}, {TagGambling, "gambling-VN.txt"}, {TagScam, "threat-VN.txt"}, {TagAdult, "adult.txt"}, {TagGambling, "gambling.txt"}, {TagScam, "threat.txt"}} {
		fh, err := os.Open(filepath.Join(hostsVNDir, f.file))
		if err != nil {
			t.Fatal(err)
		}
		ParseList(fh, func(d string, _ bool) {
			distinct[d] = true
			if !m.Lookup("www." + d).Has(f.tag) {
				t.Errorf("%s from %s not matched", d, f.file)
			}
		})
		fh.Close()
	}
	for _, s := range reg.Services() {
		for _, d := range s.Domains {
			distinct[d] = true
		}
	}
	bypass, _ := parseNameList(bypassData)
	for _, d := range bypass {
		distinct[d] = true
	}
	if m.Len() != len(distinct) {
		t.Errorf("matcher has %d keys for %d distinct names: a hash collision", m.Len(), len(distinct))
	}
	if m.Lookup("google.com") != 0 || m.Lookup("vnexpress.net") != 0 || m.Lookup("dantri.com.vn") != 0 {
		t.Error("a well-known safe site is listed")
	}
	t.Logf("total %d entries, %d distinct names, matcher %d bytes", total, m.Len(), m.SizeBytes())
}

// listServer serves lists from a map of path to body, counting requests; a
// body of "500" answers with that status.
type listServer struct {
	mu     sync.Mutex
	bodies map[string]string
	hits   map[string]int
}

func newListServer(t *testing.T) (*listServer, *httptest.Server) {
	t.Helper()
	ls := &listServer{bodies: map[string]string{}, hits: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		body, ok := ls.bodies[r.URL.Path]
		ls.hits[r.URL.Path]++
		ls.mu.Unlock()
		switch {
		case !ok:
			http.NotFound(w, r)
		case body == "500":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			io.WriteString(w, body)
		}
	}))
	t.Cleanup(srv.Close)
	return ls, srv
}

func (ls *listServer) set(path, body string) {
	ls.mu.Lock()
	ls.bodies[path] = body
	ls.mu.Unlock()
}

func (ls *listServer) count(path string) int {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.hits[path]
}

// TestLoaderRefreshOneOfThree refreshes one source: the other two are not
// read again and keep matching, the refreshed one's dropped names stop
// matching, and a broken refresh afterwards keeps its last good data.
func TestLoaderRefreshOneOfThree(t *testing.T) {
	t.Parallel()
	ls, srv := newListServer(t)
	ls.set("/a", listOf("nguoilon", 300))
	ls.set("/g", listOf("cuoc", 300)+"chung.vn\n")
	ls.set("/s", listOf("luadao", 300)+"chung.vn\n")
	reg := newTestRegistry(t)
	l, err := NewLoader(LoaderConfig{
		Sources: []Source{
			{Category: "adult", Location: srv.URL + "/a"},
			{Category: "gambling", Location: srv.URL + "/g"},
			{Category: "scam", Location: srv.URL + "/s"},
		},
		Registry: reg, Logger: quietLogger(), HTTPClient: srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	adult, gamb, scam := TagSet(1<<TagAdult), TagSet(1<<TagGambling), TagSet(1<<TagScam)
	want := func(when string, cases map[string]TagSet) {
		t.Helper()
		m := l.Current()
		for name, tags := range cases {
			if got := m.Lookup(name); got != tags {
				t.Errorf("%s: %s = %b, want %b", when, name, got, tags)
			}
		}
	}
	want("load", map[string]TagSet{"nguoilon5.vn": adult, "cuoc250.vn": gamb, "luadao7.vn": scam, "www.chung.vn": gamb | scam})

	// Gambling shrinks to 200 names (not truncated: more than half) and
	// drops chung.vn; it gains moi.vn.
	ls.set("/g", listOf("cuoc", 200)+"moi.vn\n")
	if failed := l.Refresh(context.Background(), 1); failed != 0 {
		t.Fatalf("refresh failed: %+v", l.Statuses()[1])
	}
	if ls.count("/a") != 1 || ls.count("/s") != 1 || ls.count("/g") != 2 {
		t.Errorf("requests a=%d g=%d s=%d, want 1 2 1", ls.count("/a"), ls.count("/g"), ls.count("/s"))
	}
	refreshed := map[string]TagSet{
		"nguoilon5.vn": adult, "nguoilon299.vn": adult, "luadao7.vn": scam, "luadao299.vn": scam,
		"cuoc199.vn": gamb, "cuoc250.vn": 0, "moi.vn": gamb, "www.chung.vn": scam,
	}
	want("refresh", refreshed)
	if st := l.Statuses()[1]; st.Domains != 201 || st.LastError != "" {
		t.Errorf("status %+v", st)
	}

	// Broken refreshes of gambling keep its last good data, now that no
	// parsed copy of it is kept beside the Matcher.
	for _, body := range []string{"500", "", "<html>captive portal</html>\n", listOf("cuoc", 50)} {
		ls.set("/g", body)
		if failed := l.Refresh(context.Background(), 1); failed != 1 {
			t.Errorf("broken body %.20q: failed = %d, want 1", body, failed)
		}
		want(fmt.Sprintf("broken %.20q", body), refreshed)
		if st := l.Statuses()[1]; st.Domains != 201 || st.LastError == "" {
			t.Errorf("broken body %.20q: status %+v", body, st)
		}
	}
	// A good refresh of another source still carries gambling's data.
	ls.set("/a", listOf("nguoilon", 250))
	if failed := l.Refresh(context.Background(), 0); failed != 0 {
		t.Fatalf("refresh failed: %+v", l.Statuses()[0])
	}
	refreshed["nguoilon299.vn"] = 0
	want("adult refresh after broken gambling", refreshed)
}

// TestLoaderAllowPerSource checks that an exception cancels only its own
// source's tag, across rebuilds of either source.
func TestLoaderAllowPerSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	scamPath, adultPath := filepath.Join(dir, "scam.txt"), filepath.Join(dir, "adult.txt")
	write := func(path, body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(scamPath, "x.vn\n@@||ok.x.vn^\n")
	write(adultPath, "x.vn\nkhac.vn\n")
	l, err := NewLoader(LoaderConfig{
		Sources:  []Source{{Category: "scam", Location: scamPath}, {Category: "adult", Location: adultPath}},
		Registry: newTestRegistry(t), Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	adult, scam := TagSet(1<<TagAdult), TagSet(1<<TagScam)
	check := func(when string, x, ok TagSet) {
		t.Helper()
		if got := l.Current().Lookup("www.x.vn"); got != x {
			t.Errorf("%s: www.x.vn = %b, want %b", when, got, x)
		}
		if got := l.Current().Lookup("a.ok.x.vn"); got != ok {
			t.Errorf("%s: a.ok.x.vn = %b, want %b", when, got, ok)
		}
	}
	check("load", adult|scam, adult)
	write(adultPath, "x.vn\nkhac2.vn\n")
	if l.Refresh(context.Background(), 1) != 0 {
		t.Fatal(l.Statuses()[1].LastError)
	}
	check("adult rebuilt", adult|scam, adult)
	if l.Current().Lookup("khac.vn") != 0 || l.Current().Lookup("khac2.vn") != adult {
		t.Error("adult refresh not applied")
	}
	write(adultPath, "khac2.vn\n")
	if l.Refresh(context.Background(), 1) != 0 {
		t.Fatal(l.Statuses()[1].LastError)
	}
	check("adult drops x.vn", scam, 0)
	write(scamPath, "x.vn\n")
	if l.Refresh(context.Background(), 0) != 0 {
		t.Fatal(l.Statuses()[0].LastError)
	}
	check("scam drops its exception", scam, scam)
	if st := l.Statuses()[0]; st.Allows != 0 || st.Domains != 1 {
		t.Errorf("scam status %+v", st)
	}
}

// TestLoaderIncrementalMatchesScratch refreshes random sources with random
// contents, some broken, and compares the Loader's Matcher with one built
// from scratch out of each source's last good contents.
func TestLoaderIncrementalMatchesScratch(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	reg := newTestRegistry(t)
	cats := []string{"adult", "gambling", "adult", "scam", "violence"} // two sources share a tag
	universe := make([]string, 60)
	for i := range universe {
		universe[i] = fmt.Sprintf("n%d.vn", i)
		if i%7 == 0 {
			universe[i] = "sub." + universe[i-i%14] // a child of another name
		}
	}
	universe = append(universe, "tiktok.com", "dns.google") // built-in names too
	var srcs []Source
	for i, c := range cats {
		srcs = append(srcs, Source{Category: c, Location: filepath.Join(dir, fmt.Sprintf("%d.txt", i))})
	}
	good := make([]string, len(cats)) // last good contents
	randomList := func() string {
		var b strings.Builder
		for _, n := range universe {
			switch r := rng.IntN(10); {
			case r < 4:
				b.WriteString(n + "\n")
			case r == 4:
				b.WriteString("@@||" + n + "^\n")
			case r == 5:
				b.WriteString("0.0.0.0 " + n + "\n@@||x." + n + "^\n")
			}
		}
		return b.String()
	}
	for i := range cats {
		good[i] = randomList()
		if err := os.WriteFile(srcs[i].Location, []byte(good[i]), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l, err := NewLoader(LoaderConfig{Sources: srcs, Registry: reg, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for round := range 200 {
		var idx []int
		for i := range cats {
			if rng.IntN(3) == 0 {
				idx = append(idx, i)
				body := randomList()
				broken := rng.IntN(5) == 0
				if broken {
					body = "" // empty: rejected while the last good copy has names
				}
				if err := os.WriteFile(srcs[i].Location, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
				ds, _, _ := ParseDomainSet(strings.NewReader(good[i]))
				if !broken || ds.Len() == 0 {
					good[i] = body
				}
			}
		}
		l.Refresh(context.Background(), idx...)
		b := NewBuilder()
		reg.AddBuiltins(b)
		for i, c := range cats {
			ds, _, err := ParseDomainSet(strings.NewReader(good[i]))
			if err != nil {
				t.Fatal(err)
			}
			b.AddSet(ds, TagSet(0).With(mustTag(t, reg, c)))
		}
		want, got := b.Build(), l.Current()
		if got.Len() != want.Len() {
			t.Fatalf("round %d: %d keys, from scratch %d", round, got.Len(), want.Len())
		}
		for _, n := range universe {
			for _, q := range []string{n, "x." + n, "y.x." + n} {
				if g, w := got.Lookup(q), want.Lookup(q); g != w {
					t.Fatalf("round %d: %s = %b, from scratch %b", round, q, g, w)
				}
			}
		}
	}
}
