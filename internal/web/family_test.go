package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"manglanh/internal/family"
	"manglanh/internal/filter"
	"manglanh/internal/store"
)

// familyActivity writes what the DNS server records, through the store's
// own tables (dns_budget_usage, dns_device_seen), as the server's flush does.
type familyActivity struct {
	t  *testing.T
	st *store.Store
}

func (a familyActivity) setSeen(id int64, at time.Time) {
	if err := a.st.SetDevicesSeen(context.Background(), []filter.DeviceSeen{{DeviceID: id, LastSeen: at}}); err != nil {
		a.t.Fatal(err)
	}
}

// setUsage marks the first minutes of today (in the ward's zone) as used
// by key.
func (a familyActivity) setUsage(profileID int64, key string, minutes int) {
	bits := make([]byte, filter.UsageBitsLen)
	for m := range minutes {
		bits[m/8] |= 1 << (m % 8)
	}
	day := time.Now().In(profileLocation(&family.Profile{})).Format(time.DateOnly)
	if err := a.st.AddBudgetUsage(context.Background(), []filter.BudgetBits{{ProfileID: profileID, Day: day, Key: key, Bits: bits, Minutes: minutes}}); err != nil {
		a.t.Fatal(err)
	}
}

type familyEnv struct {
	*authEnv
	fam *family.Service
	act familyActivity
}

// newFamilyEnv is a portal with parent accounts, encrypted DNS (DoT on 853,
// DoH on 443) under dns.example.vn, unless domain is "".
func newFamilyEnv(t *testing.T, domain string) *familyEnv {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &familyEnv{authEnv: &authEnv{store: st, now: time.Now()}, act: familyActivity{t: t, st: st}}
	e.fam, err = family.New(family.Config{Store: st, Hasher: testHasher{}, ProfileDomain: domain,
		Schools: func(context.Context) ([]family.School, error) {
			return []family.School{{ID: 5, Name: "THCS Lê Lợi"}, {ID: 7, Name: "Tiểu học Hoa Sen"}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})), Families: e.fam, Ward: Ward{Name: "Phường Thử"}, ProfileDomain: domain, DNSAddress: "192.0.2.53:53",
		BaseURL: "https://ml.example.vn", Location: profileLocation(&family.Profile{})}
	if domain != "" {
		cfg.DoTListen, cfg.DoHListen = ":853", ":443"
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(e.ts.Close)
	return e
}

// parent signs a new parent up (approval none) and returns their browser.
func (e *familyEnv) parent(t *testing.T, login string) *browser {
	t.Helper()
	b := e.browser(t)
	if resp := b.signUp(login); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up %s: %d", login, resp.StatusCode)
	}
	return b
}

var profileURL = regexp.MustCompile(`^/gia-dinh/tre/(\d+)/cai-dat\?ok=created#thiet-bi$`)

// newChild makes a profile through the form and returns its id.
func (e *familyEnv) newChild(t *testing.T, b *browser, nickname string, year int) int64 {
	t.Helper()
	resp, body := b.post("/gia-dinh/tre/moi", "/gia-dinh/tre/moi", url.Values{"nickname": {nickname}, "birth_year": {fmt.Sprint(year)}})
	m := profileURL.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("new profile: %d %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

// profile reads a profile from the store, as saved.
func (e *familyEnv) profile(t *testing.T, id int64) *family.Profile {
	t.Helper()
	p, err := e.store.FamilyProfile(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wantBody(t *testing.T, what string, resp *http.Response, body string, status int, wants ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d", what, resp.StatusCode, status)
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: page lacks %q", what, w)
		}
	}
	if strings.Contains(body, "<script") {
		t.Errorf("%s: page has a script", what)
	}
}

func TestFamilyNewProfileHostileFieldsAndSetupNext(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	b := e.parent(t, "me.an@example.vn")
	resp, body := b.get("/gia-dinh")
	wantBody(t, "empty home", resp, body, 200, "Bạn chưa tạo hồ sơ nào", `href="/gia-dinh/tre/moi"`, "Thêm hồ sơ cho con",
		`href="/gia-dinh/yeu-cau"`, `href="/gia-dinh/canh-bao"`)
	resp, body = b.get("/gia-dinh/tre/moi")
	wantBody(t, "new form", resp, body, 200, "Đừng nhập họ tên đầy đủ", "THCS Lê Lợi", "Tiểu học Hoa Sen", `name="birth_year"`)
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"empty nickname", url.Values{"nickname": {"  "}}, "nickname", "Hãy nhập tên gọi"},
		{"long nickname", url.Values{"nickname": {strings.Repeat("Ă", 41)}}, "nickname", "dài quá 40"},
		{"control characters", url.Values{"nickname": {"An\x00\u202e"}}, "nickname", "ký tự không hợp lệ"},
		{"year not a number", url.Values{"nickname": {"An"}, "birth_year": {"19' OR 1=1"}}, "birth_year", "Hãy chọn năm sinh"},
		{"year too old", url.Values{"nickname": {"An"}, "birth_year": {"1950"}}, "birth_year", "Năm sinh phải từ"},
		{"unknown school", url.Values{"nickname": {"An"}, "school": {"999"}}, "school", "không có trong danh sách"},
		{"school not an id", url.Values{"nickname": {"An"}, "school": {"<b>x</b>"}}, "school", "Hãy chọn trường"},
	} {
		resp, body := b.post("/gia-dinh/tre/moi", "/gia-dinh/tre/moi", tc.form)
		wantBody(t, tc.name, resp, body, http.StatusBadRequest, tc.want, `id="`+tc.field+`-err"`)
		if !regexp.MustCompile(`id="` + tc.field + `" [^>]*aria-invalid="true"[^>]*autofocus`).MatchString(body) {
			t.Errorf("%s: %s has no aria-invalid and autofocus", tc.name, tc.field)
		}
	}
	ps, _, _ := e.store.PolicyProfiles(context.Background())
	if len(ps) != 0 {
		t.Fatalf("a bad form saved %d profiles", len(ps))
	}
	// Markup in a nickname is text.
	id := e.newChild(t, b, `<img src=x onerror=alert(1)> An`, time.Now().Year()-9)
	resp, body = b.get(fmt.Sprintf("/gia-dinh/tre/%d/cai-dat?ok=created", id))
	wantBody(t, "setup after create", resp, body, 200, "Đã tạo hồ sơ của &lt;img", "Thêm thiết bị")
	if strings.Contains(body, "<img src=x") {
		t.Fatal("nickname markup became markup")
	}
	resp, body = b.get("/gia-dinh")
	wantBody(t, "home with a child", resp, body, 200, "9 tuổi", "Chưa thấy thiết bị nào", "Tất cả trò chơi", "Mỗi trò chơi")
	// The English page.
	resp, body = b.get("/gia-dinh/tre/moi?lang=en")
	wantBody(t, "new form in English", resp, body, 200, "Do not type the full name", "Birth year")
}

var deviceAnchor = regexp.MustCompile(`\?ok=device&d=(\d+)#thiet-bi-(\d+)$`)

func (e *familyEnv) addDevice(t *testing.T, b *browser, profile int64, name, kind string) int64 {
	t.Helper()
	page := fmt.Sprintf("/gia-dinh/tre/%d/cai-dat", profile)
	resp, body := b.post(page, fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi", profile), url.Values{"name": {name}, "kind": {kind}})
	m := deviceAnchor.FindStringSubmatch(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || m == nil || m[1] != m[2] {
		t.Fatalf("add device: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

func TestFamilySetupDevicesSeenQRAndMobileconfig(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	b := e.parent(t, "0912345678")
	id := e.newChild(t, b, "Bé An", time.Now().Year()-9)
	page := fmt.Sprintf("/gia-dinh/tre/%d/cai-dat", id)
	// Hostile device forms: nothing added.
	for _, tc := range []struct {
		form  url.Values
		field string
		want  string
	}{
		{url.Values{"name": {""}, "kind": {"android"}}, "name", "Hãy nhập tên thiết bị"},
		{url.Values{"name": {"Máy\r\nmới"}, "kind": {"android"}}, "name", "ký tự không hợp lệ"},
		{url.Values{"name": {"Máy"}, "kind": {"rocket"}}, "kind", "Hãy chọn loại thiết bị"},
	} {
		resp, body := b.post(page, fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi", id), tc.form)
		wantBody(t, "device "+tc.field, resp, body, http.StatusBadRequest, tc.want, `id="`+tc.field+`-err"`)
	}
	if ds, _ := e.store.DevicesOf(context.Background(), id); len(ds) != 0 {
		t.Fatalf("bad forms added %d devices", len(ds))
	}
	phone := e.addDevice(t, b, id, "Điện thoại của An", "android")
	ipad := e.addDevice(t, b, id, "iPad", "ios")
	router := e.addDevice(t, b, id, "Wi-Fi nhà", "router")
	ds, _ := e.store.DevicesOf(context.Background(), id)
	label := map[int64]string{}
	for _, d := range ds {
		label[d.ID] = d.Label
	}
	resp, body := b.get(page + "?ok=device")
	wantBody(t, "setup", resp, body, 200,
		"Đã thêm thiết bị", label[phone]+".dns.example.vn", `<svg class="qr"`, "setup-android-vi", "DNS riêng tư",
		"setup-iphone-vi", "https://ml.example.vn/cai-dat/ios/"+label[ipad]+".mobileconfig",
		"192.0.2.53", "setup-router-vi", label[router]+".dns.example.vn",
		"Chưa nhận được truy vấn nào — kiểm tra bước 3")
	resp, body = b.get(fmt.Sprintf("%s?ok=device&d=%d", page, phone))
	wantBody(t, "named confirmation", resp, body, 200, "Đã thêm thiết bị “Điện thoại của An”")
	// Seen five minutes ago: working; three hours ago: not in the last hour.
	loc := profileLocation(&family.Profile{})
	seen := time.Now().Add(-5 * time.Minute)
	e.act.setSeen(phone, seen)
	e.act.setSeen(ipad, time.Now().Add(-3*time.Hour))
	resp, body = b.get(page)
	wantBody(t, "setup seen", resp, body, 200, "Đã hoạt động lúc "+seen.In(loc).Format("15:04"), "hơn 1 giờ trước")
	resp, body = b.get("/gia-dinh")
	wantBody(t, "home protected", resp, body, 200, "Đang bảo vệ")
	// The iPhone's profile, signed in.
	resp, body = b.get(fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi/%d/manglanh-%s.mobileconfig", id, ipad, label[ipad]))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/x-apple-aspen-config" ||
		!strings.Contains(body, "https://dns.example.vn/dns-query/"+label[ipad]) || !strings.Contains(body, "Bé An (iPad)") {
		t.Fatalf("mobileconfig %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	// Another device's file name is not this device's.
	resp, _ = b.get(fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi/%d/manglanh-%s.mobileconfig", id, ipad, label[phone]))
	if resp.StatusCode != 404 {
		t.Fatalf("wrong file name: %d", resp.StatusCode)
	}
	// Remove the router.
	resp, _ = b.post(page, fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi/%d/xoa", id, router), url.Values{})
	wantRedirect(t, resp, page+"?ok=removed#thiet-bi")
	if ds, _ := e.store.DevicesOf(context.Background(), id); len(ds) != 2 {
		t.Fatalf("%d devices after removing one", len(ds))
	}
	resp, body = b.get(page + "?ok=removed&lang=en")
	wantBody(t, "setup in English", resp, body, 200, "Device removed", "Private DNS", "Working: last query at")
}

func TestFamilySetupWithoutEncryptedDNS(t *testing.T) {
	e := newFamilyEnv(t, "")
	b := e.parent(t, "ba.an@example.vn")
	id := e.newChild(t, b, "An", time.Now().Year()-12)
	e.addDevice(t, b, id, "Điện thoại", "android")
	resp, body := b.get(fmt.Sprintf("/gia-dinh/tre/%d/cai-dat", id))
	wantBody(t, "setup without DoT", resp, body, 200, "Phường chưa bật DNS mã hoá", `href="#wifi"`, "192.0.2.53", "setup-router-vi")
	if strings.Contains(body, `<svg class="qr"`) || strings.Contains(body, ".mobileconfig") {
		t.Error("a QR code or profile for a DNS name that does not exist")
	}
}

// TestFamilyOtherFamilyIs404 opens and changes one family's profile,
// devices and rules as another parent, by direct URL: every answer is 404
// and nothing changes.
func TestFamilyOtherFamilyIs404(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	a := e.parent(t, "a@example.vn")
	id := e.newChild(t, a, "An", time.Now().Year()-9)
	dev := e.addDevice(t, a, id, "Điện thoại", "ios")
	before := e.profile(t, id)
	b := e.parent(t, "b@example.vn")
	bid := e.newChild(t, b, "Bình", time.Now().Year()-10)
	ds, _ := e.store.DevicesOf(context.Background(), id)
	for _, p := range []string{"cai-dat", "quy-tac", "thoi-gian", fmt.Sprintf("thiet-bi/%d/manglanh-%s.mobileconfig", dev, ds[0].Label)} {
		resp, _ := b.get(fmt.Sprintf("/gia-dinh/tre/%d/%s", id, p))
		if resp.StatusCode != 404 {
			t.Errorf("GET %s of another family: %d", p, resp.StatusCode)
		}
	}
	own := fmt.Sprintf("/gia-dinh/tre/%d/quy-tac", bid)
	for _, tc := range []struct {
		action string
		form   url.Values
	}{
		{"quy-tac/chan", url.Values{"block": {"tiktok"}}},
		{"quy-tac/cho-phep", url.Values{"site": {"example.com"}}},
		{"quy-tac/lich", url.Values{"from": {"21:00"}, "to": {"06:00"}, "mode": {"block"}, "items": {"group:games"}}},
		{"tam-ngat", url.Values{"action": {"now"}}},
		{"thoi-gian", url.Values{"m_all": {"10"}}},
		{"thiet-bi", url.Values{"name": {"x"}, "kind": {"android"}}},
		{fmt.Sprintf("thiet-bi/%d/xoa", dev), url.Values{}},
	} {
		resp, _ := b.post(own, fmt.Sprintf("/gia-dinh/tre/%d/%s", id, tc.action), tc.form)
		if resp.StatusCode != 404 {
			t.Errorf("POST %s to another family: %d", tc.action, resp.StatusCode)
		}
	}
	// The other family's device through one's own profile.
	resp, _ := b.post(own, fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi/%d/xoa", bid, dev), url.Values{})
	if resp.StatusCode != 404 {
		t.Errorf("another family's device under one's own profile: %d", resp.StatusCode)
	}
	for _, p := range []string{"abc", "0", "-1", "99999999999999999999"} {
		if resp, _ := b.get("/gia-dinh/tre/" + p + "/quy-tac"); resp.StatusCode != 404 {
			t.Errorf("profile id %q: %d", p, resp.StatusCode)
		}
	}
	after := e.profile(t, id)
	if fmt.Sprint(after.Rules) != fmt.Sprint(before.Rules) {
		t.Errorf("another parent changed the rules: %+v", after.Rules)
	}
	if ds, _ := e.store.DevicesOf(context.Background(), id); len(ds) != 1 {
		t.Errorf("devices: %d", len(ds))
	}
	// Signed out: the sign-in page, and a POST is refused.
	anon := e.browser(t)
	resp, _ = anon.get(fmt.Sprintf("/gia-dinh/tre/%d/quy-tac", id))
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/gia-dinh/dang-nhap") {
		t.Errorf("signed out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestFamilyRulesSections(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	b := e.parent(t, "me@example.vn")
	id := e.newChild(t, b, "An", time.Now().Year()-9)
	page := fmt.Sprintf("/gia-dinh/tre/%d/quy-tac", id)
	act := func(part string) string { return page + "/" + part }
	resp, body := b.get(page)
	wantBody(t, "rules", resp, body, 200, "Đang dùng mức mặc định cho trẻ 9 tuổi", "Nội dung người lớn", "Cờ bạc, cá độ",
		"Vượt bộ lọc", "Trò chơi", "Liên Quân", "TikTok", "mặc định theo tuổi", "Theo tuổi của con (hiện là: nghiêm)",
		"Tạm ngắt Internet ngay", "T2", "CN", "qua nửa đêm")
	for _, n := range []string{"adult", "gambling", "scam", "malware", "bypass"} {
		if !regexp.MustCompile(`value="` + n + `" checked`).MatchString(body) {
			t.Errorf("%s not ticked by the age defaults", n)
		}
	}

	// Block TikTok on top of the defaults, untick bypass.
	resp, _ = b.post(page, act("chan"), url.Values{"block": {"adult", "gambling", "scam", "malware", "tiktok"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "#chan") {
		t.Fatalf("block: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = b.get(resp.Header.Get("Location"))
	wantBody(t, "block flash", resp, body, 200, "Đã chặn thêm: TikTok. Đã bỏ chặn: Vượt bộ lọc")
	if got := e.profile(t, id).Rules.Block; !slices.Equal(got, []string{"adult", "gambling", "scam", "malware", "tiktok"}) {
		t.Errorf("block saved as %v", got)
	}
	// A hostile name: nothing saved, the error by the list.
	resp, body = b.post(page, act("chan"), url.Values{"block": {"adult", "<script>x</script>"}})
	wantBody(t, "bad block", resp, body, http.StatusBadRequest, "Không có nhóm hay dịch vụ tên", `id="block-err"`)
	if got := e.profile(t, id).Rules.Block; len(got) != 5 {
		t.Errorf("a bad name changed the block list: %v", got)
	}
	// Nothing ticked is "none"; the defaults button is nil again.
	b.post(page, act("chan"), url.Values{})
	if got := e.profile(t, id).Rules.Block; !slices.Equal(got, []string{"none"}) {
		t.Errorf("nothing ticked saved as %v", got)
	}
	resp, _ = b.post(page, act("chan"), url.Values{"mac_dinh": {"1"}})
	wantRedirect(t, resp, page+"?ok=defaults#chan")
	if got := e.profile(t, id).Rules.Block; got != nil {
		t.Errorf("defaults saved as %v", got)
	}

	// Safe search.
	resp, _ = b.post(page, act("tim-kiem"), url.Values{"safe_search": {"moderate"}})
	wantRedirect(t, resp, page+"?ok=safe&v=moderate#tim-kiem")
	resp, body = b.post(page, act("tim-kiem"), url.Values{"safe_search": {"loose"}})
	wantBody(t, "bad safe search", resp, body, http.StatusBadRequest, "phải là tắt, vừa hoặc nghiêm")
	if got := e.profile(t, id).Rules.SafeSearch; got != "moderate" {
		t.Errorf("safe search %q", got)
	}

	// Sites: a link is cut to its name; a hostile one is refused beside
	// the field, with what was typed kept.
	resp, _ = b.post(page, act("cho-phep"), url.Values{"site": {"https://HocTap.EDU.vn/bai-1?x=2"}})
	wantRedirect(t, resp, page+"?ok=allow&site=hoctap.edu.vn#cho-phep")
	resp, body = b.get(resp.Header.Get("Location"))
	wantBody(t, "allow flash", resp, body, 200, "Đã luôn cho phép hoctap.edu.vn")
	for _, bad := range []string{"không phải trang", "127.0.0.1", "localhost", `"><img src=x>`, strings.Repeat("a", 400) + ".vn"} {
		resp, body = b.post(page, act("chan-trang"), url.Values{"site": {bad}})
		wantBody(t, "bad site "+bad[:min(len(bad), 10)], resp, body, http.StatusBadRequest, "Không phải tên trang web hợp lệ", `id="deny-err"`)
		if !regexp.MustCompile(`id="deny-site"[^>]*aria-invalid="true" autofocus`).MatchString(body) {
			t.Errorf("site %q: the field has no focus", bad)
		}
		if strings.Contains(body, "<img src=x>") {
			t.Error("typed markup became markup")
		}
	}
	resp, _ = b.post(page, act("chan-trang"), url.Values{"site": {"game-bai.example"}})
	wantRedirect(t, resp, page+"?ok=deny&site=game-bai.example#chan-trang")
	// Blocking an allowed site moves it.
	b.post(page, act("chan-trang"), url.Values{"site": {"hoctap.edu.vn"}})
	r := e.profile(t, id).Rules
	if !slices.Equal(r.Deny, []string{"game-bai.example", "hoctap.edu.vn"}) || len(r.Allow) != 0 {
		t.Errorf("allow %v deny %v", r.Allow, r.Deny)
	}
	resp, _ = b.post(page, act("bo-chan-trang"), url.Values{"site": {"game-bai.example"}})
	wantRedirect(t, resp, page+"?ok=undeny&site=game-bai.example#chan-trang")
	resp, _ = b.post(page, act("bo-chan-trang"), url.Values{"site": {"not-there.example"}})
	if resp.StatusCode != 404 {
		t.Errorf("removing a site not in the list: %d", resp.StatusCode)
	}

	// Schedules: from = to is refused beside "to"; an overnight one and a
	// school one are kept; one is removed.
	resp, body = b.post(page, act("lich"), url.Values{"name": {"Ngủ"}, "from": {"21:00"}, "to": {"21:00"}, "mode": {"only"}, "items": {"zalo"}})
	wantBody(t, "from = to", resp, body, http.StatusBadRequest, "Giờ kết thúc phải khác giờ bắt đầu", `id="to-err"`)
	if !regexp.MustCompile(`id="to"[^>]*aria-invalid="true" autofocus`).MatchString(body) || !strings.Contains(body, `value="Ngủ"`) {
		t.Error("the failed schedule lost its focus or what was typed")
	}
	resp, body = b.post(page, act("lich"), url.Values{"from": {"25:00"}, "to": {"07:00"}, "days": {"mon", "funday"}, "items": {"group:games"}})
	wantBody(t, "bad clock and day", resp, body, http.StatusBadRequest, "Giờ bắt đầu phải theo dạng HH:MM", "Ngày không hợp lệ")
	resp, body = b.post(page, act("lich"), url.Values{"name": {"Giờ ngủ"}, "from": {"21:30"}, "to": {"06:00"}, "mode": {"only"}})
	wantBody(t, "allow-only without items", resp, body, http.StatusBadRequest, "ít nhất một ứng dụng", `id="items-err"`)
	if n := len(e.profile(t, id).Rules.Schedules); n != 0 {
		t.Fatalf("bad schedules saved: %d", n)
	}
	resp, _ = b.post(page, act("lich"), url.Values{"name": {"Giờ ngủ"}, "from": {"21:30"}, "to": {"06:00"}, "mode": {"only"}, "items": {"zalo"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "#lich") {
		t.Fatalf("bedtime: %d", resp.StatusCode)
	}
	b.post(page, act("lich"), url.Values{"name": {"Giờ học"}, "days": {"mon", "tue", "wed", "thu", "fri"}, "from": {"07:00"}, "to": {"11:30"},
		"mode": {"block"}, "items": {"group:games", "group:social"}})
	sc := e.profile(t, id).Rules.Schedules
	if len(sc) != 2 || !slices.Equal(sc[0].AllowOnly, []string{"zalo"}) || !slices.Contains(sc[1].Block, "lienquan") || !slices.Contains(sc[1].Block, "tiktok") {
		t.Fatalf("schedules saved as %+v", sc)
	}
	resp, body = b.get(page)
	wantBody(t, "schedules shown", resp, body, 200, "Giờ ngủ</strong>: hằng ngày, 21:30–06:00 (qua nửa đêm", "tắt Internet, chỉ để: Zalo",
		"Giờ học</strong>: T2–T6, 07:00–11:30", "chặn: Tất cả trò chơi, Mạng xã hội")
	resp, _ = b.post(page, act("bo-lich"), url.Values{"i": {"0"}, "name": {"Giờ ngủ"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove schedule: %d", resp.StatusCode)
	}
	if sc := e.profile(t, id).Rules.Schedules; len(sc) != 1 || sc[0].Name != "Giờ học" {
		t.Fatalf("after removing: %+v", sc)
	}
	// Presets fill the add form.
	resp, body = b.get(page + "?mau=ngu")
	wantBody(t, "bedtime preset", resp, body, 200, `value="21:30"`, `value="06:00"`)

	// Pause now, until a time, resume.
	resp, _ = b.post(page, page[:len(page)-len("quy-tac")]+"tam-ngat", url.Values{"action": {"now"}})
	wantRedirect(t, resp, page+"?ok=pause#tam-ngat")
	if !e.profile(t, id).Rules.PausedUntil.Equal(filter.PauseForever) {
		t.Errorf("pause now: %v", e.profile(t, id).Rules.PausedUntil)
	}
	resp, body = b.get("/gia-dinh")
	wantBody(t, "home paused", resp, body, 200, "Đang tạm ngắt Internet (đến khi bạn bật lại)", "Bật lại Internet")
	resp, body = b.post(page, page[:len(page)-len("quy-tac")]+"tam-ngat", url.Values{"action": {"until"}, "until": {"8 giờ tối"}})
	wantBody(t, "bad until", resp, body, http.StatusBadRequest, "HH:MM", `id="until-err"`)
	resp, _ = b.post(page, page[:len(page)-len("quy-tac")]+"tam-ngat", url.Values{"action": {"until"}, "until": {"20:00"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause until: %d", resp.StatusCode)
	}
	if u := e.profile(t, id).Rules.PausedUntil.In(profileLocation(&family.Profile{})); u.Format("15:04") != "20:00" || !u.After(time.Now()) {
		t.Errorf("paused until %v", u)
	}
	b.post(page, page[:len(page)-len("quy-tac")]+"tam-ngat", url.Values{"action": {"resume"}})
	if u := e.profile(t, id).Rules.PausedUntil; !u.IsZero() {
		t.Errorf("resume left %v", u)
	}
	// Rules saves keep the pause: pause, then change safe search.
	b.post(page, page[:len(page)-len("quy-tac")]+"tam-ngat", url.Values{"action": {"now"}})
	b.post(page, act("tim-kiem"), url.Values{"safe_search": {"strict"}})
	if !e.profile(t, id).Rules.PausedUntil.Equal(filter.PauseForever) {
		t.Error("saving safe search resumed the pause")
	}
	resp, _ = b.post(page, act("no-such-part"), url.Values{})
	if resp.StatusCode != 404 {
		t.Errorf("unknown part: %d", resp.StatusCode)
	}
}

func TestFamilyBudgets(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	b := e.parent(t, "me@example.vn")
	id := e.newChild(t, b, "An", time.Now().Year()-12)
	page := fmt.Sprintf("/gia-dinh/tre/%d/thoi-gian", id)
	e.act.setUsage(id, "lienquan", 40)
	e.act.setUsage(id, "freefire", 60)
	e.act.setUsage(id, "group:games", 100)
	resp, body := b.get(page)
	wantBody(t, "budgets", resp, body, 200, "Nghị định 147/2024", "mỗi trò chơi tối đa 60 phút", `name="m_each:games" value="60"`,
		`name="m_group:games" value="180"`, "Liên Quân Mobile (Garena): <span>Hôm nay: đã dùng 40 phút, còn 20 phút",
		"Free Fire (Garena): <span class=\"spent\">Hôm nay: đã dùng hết 1 giờ — đang bị chặn đến nửa đêm",
		"đã dùng 1 giờ 40 phút, còn 1 giờ 20 phút", "đến nửa đêm")
	resp, body = b.get("/gia-dinh")
	wantBody(t, "home time left", resp, body, 200, "Hôm nay còn", "còn 1 giờ 20 phút")
	for _, tc := range []struct {
		form  url.Values
		input string
		want  string
	}{
		{url.Values{"m_all": {"0"}}, "m_all", "từ 1 đến 1440"},
		{url.Values{"m_group:games": {"10000"}}, "m_group:games", "từ 1 đến 1440"},
		{url.Values{"m_each:games": {"abc"}}, "m_each:games", "bằng chữ số"},
		{url.Values{"new_service": {"<b>"}, "new_minutes": {"30"}}, "new_service", "Không có nhóm hay dịch vụ"},
		{url.Values{"new_service": {"tiktok"}}, "new_minutes", "bằng chữ số"},
	} {
		resp, body := b.post(page, page, tc.form)
		wantBody(t, "budget "+tc.input, resp, body, http.StatusBadRequest, tc.want, `id="`+tc.input+`-err"`)
		if !regexp.MustCompile(`id="` + regexp.QuoteMeta(tc.input) + `"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(body) {
			t.Errorf("%s: no focus on the field", tc.input)
		}
		if e.profile(t, id).Rules.Budgets != nil {
			t.Fatalf("a bad budget form saved: %v", e.profile(t, id).Rules.Budgets)
		}
	}
	resp, _ = b.post(page, page, url.Values{"m_each:games": {"45"}, "m_group:games": {"180"}, "m_all": {"240"}, "new_service": {"tiktok"}, "new_minutes": {"30"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	resp, body = b.get(resp.Header.Get("Location"))
	wantBody(t, "saved", resp, body, 200, "Đã lưu giới hạn thời gian", "Tổng thời gian dùng Internet: 4 giờ", "Mỗi trò chơi: 45 phút", "TikTok: 30 phút",
		`name="m_tiktok" value="30"`)
	got := e.profile(t, id).Rules.Budgets
	want := []family.Budget{{Key: "all", Minutes: 240}, {Key: "each:games", Minutes: 45}, {Key: "group:games", Minutes: 180}, {Key: "tiktok", Minutes: 30}}
	if !slices.Equal(got, want) {
		t.Fatalf("budgets %v, want %v", got, want)
	}
	// Every box empty: no limit at all (not the defaults).
	b.post(page, page, url.Values{})
	if got := e.profile(t, id).Rules.Budgets; got == nil || len(got) != 0 {
		t.Fatalf("empty form saved %v", got)
	}
	resp, _ = b.post(page, page, url.Values{"mac_dinh": {"1"}})
	wantRedirect(t, resp, page+"?ok=defaults#gioi-han")
	if got := e.profile(t, id).Rules.Budgets; got != nil {
		t.Fatalf("defaults saved %v", got)
	}
}

func TestFamilyProfileDelete(t *testing.T) {
	e := newFamilyEnv(t, "dns.example.vn")
	a := e.parent(t, "a@example.vn")
	id := e.newChild(t, a, "Bé An", time.Now().Year()-9)
	e.addDevice(t, a, id, "Điện thoại", "android")
	b := e.parent(t, "b@example.vn")
	bid := e.newChild(t, b, "Bình", time.Now().Year()-9)
	setup := fmt.Sprintf("/gia-dinh/tre/%d/cai-dat", id)
	resp, _ := b.post(fmt.Sprintf("/gia-dinh/tre/%d/cai-dat", bid), fmt.Sprintf("/gia-dinh/tre/%d/xoa", id), url.Values{"confirm": {"Bé An"}})
	if resp.StatusCode != 404 {
		t.Fatalf("another family deletes: %d", resp.StatusCode)
	}
	resp, body := a.post(setup, fmt.Sprintf("/gia-dinh/tre/%d/xoa", id), url.Values{"confirm": {"An"}})
	wantBody(t, "wrong confirmation", resp, body, http.StatusBadRequest, "Tên gọi chưa khớp", `id="confirm-err"`)
	if !regexp.MustCompile(`id="confirm"[^>]*aria-invalid="true"[^>]*autofocus`).MatchString(body) {
		t.Error("the confirmation field has no focus")
	}
	e.profile(t, id) // still there
	resp, _ = a.post(setup, fmt.Sprintf("/gia-dinh/tre/%d/xoa", id), url.Values{"confirm": {" bé an "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/gia-dinh?ok=deleted" {
		t.Fatalf("delete: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = a.get(resp.Header.Get("Location"))
	wantBody(t, "after delete", resp, body, 200, "Đã xoá hồ sơ cùng các thiết bị")
	if resp, _ := a.get(setup); resp.StatusCode != 404 {
		t.Errorf("deleted profile: %d", resp.StatusCode)
	}
	if ds, _ := e.store.DevicesOf(context.Background(), id); len(ds) != 0 {
		t.Errorf("devices left: %d", len(ds))
	}
}

// TestMobileconfigKeepsTheDoHPort: with DoH on another port than 443 the
// profile points where the setup page says (both include the port).
func TestMobileconfigKeepsTheDoHPort(t *testing.T) {
	for _, tc := range []struct{ listen, want string }{
		{"0.0.0.0:8443", "https://dns.example.vn:8443/dns-query/be-an"},
		{"0.0.0.0:443", "https://dns.example.vn/dns-query/be-an"},
	} {
		s, err := New(Config{ProfileDomain: "dns.example.vn", DoHListen: tc.listen, DoTListen: ":853"})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s.Handler())
		resp, err := http.Get(ts.URL + "/cai-dat/ios/be-an.mobileconfig")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		io.Copy(&b, resp.Body)
		resp.Body.Close()
		ts.Close()
		if !strings.Contains(b.String(), "<string>"+tc.want+"</string>") {
			t.Errorf("DoH on %s: profile lacks %s", tc.listen, tc.want)
		}
		if got := s.newSetupPage(httptest.NewRequest("GET", "/", nil)).DoH + "be-an"; got != tc.want {
			t.Errorf("DoH on %s: the setup page says %s", tc.listen, got)
		}
	}
}
