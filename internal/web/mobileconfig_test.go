package web

import (
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// plistNode is a generic parse of a property list element, used to check
// the profile as a real plist reader sees it.
type plistNode struct {
	XMLName  xml.Name
	Text     string      `xml:",chardata"`
	Children []plistNode `xml:",any"`
}

// plistToGo turns a parsed plist element into Go values: dict → map, array
// → slice, string/integer → string.
func plistToGo(t *testing.T, n plistNode) any {
	t.Helper()
	switch n.XMLName.Local {
	case "dict":
		m := map[string]any{}
		if len(n.Children)%2 != 0 {
			t.Fatalf("dict with odd children: %d", len(n.Children))
		}
		for i := 0; i < len(n.Children); i += 2 {
			if n.Children[i].XMLName.Local != "key" {
				t.Fatalf("dict child %d is %s, want key", i, n.Children[i].XMLName.Local)
			}
			m[n.Children[i].Text] = plistToGo(t, n.Children[i+1])
		}
		return m
	case "array":
		var a []any
		for _, c := range n.Children {
			a = append(a, plistToGo(t, c))
		}
		return a
	case "string", "integer":
		return n.Text
	default:
		t.Fatalf("unexpected plist element %q", n.XMLName.Local)
		return nil
	}
}

// parseProfile parses a downloaded profile strictly (every token) and
// returns the top-level dict.
func parseProfile(t *testing.T, body string) map[string]any {
	t.Helper()
	if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(body, `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN"`) {
		t.Fatalf("no XML declaration or plist DOCTYPE:\n%s", body)
	}
	d := xml.NewDecoder(strings.NewReader(body))
	for {
		if _, err := d.Token(); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("not well-formed XML: %v\n%s", err, body)
		}
	}
	var root plistNode
	if err := xml.Unmarshal([]byte(body), &root); err != nil {
		t.Fatal(err)
	}
	if root.XMLName.Local != "plist" || len(root.Children) != 1 {
		t.Fatalf("root %q with %d children", root.XMLName.Local, len(root.Children))
	}
	top, ok := plistToGo(t, root.Children[0]).(map[string]any)
	if !ok {
		t.Fatalf("top is not a dict")
	}
	return top
}

func TestMobileconfigDownload(t *testing.T) {
	ts := newTestServer(t, Config{Ward: Ward{Name: "Phường Phù Liễn & <Ward>"}, ProfileDomain: "DNS.PhuongMau.vn."})
	resp, body := get(t, ts.Client(), ts.URL+"/cai-dat/ios/be-an.mobileconfig")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-apple-aspen-config" {
		t.Errorf("Content-Type %q", ct)
	}
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "manglanh-be-an.mobileconfig" {
		t.Errorf("Content-Disposition %q: %v %v", resp.Header.Get("Content-Disposition"), params, err)
	}
	top := parseProfile(t, body)
	if top["PayloadType"] != "Configuration" || top["PayloadVersion"] != "1" {
		t.Errorf("top payload: %v", top)
	}
	if top["PayloadOrganization"] != "Phường Phù Liễn & <Ward>" {
		t.Errorf("organisation %q", top["PayloadOrganization"])
	}
	if top["PayloadDisplayName"] != "Bộ lọc Mạng Lành – be-an" {
		t.Errorf("display name %q", top["PayloadDisplayName"])
	}
	if top["PayloadIdentifier"] != "vn.phuongmau.dns.manglanh.be-an" {
		t.Errorf("identifier %q", top["PayloadIdentifier"])
	}
	desc, _ := top["PayloadDescription"].(string)
	if !strings.Contains(desc, "Bộ lọc DNS mã hoá") || !strings.Contains(desc, "Encrypted DNS filter") {
		t.Errorf("description not in both languages: %q", desc)
	}
	content, _ := top["PayloadContent"].([]any)
	if len(content) != 1 {
		t.Fatalf("PayloadContent: %v", top["PayloadContent"])
	}
	dns, _ := content[0].(map[string]any)
	if dns["PayloadType"] != "com.apple.dnsSettings.managed" {
		t.Errorf("payload type %q", dns["PayloadType"])
	}
	settings, _ := dns["DNSSettings"].(map[string]any)
	if settings["DNSProtocol"] != "HTTPS" || settings["ServerURL"] != "https://dns.phuongmau.vn/dns-query/be-an" {
		t.Errorf("DNSSettings %v", settings)
	}
	uuidRE := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	for _, u := range []any{top["PayloadUUID"], dns["PayloadUUID"]} {
		if s, _ := u.(string); !uuidRE.MatchString(s) {
			t.Errorf("not a version-5 UUID: %q", u)
		}
	}
	if top["PayloadUUID"] == dns["PayloadUUID"] {
		t.Errorf("profile and payload share a UUID")
	}

	// Re-downloading (also under the English path and another spelling of
	// the name) gives the same identifiers, so iOS replaces the profile.
	resp2, body2 := get(t, ts.Client(), ts.URL+"/setup/ios/Be-An.mobileconfig")
	if resp2.StatusCode != 200 {
		t.Fatalf("%d %s", resp2.StatusCode, body2)
	}
	top2 := parseProfile(t, body2)
	dns2 := top2["PayloadContent"].([]any)[0].(map[string]any)
	if top2["PayloadUUID"] != top["PayloadUUID"] || dns2["PayloadUUID"] != dns["PayloadUUID"] || top2["PayloadIdentifier"] != top["PayloadIdentifier"] {
		t.Errorf("identifiers changed between downloads: %v/%v vs %v/%v", top["PayloadUUID"], dns["PayloadUUID"], top2["PayloadUUID"], dns2["PayloadUUID"])
	}

	// Another child gets other identifiers.
	_, body3 := get(t, ts.Client(), ts.URL+"/cai-dat/ios/be-binh.mobileconfig")
	if top3 := parseProfile(t, body3); top3["PayloadUUID"] == top["PayloadUUID"] {
		t.Errorf("two profiles share UUID %v", top3["PayloadUUID"])
	}
}

func TestMobileconfigRefusesHostileNames(t *testing.T) {
	ts := newTestServer(t, Config{ProfileDomain: "dns.phuongmau.vn"})
	c := ts.Client()
	for _, name := range []string{
		"%3Cscript%3E",          // <script>
		"a%26b",                 // &
		"be%22an",               // "
		"be.an",                 // a dot: another label
		"-be-an",                // leading hyphen
		"be-an-",                // trailing hyphen
		"b%C3%A9-an",            // é
		"be%20an",               // space
		"%5D%5D%3E%3Cstring%3E", // ]]><string>
		strings.Repeat("a", 64), // too long
	} {
		resp, body := get(t, c, ts.URL+"/cai-dat/ios/"+name+".mobileconfig")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Tên hồ sơ không hợp lệ") {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-apple") {
			t.Errorf("%s: served a profile", name)
		}
	}
	resp, body := get(t, c, ts.URL+"/setup/ios/a%2Fb.mobileconfig?lang=en")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Invalid profile name") {
		t.Errorf("english: %d %s", resp.StatusCode, body)
	}
	// The longest label is accepted.
	if resp, _ := get(t, c, ts.URL+"/cai-dat/ios/"+strings.Repeat("a", 63)+".mobileconfig"); resp.StatusCode != 200 {
		t.Errorf("63-character label: %d", resp.StatusCode)
	}
	// Without the .mobileconfig suffix there is no such file.
	if resp, _ := get(t, c, ts.URL+"/cai-dat/ios/be-an.txt"); resp.StatusCode != 404 {
		t.Errorf("wrong suffix: %d", resp.StatusCode)
	}
}

func TestMobileconfigNotFoundWithoutDomain(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, p := range []string{"/cai-dat/ios/be-an.mobileconfig", "/setup/ios/be-an.mobileconfig", "/cai-dat/ios?ho-so=be-an"} {
		resp, body := get(t, ts.Client(), ts.URL+p)
		if resp.StatusCode != 404 || !strings.Contains(body, "Không tìm thấy trang") {
			t.Errorf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
	// And the set-up page offers no download form.
	_, body := get(t, ts.Client(), ts.URL+"/cai-dat")
	if strings.Contains(body, `action="/cai-dat/ios"`) {
		t.Errorf("form shown without a profile domain")
	}
}

func TestMobileconfigSetupForm(t *testing.T) {
	ts := newTestServer(t, Config{ProfileDomain: "dns.phuongmau.vn", DoHListen: "0.0.0.0:443"})
	c := ts.Client()
	_, body := get(t, c, ts.URL+"/cai-dat")
	if !strings.Contains(body, `action="/cai-dat/ios"`) || !strings.Contains(body, "Tên hồ sơ của con") || !strings.Contains(body, `name="ho-so"`) {
		t.Errorf("Vietnamese form missing: %s", body)
	}
	_, body = get(t, c, ts.URL+"/setup?lang=en")
	if !strings.Contains(body, `action="/setup/ios"`) || !strings.Contains(body, "profile name") {
		t.Errorf("English form missing: %s", body)
	}

	// Submitting the form (the browser's GET) leads to the file.
	noFollow := *c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := get(t, &noFollow, ts.URL+"/cai-dat/ios?ho-so=+Be-An+")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cai-dat/ios/be-an.mobileconfig" {
		t.Errorf("redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = get(t, c, ts.URL+"/setup/ios?profile=be-an")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-apple-aspen-config" || !strings.Contains(body, "https://dns.phuongmau.vn/dns-query/be-an") {
		t.Errorf("followed: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, c, ts.URL+"/cai-dat/ios?ho-so=%3Cb%3E")
	if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, "<b>") {
		t.Errorf("hostile form value: %d %s", resp.StatusCode, body)
	}
}

func TestNameUUIDKnownVector(t *testing.T) {
	// RFC 9562's DNS name space and "python.org": a widely published v5 value.
	dnsNS := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	if got := nameUUID(dnsNS, "python.org"); got != "886313E1-3B8A-5372-9B90-0C9AEE199E5D" {
		t.Errorf("nameUUID = %s", got)
	}
}

func FuzzMobileconfig(f *testing.F) {
	for _, s := range []string{"be-an", "<x>", "a&b", "]]>", "é"} {
		f.Add(s, "Phường Mẫu")
	}
	f.Fuzz(func(t *testing.T, name, org string) {
		if !isDNSLabel(name) {
			return
		}
		body, err := mobileconfig("dns.phuongmau.vn", name, org)
		if err != nil {
			t.Fatal(err)
		}
		top := parseProfile(t, string(body))
		dns := top["PayloadContent"].([]any)[0].(map[string]any)
		if got := dns["DNSSettings"].(map[string]any)["ServerURL"]; got != "https://dns.phuongmau.vn/dns-query/"+name {
			t.Fatalf("ServerURL %q for %q", got, name)
		}
	})
}
