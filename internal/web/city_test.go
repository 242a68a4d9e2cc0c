package web

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/program"
	"manglanh/internal/store"
)

// periodCases gives the programme a ward's cases from the real case store
// (the dashboard part's CasesForPeriod is not on this branch).
type periodCases struct{ cs *store.CaseStore }

func (p periodCases) CasesForPeriod(ctx context.Context, tenant int64, per program.Period) ([]*cases.Case, error) {
	all, err := p.cs.ListCases(ctx, cases.Filter{TenantID: tenant, Limit: 10000})
	if err != nil {
		return nil, err
	}
	var out []*cases.Case
	for _, c := range all {
		if c.ReceivedAt.Before(per.To) {
			out = append(out, c)
		}
	}
	return out, nil
}

// cityFixture is one database with three wards: A (tenant 1) and B
// (tenant 2) work on it; C (Xã Kiến Thụy) only sends signed files.
type cityFixture struct {
	*extraFixture
	prog  *program.Service
	keyC  ed25519.PrivateKey
	wardC *program.Tenant
}

func newCityFixture(t *testing.T) *cityFixture {
	t.Helper()
	ctx := context.Background()
	f := &cityFixture{extraFixture: openExtraFixture(t)}
	db := f.db
	a, _ := db.Tenant(ctx, 1)
	a.Code, a.Name = "11500", "Phường An Biên"
	if err := db.UpdateTenant(ctx, a); err != nil {
		t.Fatal(err)
	}
	b := &program.Tenant{Code: "11506", Name: "Phường Phù Liễn", CreatedAt: time.Now()}
	f.wardC = &program.Tenant{Code: "11507", Name: "Xã Kiến Thụy", CreatedAt: time.Now()}
	for _, tn := range []*program.Tenant{b, f.wardC} {
		if err := db.CreateTenant(ctx, tn); err != nil {
			t.Fatal(err)
		}
	}
	f.keyC = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	now := time.Now()
	for _, u := range []struct {
		name   string
		role   auth.Role
		tenant int64
	}{{"officerA", auth.RoleOfficer, 1}, {"adminA", auth.RoleWardAdmin, 1}, {"officerB", auth.RoleOfficer, 2},
		{"adminB", auth.RoleWardAdmin, 2}, {"chairmanB", auth.RoleChairman, 2}, {"viewerB", auth.RoleViewer, 2},
		{"city", auth.RoleCity, 1}} {
		au := &auth.User{Email: u.name + "@hp.vn", Name: "Người " + u.name, Role: u.role, TenantID: u.tenant,
			PasswordHash: "h", CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now}
		if err := db.CreateUser(ctx, au); err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = &SessionUser{ID: au.ID, Name: au.Name, Email: au.Email, Role: string(u.role), TenantID: u.tenant}
	}
	keyPath := filepath.Join(t.TempDir(), "figures.key")
	var err error
	f.prog, err = program.New(program.Options{Store: db, Cases: periodCases{f.cs}, Location: cases.DefaultLocation(),
		FiguresKey: func() (ed25519.PrivateKey, error) { return program.LoadOrCreateSigningKey(keyPath) }})
	if err != nil {
		t.Fatal(err)
	}
	f.start(t, f.prog)
	return f
}

func (f *cityFixture) newCaseAs(t *testing.T, who string) *cases.Case {
	t.Helper()
	c, err := f.svc.Intake(context.Background(), actorOf(f.users[who]), cases.Intake{Category: cases.CategoryScam,
		Channel: cases.ChannelPhone, Urgent: true, Sensitive: cases.Sensitive{ChildName: "Bé " + who, ChildAge: 12,
			Description: "Có người nhắn tin đòi tiền của " + who}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// upload posts a multipart form with one file to path.
func (f *cityFixture) upload(t *testing.T, c *http.Client, page, path string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", f.csrf(t, c, page))
	fw, _ := mw.CreateFormFile("file", "so-lieu.json")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestTenancyByDirectURL(t *testing.T) {
	f := newCityFixture(t)
	c := f.client(t)
	caseA, caseB := f.newCaseAs(t, "officerA"), f.newCaseAs(t, "officerB")
	idA := strconv.FormatInt(caseA.ID, 10)
	codeA, codeB := caseA.Code[:4]+"-"+caseA.Code[4:], caseB.Code[:4]+"-"+caseB.Code[4:] // as pages show them

	f.signIn(f.users["officerA"])
	if resp, body := f.get(t, c, "/can-bo/ho-so"); resp.StatusCode != 200 || !strings.Contains(string(body), codeA) {
		t.Fatalf("ward A's own list lacks its case %s: %d", codeA, resp.StatusCode)
	}
	if _, body := f.get(t, c, "/can-bo"); !strings.Contains(string(body), codeA) {
		t.Fatalf("ward A's to-do lists lack its new case")
	}

	for _, who := range []string{"officerB", "adminB", "chairmanB"} {
		f.signIn(f.users[who])
		if resp, _ := f.get(t, c, "/can-bo/ho-so/"+idA); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s opened ward A's case by id: %d", who, resp.StatusCode)
		}
		for _, path := range []string{"/can-bo/ho-so", "/can-bo/ho-so/xuat.csv", "/can-bo/han-xu-ly", "/can-bo", "/can-bo/so-lieu"} {
			resp, body := f.get(t, c, path)
			if resp.StatusCode >= 500 || strings.Contains(string(body), codeA) || strings.Contains(string(body), caseA.Code) ||
				strings.Contains(string(body), "/can-bo/ho-so/"+idA+`"`) || strings.Contains(string(body), "officerA") {
				t.Errorf("%s: %s shows ward A's case (%d)", who, path, resp.StatusCode)
			}
		}
	}
	f.signIn(f.users["officerB"])
	if _, body := f.get(t, c, "/can-bo/ho-so/xuat.csv"); !strings.Contains(string(body), codeB) && !strings.Contains(string(body), caseB.Code) {
		t.Error("ward B's export lacks its own case")
	}
	resp, _ := f.post(t, c, "/can-bo/ho-so/"+strconv.FormatInt(caseB.ID, 10), "/can-bo/ho-so/"+idA+"/danh-gia",
		url.Values{"risk_level": {"low"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("officer B acted on ward A's case: %d", resp.StatusCode)
	}
	// Ward B's figures count ward B's case only.
	y := strconv.Itoa(time.Now().In(cases.DefaultLocation()).Year())
	_, body := f.get(t, c, "/can-bo/so-lieu?from=01/01/"+y+"&to=31/12/"+y)
	if !regexp.MustCompile(`(?s)Vụ việc tiếp nhận</dt><dd>1</dd>`).Match(body) {
		t.Errorf("ward B's figures page: %s", pageText(body))
	}
	// Nor does ward B's viewer see ward A's case on the deadline dashboard.
	f.signIn(f.users["viewerB"])
	if _, body := f.get(t, c, "/can-bo/han-xu-ly"); strings.Contains(string(body), codeA) {
		t.Error("viewer B sees ward A's case")
	}
}

func TestCityAndWardPagesRefuseEachOther(t *testing.T) {
	f := newCityFixture(t)
	c := f.client(t)
	for _, who := range []string{"officerA", "adminA", "officerB", "chairmanB", "viewerB"} {
		f.signIn(f.users[who])
		for _, path := range []string{"/thanh-pho", "/thanh-pho/tong-hop.csv", "/thanh-pho/bao-cao.pdf"} {
			if resp, _ := f.get(t, c, path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s got %s: %d", who, path, resp.StatusCode)
			}
		}
	}
	f.signIn(f.users["city"])
	for _, path := range []string{"/can-bo/so-lieu", "/can-bo/so-lieu.json", "/can-bo/nguoi-dung", "/can-bo/han-xu-ly"} {
		if resp, _ := f.get(t, c, path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the city got %s: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := f.get(t, c, "/can-bo/ho-so"); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("the city got the case list: %d", resp.StatusCode)
	}
	resp, _ := f.get(t, c, "/can-bo")
	wantRedirect(t, resp, "/thanh-pho")
	if resp, body := f.get(t, c, "/thanh-pho/bao-cao.docx"); resp.StatusCode != http.StatusOK ||
		!bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("roll-up report DOCX: %d", resp.StatusCode)
	}
	if resp, body := f.get(t, c, "/thanh-pho/bao-cao.pdf"); resp.StatusCode != http.StatusOK ||
		!bytes.HasPrefix(body, []byte("%PDF")) {
		t.Errorf("roll-up report PDF: %d", resp.StatusCode)
	}
	// The viewer of the viewer role sees the ward page refused too.
	f.signIn(f.users["viewerB"])
	if resp, _ := f.get(t, c, "/can-bo/so-lieu"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer got the signing page: %d", resp.StatusCode)
	}
}

var wardKeyRe = regexp.MustCompile(`<code class="key">([A-Za-z0-9+/=]{44})</code>`)

func TestCityImportsSignedFilesAndRollsUp(t *testing.T) {
	f := newCityFixture(t)
	c := f.client(t)
	f.newCaseAs(t, "officerB")
	loc := cases.DefaultLocation()
	year := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	figC := &program.Figures{Format: program.FiguresFormat, Wards: []program.TenantRef{{Code: "11507", Name: "Xã Kiến Thụy"}},
		Period: year, Activities: program.ActivityFigures{Total: 3, ByKind: map[string]int{program.KindCommunication: 3}},
		Coverage: program.CoverageFigures{Pupils: program.Ratio{Num: 30, Den: 100}}, Shops: program.ShopFigures{Violations: 2, Handled: 1},
		DNS: program.DNSFigures{DevicesProtected: 40}}
	fileC, err := program.SignFigures(figC, f.keyC)
	if err != nil {
		t.Fatal(err)
	}

	f.signIn(f.users["city"])
	// Before the key is registered the file is refused, in words.
	resp, body := f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", fileC)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, T("vi", "city.err.file.unknown_ward")) ||
		!strings.Contains(body, `aria-describedby="file-err" autofocus`) {
		t.Fatalf("unregistered ward: %d %s", resp.StatusCode, pageText([]byte(body)))
	}
	// A bad key is refused beside its field; a good one is registered.
	cid := strconv.FormatInt(f.wardC.ID, 10)
	resp, b := f.post(t, c, "/thanh-pho", "/thanh-pho/phuong/"+cid+"/khoa", url.Values{"key": {"abc"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), T("vi", "city.err.key")) {
		t.Fatalf("bad key: %d", resp.StatusCode)
	}
	pub := base64.StdEncoding.EncodeToString(f.keyC.Public().(ed25519.PublicKey))
	resp, _ = f.post(t, c, "/thanh-pho", "/thanh-pho/phuong/"+cid+"/khoa", url.Values{"key": {pub}})
	wantRedirect(t, resp, "/thanh-pho?ok=key_registered&t="+cid+"#phuong-"+cid)

	for _, tc := range []struct {
		name string
		data []byte
		key  string
	}{
		{"not JSON", []byte("PK\x03\x04"), "city.err.file.json"},
		{"tampered", bytes.Replace(fileC, []byte(`"total":3`), []byte(`"total":4`), 1), "city.err.file.signature"},
		{"empty", nil, "city.err.file.missing"},
		{"over 5 MB", append(bytes.Repeat([]byte(" "), program.MaxSignedFile), fileC...), "city.err.file.too_large"},
	} {
		resp, body := f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", tc.data)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, T("vi", tc.key)) {
			t.Errorf("%s: %d, want %q", tc.name, resp.StatusCode, T("vi", tc.key))
		}
	}

	// Over the portal's upload limit the body cannot even be read for its
	// token: "too large", not "session expired".
	if resp, body := f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", bytes.Repeat([]byte("x"), 28<<20)); resp.StatusCode != http.StatusRequestEntityTooLarge ||
		!strings.Contains(body, T("vi", "error.toolarge")) {
		t.Errorf("a 28 MB upload: %d", resp.StatusCode)
	}
	resp, _ = f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", fileC)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	_, pageB := f.get(t, c, resp.Header.Get("Location"))
	page := string(pageB)
	if !strings.Contains(page, "Đã nhận số liệu của Xã Kiến Thụy cho 01/01/2025 – 31/12/2025.") {
		t.Fatalf("import flash: %s", pageText([]byte(page)))
	}
	resp, _ = f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", fileC)
	_, pageB = f.get(t, c, resp.Header.Get("Location"))
	page = string(pageB)
	if !strings.Contains(page, "tệp nhận trước đó cho cùng kỳ đã được thay") {
		t.Fatalf("second import does not say it replaced: %s", pageText([]byte(page)))
	}
	text := pageText([]byte(page))
	for _, want := range []string{"Xã Kiến Thụy", "30/100 (30 %)", "3: 3 truyền thông", "1/2 (50 %)",
		"Phường Phù Liễn", "Dữ liệu trực tiếp", "3/3 phường, xã có số liệu"} {
		if !strings.Contains(text, want) {
			t.Errorf("roll-up lacks %q: %s", want, text)
		}
	}
	// Q1 has no file from ward C: "chưa có số liệu".
	_, q1 := f.get(t, c, "/thanh-pho?from=01/01/2025&to=31/03/2025")
	if !strings.Contains(pageText(q1), "chưa có số liệu") {
		t.Errorf("Q1: %s", pageText(q1))
	}
	_, csvBody := f.get(t, c, "/thanh-pho/tong-hop.csv?from=01/01/2025&to=31/12/2025")
	if !strings.Contains(string(csvBody), "11507,Xã Kiến Thụy") || !strings.Contains(string(csvBody), ",30,100,30,") {
		t.Errorf("CSV: %s", csvBody)
	}
	if resp, _ := f.get(t, c, "/thanh-pho?from=31/12/2025&to=01/01/2025"); resp.StatusCode != http.StatusOK {
		t.Errorf("reversed period: %d", resp.StatusCode)
	}

	// Ward B downloads its signed file; the city registers B's key from
	// B's page and takes the file, and says B's live data is used.
	f.signIn(f.users["officerB"])
	_, wardPage := f.get(t, c, "/can-bo/so-lieu?from=01/01/2025&to=31/12/2025")
	m := wardKeyRe.FindStringSubmatch(pageText(wardPage))
	if m == nil {
		t.Fatalf("no public key on the ward page: %s", pageText(wardPage))
	}
	resp, signed := f.get(t, c, "/can-bo/so-lieu.json?from=01/01/2025&to=31/12/2025")
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="so-lieu-11506-20250101-20251231.json"` {
		t.Errorf("file name: %q", cd)
	}
	var sf struct {
		Key string `json:"key"`
	}
	if err := json.Unmarshal(signed, &sf); err != nil || sf.Key != m[1] {
		t.Fatalf("the file's key is not the page's: %v", err)
	}
	f.signIn(f.users["city"])
	f.post(t, c, "/thanh-pho", "/thanh-pho/phuong/2/khoa", url.Values{"key": {m[1]}})
	resp, _ = f.upload(t, c, "/thanh-pho", "/thanh-pho/nhap", signed)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ward B's file: %d", resp.StatusCode)
	}
	_, pageB = f.get(t, c, resp.Header.Get("Location"))
	page = string(pageB)
	if !strings.Contains(page, T("vi", "city.ok.live")) || !strings.Contains(pageText([]byte(page)), "không dùng") {
		t.Errorf("a live ward's file: %s", pageText([]byte(page)))
	}
}

func TestCityAddsWardsAndAccountsChooseTheWard(t *testing.T) {
	f := newCityFixture(t)
	c := f.client(t)
	f.signIn(f.users["city"])
	resp, body := f.post(t, c, "/thanh-pho", "/thanh-pho/phuong", url.Values{"code": {"11506"}, "name": {"Trùng mã"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), T("vi", "city.err.code_taken")) ||
		!strings.Contains(string(body), `id="w_code" name="code" value="11506"`) {
		t.Fatalf("duplicate code: %d", resp.StatusCode)
	}
	resp, _ = f.post(t, c, "/thanh-pho", "/thanh-pho/phuong", url.Values{"code": {"11508"}, "name": {"Phường Đông Hải"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add ward: %d", resp.StatusCode)
	}
	_, pageB := f.get(t, c, resp.Header.Get("Location"))
	page := string(pageB)
	if !strings.Contains(page, "Đã thêm Phường Đông Hải (mã 11508).") {
		t.Errorf("flash: %s", pageText([]byte(page)))
	}

	// The deployment's own admin chooses the ward; ward B's admin does not,
	// and sees only ward B's accounts.
	f.signIn(f.users["adminA"])
	_, users := f.get(t, c, "/can-bo/nguoi-dung")
	if !strings.Contains(string(users), `name="tenant_id"`) || !strings.Contains(string(users), "Phường Đông Hải") {
		t.Fatal("no ward chooser for the deployment's admin")
	}
	if !regexp.MustCompile(`officerB@hp.vn</small></td>\s*<td>[^<]*<br><small>Phường Phù Liễn</small>`).Match(users) {
		t.Error("the accounts list does not name ward B for its officer")
	}
	f.signIn(f.users["adminB"])
	_, users = f.get(t, c, "/can-bo/nguoi-dung")
	if strings.Contains(string(users), `name="tenant_id"`) || strings.Contains(string(users), "officerA@hp.vn") ||
		!strings.Contains(string(users), "officerB@hp.vn") || strings.Contains(string(users), `value="city"`) {
		t.Fatal("ward B's admin sees another ward's accounts or the chooser")
	}
	resp, _ = f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"x@hp.vn"}, "name": {"X"},
		"role": {"officer"}, "password": {"mot-mat-khau-dai"}, "tenant_id": {"1"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("ward B's admin created an account in ward A: %d", resp.StatusCode)
	}
	resp, _ = f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung", url.Values{"email": {"y@hp.vn"}, "name": {"Y"},
		"role": {"officer"}, "password": {"mot-mat-khau-dai"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("ward B's admin creating in ward B: %d", resp.StatusCode)
	}
	if u, _ := f.db.UserByEmail(context.Background(), "y@hp.vn"); u == nil || u.TenantID != 2 {
		t.Errorf("the new account's ward: %+v", u)
	}
	// Another ward's account by id: not found.
	resp, _ = f.post(t, c, "/can-bo/nguoi-dung", "/can-bo/nguoi-dung/"+strconv.FormatInt(f.users["officerA"].ID, 10)+"/khoa",
		url.Values{"disabled": {"1"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("ward B's admin disabled ward A's officer: %d", resp.StatusCode)
	}
}
