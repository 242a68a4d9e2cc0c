package risk

import (
	"slices"
	"strings"
	"testing"
)

func TestExtractLinks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		hosts []string
		texts []string
	}{
		{"vào https://Vietcombank-XacMinh.com/login ngay", []string{"vietcombank-xacminh.com"}, []string{"https://Vietcombank-XacMinh.com/login"}},
		{"tại zalo-verify.online.", []string{"zalo-verify.online"}, []string{"zalo-verify.online"}},
		{"link: abc[.]com và xyz(.)top", []string{"abc.com", "xyz.top"}, []string{"abc[.]com", "xyz(.)top"}},
		{"vào abc . com nhé", []string{"abc.com"}, []string{"abc . com"}},
		{"hxxp://1.2.3.4/app.apk", []string{"1.2.3.4"}, []string{"hxxp://1.2.3.4/app.apk"}},
		{"t.me/clipn0ng_vn", []string{"t.me"}, []string{"t.me/clipn0ng_vn"}},
		{"phiên bản 1.2.3, điểm 8.5, 3.5tr, v.v.", nil, nil},
		{"ảnh.jpg và file.pdf", nil, nil},
		{"xem tại https://xn--vetcombank-1c7e.com", []string{"xn--vetcombank-1c7e.com"}, nil},
	} {
		links := ExtractLinks(tc.in)
		var hosts, texts []string
		for _, l := range links {
			hosts = append(hosts, l.Host)
			texts = append(texts, l.Text)
			if tc.in[l.Start:l.End] != l.Text {
				t.Errorf("%q: offsets [%d,%d) give %q, not %q", tc.in, l.Start, l.End, tc.in[l.Start:l.End], l.Text)
			}
		}
		if !slices.Equal(hosts, tc.hosts) {
			t.Errorf("ExtractLinks(%q) hosts = %q, want %q", tc.in, hosts, tc.hosts)
		}
		if tc.texts != nil && !slices.Equal(texts, tc.texts) {
			t.Errorf("ExtractLinks(%q) texts = %q, want %q", tc.in, texts, tc.texts)
		}
	}
}

type fakeChecker map[string]string

func (f fakeChecker) Check(host string) (string, bool) {
	c, ok := f[host]
	return c, ok
}

func findingKinds(l Link) []string {
	var k []string
	for _, f := range l.Findings {
		k = append(k, f.Kind)
	}
	return k
}

func TestLinkFindings(t *testing.T) {
	t.Parallel()
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(rs, Options{Domains: fakeChecker{"go88.vip": "gambling", "phimxxx.net": "adult"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url  string
		want string // finding kind expected, "" for none
	}{
		{"vietcombank-xacminh.com", FindingBrandWords},
		{"garena-quatang.net", FindingBrandWords},
		{"zalo-baomat.site", FindingBrandWords},
		{"vietcombamk.com", FindingLookalike},
		{"vietconbank.vn", FindingLookalike},
		{"shopee-vn.top", FindingBrandWords},
		{"https://xn--vietcombnk-xyz.com", FindingPunycode},
		{"dichvucong-gov.vn.com", FindingGovFake},
		{"vneid-gov.top", FindingGovFake},
		{"https://bit.ly/3abc", FindingShortener},
		{"http://103.77.1.5/login", FindingIP},
		{"https://tai-app.com/vneid.apk", FindingAPK},
		{"khuyenhoc-vn.site", FindingCheapTLD},
		{"go88.vip", FindingListed},
		{"phimxxx.net", FindingListed},
		{"abc[.]xyz", FindingObfuscated},
		// Genuine brand domains are never flagged.
		{"https://vietcombank.com.vn/vi", ""},
		{"https://portal.vietcombank.com.vn", ""},
		{"zalo.me/g/abc", ""},
		{"garena.vn", ""},
		{"shopee.vn", ""},
		{"https://dichvucong.gov.vn", ""},
		{"vneid.gov.vn", ""},
		{"facebook.com/groups/abc", ""},
		{"lienquan.garena.vn", ""},
		{"techcombank.com.vn", ""},
	} {
		res := e.Score("xem " + tc.url + " nhé")
		if len(res.Links) != 1 {
			t.Errorf("%s: %d links", tc.url, len(res.Links))
			continue
		}
		kinds := findingKinds(res.Links[0])
		if tc.want == "" {
			if len(kinds) != 0 {
				t.Errorf("%s: genuine site flagged %v", tc.url, kinds)
			}
			continue
		}
		if !slices.Contains(kinds, tc.want) {
			t.Errorf("%s: findings %v, want %s", tc.url, kinds, tc.want)
		}
	}
	res := e.Score("vào go88.vip chơi")
	if res.Top() != Gambling {
		t.Errorf("listed gambling domain: top %q", res.Top())
	}
	if res := e.Score("xem phimxxx.net"); res.Top() != SexualContent {
		t.Errorf("listed adult domain: top %q", res.Top())
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"vietcombank", "vietcombank", 0}, {"vietcombamk", "vietcombank", 1}, {"vietcmobank", "vietcombank", 1}, {"zalo", "zlao", 1}, {"zalo", "zola", 2}, {"abc", "xyz", 3}} {
		if got := editDistance(tc.a, tc.b, 5); got != tc.d {
			t.Errorf("editDistance(%q,%q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

func FuzzExtractLinks(f *testing.F) {
	for _, s := range []string{"https://a.com/x", "abc[.]com", "hxxp://1.2.3.4", "a . com", "x.y.z.vn", "\xff.com", "http://[::1]:80/", "http://", "a.b@c.com:99/p?q#f", "[.][.][.]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range ExtractLinks(s) {
			if l.Start < 0 || l.End > len(s) || l.Start >= l.End {
				t.Fatalf("link %+v out of bounds for %q", l, s)
			}
			if l.Text != s[l.Start:l.End] || l.Host == "" || strings.ContainsAny(l.Host, "/ ") {
				t.Fatalf("bad link %+v for %q", l, s)
			}
		}
	})
}
