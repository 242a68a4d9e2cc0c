package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"manglanh/internal/alert"
	"manglanh/internal/cases"
	"manglanh/internal/risk"
)

// lockedBuffer collects log output from concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// checkFixture is the report fixture's store and case service behind a
// portal with the check page, the alert service and a debug-level log.
type checkFixture struct {
	*fixture
	log    *lockedBuffer
	alerts *alert.Service
}

func newCheckFixture(t *testing.T, limits CheckLimits, opts ...func(*Config)) *checkFixture {
	t.Helper()
	base := newFixture(t, ReportLimits{})
	svc, err := alert.New(alert.Config{Store: base.db})
	if err != nil {
		t.Fatal(err)
	}
	rules, err := risk.DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	engine, err := risk.New(rules, risk.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &checkFixture{fixture: base, log: &lockedBuffer{}, alerts: svc}
	logger := slog.New(slog.NewTextHandler(f.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := Config{Logger: logger, Ward: Ward{Name: "Phường Phù Liễn"}, Cases: base.svc, Evidence: base.cs,
		Sources: base.db, Risk: engine, CheckLimits: limits, Alerts: svc, Location: cases.DefaultLocation()}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base.ts.Close()
	f.serve(t, s.Handler())
	return f
}

// postURLEncoded posts an ordinary form, as a browser without JavaScript does.
func postURLEncoded(t *testing.T, c *http.Client, u string, fields url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, fields)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const scamText = `<script>alert("x")</script> Con ơi mẹ bị tai nạn, chuyển khoản gấp 5tr vào stk 123456789 nhé`

func TestCheckPageExplainsEscapesAndLogsNothing(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{})
	c := f.client(t)
	resp, body := get(t, c, f.ts.URL+"/kiem-tra")
	if resp.StatusCode != 200 || !strings.Contains(body, `<textarea id="text" name="text"`) || !strings.Contains(body, "Nội dung bạn dán không được lưu") {
		t.Fatalf("form: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, c, f.ts.URL+"/check"); resp.StatusCode != 200 {
		t.Errorf("/check: %d", resp.StatusCode)
	}
	token := f.csrf(t, c, "/kiem-tra")
	resp, body = postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {scamText}})
	if resp.StatusCode != 200 {
		t.Fatalf("check: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, `<script>alert`) || !strings.Contains(body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
		t.Errorf("pasted script not escaped:\n%s", body)
	}
	for _, want := range []string{"rất nguy hiểm", "lừa đảo", "<mark>chuyển khoản</mark>", "<mark>bị tai nạn</mark>",
		"Vì sao?", "Nên làm gì?", "Không chuyển tiền", "Gọi 111", `action="/kiem-tra/bao-cao"`, "Báo cáo sự việc này",
		`name="category" value="scam"`, `action="/kiem-tra#ket-qua"`, `id="ket-qua"`} {
		if !strings.Contains(body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	// The few reasons that matter, in words (no model name, no
	// probability), and the advice said once.
	result := body[strings.Index(body, `id="ket-qua"`):]
	if n := strings.Count(result[:strings.Index(result, "</ul>")], "<li>"); n < 1 || n > maxCheckReasons {
		t.Errorf("%d reasons shown, want 1 to %d", n, maxCheckReasons)
	}
	if regexp.MustCompile(`Mô hình|thống kê|0\.\d\d`).MatchString(result) {
		t.Errorf("model jargon on the page:\n%s", result)
	}
	if strings.Contains(result, "Luôn nhớ") {
		t.Error("specific advice and the general list are both shown")
	}
	for _, li := range regexp.MustCompile(`<li>([^<]+)</li>`).FindAllStringSubmatch(result, -1) {
		if strings.Count(result, "<li>"+li[1]+"</li>") > 1 {
			t.Errorf("said twice: %q", li[1])
		}
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("result may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	// The pasted text reaches neither the log nor the database.
	if logs := f.log.String(); !strings.Contains(logs, "path=/kiem-tra") || strings.Contains(logs, "tai nạn") ||
		strings.Contains(logs, "script") || strings.Contains(logs, "123456789") {
		t.Errorf("log holds pasted text or lacks the access line:\n%s", logs)
	}
	var n int
	if err := f.db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	list, _ := f.svc.List(context.Background(), cases.Actor{UserID: 1, Role: cases.RoleWardAdmin}, cases.Filter{})
	n = len(list)
	if n != 0 {
		t.Errorf("checking created %d cases", n)
	}
	// English on request.
	get(t, c, f.ts.URL+"/lang/en?next=/kiem-tra")
	_, body = postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {scamText}})
	for _, want := range []string{"very dangerous", "What to do?", "Report this"} {
		if !strings.Contains(body, want) {
			t.Errorf("English result lacks %q", want)
		}
	}
}

func TestCheckPageBenignEmptyAndTooLong(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{})
	c := f.client(t)
	token := f.csrf(t, c, "/kiem-tra")
	resp, body := postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {"Chiều nay con đi học nhóm ở nhà bạn Lan nhé mẹ"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "không thấy dấu hiệu nguy hiểm") || strings.Contains(body, "<mark>") {
		t.Errorf("benign: %d\n%s", resp.StatusCode, body)
	}
	if resp, body := postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {"  \n "}}); resp.StatusCode != 400 || !strings.Contains(body, "Hãy dán") {
		t.Errorf("empty: %d", resp.StatusCode)
	}
	long := strings.Repeat("chuyển khoản ", 800)
	if resp, body := postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {long}}); resp.StatusCode != 413 || !strings.Contains(body, "quá dài") {
		t.Errorf("too long: %d", resp.StatusCode)
	}
	if resp, _ := postURLEncoded(t, c, f.ts.URL+"/kiem-tra", url.Values{"text": {"x"}}); resp.StatusCode != 403 {
		t.Errorf("no CSRF token: %d", resp.StatusCode)
	}
}

var textareaRe = regexp.MustCompile(`(?s)<textarea id="description" name="description"[^>]*>(.*?)</textarea>`)

func TestCheckPrefillsTheReportFormWithoutStoring(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{})
	c := f.client(t)
	token := f.csrf(t, c, "/kiem-tra")
	resp, body := postURLEncoded(t, c, f.ts.URL+"/kiem-tra/bao-cao", url.Values{"csrf": {token}, "category": {"scam"}, "text": {scamText}})
	if resp.StatusCode != 200 {
		t.Fatalf("prefill: %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `action="/bao-cao"`) || !strings.Contains(body, `value="scam" checked`) {
		t.Errorf("form not aimed at /bao-cao with the category:\n%s", body)
	}
	m := textareaRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(m[1], "&lt;script&gt;") || !strings.Contains(m[1], "chuyển khoản gấp 5tr") || strings.Contains(body, "<script>alert") {
		t.Errorf("description not prefilled or not escaped: %q", m)
	}
	list, _ := f.svc.List(context.Background(), cases.Actor{UserID: 1, Role: cases.RoleWardAdmin}, cases.Filter{})
	if len(list) != 0 {
		t.Errorf("prefilling stored %d cases", len(list))
	}
	// Only by POST: a GET would put the message in the URL.
	if resp, _ := get(t, c, f.ts.URL+"/kiem-tra/bao-cao?text=x"); resp.StatusCode == 200 {
		t.Errorf("GET prefill answered 200")
	}
	// An unknown category is not offered.
	_, body = postURLEncoded(t, c, f.ts.URL+"/kiem-tra/bao-cao", url.Values{"csrf": {token}, "category": {"spam"}, "text": {"x"}})
	if strings.Contains(body, " checked required") {
		t.Errorf("unknown category preselected")
	}
	// Submitting the prefilled form is what records the report.
	fields := baseFields(token)
	fields["description"] = scamText
	if resp, body := f.postForm(t, c, "/bao-cao", fields, nil); resp.StatusCode != 200 || receiptCode(t, body) == "" {
		t.Fatalf("report: %d", resp.StatusCode)
	}
}

func postAPI(t *testing.T, c *http.Client, u, body string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := c.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", resp.StatusCode, raw)
	}
	return resp, m
}

func TestAPICheck(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{Burst: 6, Every: time.Hour})
	c := http.DefaultClient
	u := f.ts.URL + "/api/v1/check"
	in, _ := json.Marshal(map[string]string{"text": scamText})
	resp, m := postAPI(t, c, u, string(in))
	if resp.StatusCode != 200 {
		t.Fatalf("200: %d %v", resp.StatusCode, m)
	}
	cats := m["categories"].([]any)
	reasons := m["reasons"].([]any)
	first := reasons[0].(map[string]any)
	if m["level"] != "critical" || cats[0].(map[string]any)["category"] != "scam" || first["phrase"] == "" || first["vi"] == "" || first["en"] == "" {
		t.Errorf("answer %v", m)
	}
	if adv := m["advice"].(map[string]any); len(adv["vi"].([]any)) == 0 || len(adv["en"].([]any)) == 0 {
		t.Errorf("advice %v", adv)
	}
	if _, ok := m["links"].([]any); !ok {
		t.Errorf("links not a list: %v", m["links"])
	}
	for name, body := range map[string]string{"malformed": `{"text": `, "no text": `{"message":"x"}`, "empty": `{"text":"  "}`} {
		resp, m := postAPI(t, c, u, body)
		if resp.StatusCode != 400 || m["error"] == nil || m["error_vi"] == nil {
			t.Errorf("%s: %d %v", name, resp.StatusCode, m)
		}
	}
	big, _ := json.Marshal(map[string]string{"text": strings.Repeat("a", MaxCheckText+1)})
	if resp, m := postAPI(t, c, u, string(big)); resp.StatusCode != 413 || m["error_vi"] == nil {
		t.Errorf("8 KB + 1: %d %v", resp.StatusCode, m)
	}
	// Six in the burst: one check, three 400s, one 413 above; the next
	// passes, then the network must wait.
	if resp, _ := postAPI(t, c, u, `{"text":"chào bạn"}`); resp.StatusCode != 200 {
		t.Fatalf("sixth: %d", resp.StatusCode)
	}
	resp, m = postAPI(t, c, u, `{"text":"chào bạn"}`)
	ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != 429 || ra < 1 || m["error_vi"] == nil {
		t.Errorf("429: %d Retry-After %q %v", resp.StatusCode, resp.Header.Get("Retry-After"), m)
	}
	// The page shares the budget.
	cl := f.client(t)
	token := f.csrf(t, cl, "/kiem-tra")
	if resp, _ := postURLEncoded(t, cl, f.ts.URL+"/kiem-tra", url.Values{"csrf": {token}, "text": {"x"}}); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("page after the API's burst: %d", resp.StatusCode)
	}
	if strings.Contains(f.log.String(), "tai nạn") {
		t.Error("API text logged")
	}
}

func TestCriticalCheckAlertsStaffWhoOpenACase(t *testing.T) {
	// Only with alerts.public_checks on (TestCheckAlertsOffByDefault).
	f := newCheckFixture(t, CheckLimits{}, func(c *Config) { c.CheckAlerts = true })
	text := "Nếu mày không chuyển 2 triệu thì tao sẽ tung ảnh nóng của mày lên nhóm lớp cho cả trường xem"
	in, _ := json.Marshal(map[string]string{"text": text})
	if resp, m := postAPI(t, http.DefaultClient, f.ts.URL+"/api/v1/check", string(in)); resp.StatusCode != 200 || m["level"] != "critical" {
		t.Fatalf("check: %d %v", resp.StatusCode, m)
	}
	list, err := f.alerts.Recent(context.Background(), 10)
	if err != nil || len(list) != 1 {
		t.Fatalf("alerts %v %+v", err, list)
	}
	a := list[0]
	if a.Source != alert.SourceCheck || a.Category != "sextortion" || a.Level != "critical" || a.Snippet != "" || len(a.Reasons) == 0 {
		t.Errorf("alert %+v", a)
	}
	for _, r := range a.Reasons {
		if strings.Contains(r.Vi, "tung ảnh nóng") {
			t.Errorf("alert keeps the pasted words: %+v", r)
		}
	}
	c := f.client(t)
	if resp, _ := get(t, c, f.ts.URL+"/can-bo/canh-bao"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("alert list without a user: %d", resp.StatusCode)
	}
	f.signIn(&SessionUser{ID: 3, Role: cases.RoleViewer, Name: "Xem"})
	if resp, _ := get(t, c, f.ts.URL+"/can-bo/canh-bao"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer: %d", resp.StatusCode)
	}
	f.signIn(&SessionUser{ID: 7, Role: cases.RoleOfficer, Name: "Cán bộ"})
	resp, body := get(t, c, f.ts.URL+"/can-bo/canh-bao")
	if resp.StatusCode != 200 || !strings.Contains(body, "Khẩn cấp") || !strings.Contains(body, "đe doạ tung ảnh nhạy cảm") ||
		!strings.Contains(body, "Mở hồ sơ") || !strings.Contains(body, "Liên hệ trẻ và gia đình ngay") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, body)
	}
	token := csrfRe.FindStringSubmatch(body)[1]
	path := "/can-bo/canh-bao/" + strconv.FormatInt(a.ID, 10) + "/ho-so"
	resp, _ = postURLEncoded(t, c, f.ts.URL+path, url.Values{"csrf": {token}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/can-bo/ho-so/") {
		t.Fatalf("open case: %d %q", resp.StatusCode, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/can-bo/ho-so/"), 10, 64)
	officer := cases.Actor{UserID: 7, Role: cases.RoleOfficer, Name: "Cán bộ"}
	cs, err := f.svc.Get(context.Background(), officer, id)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Category != "sextortion" || cs.Channel != cases.ChannelAlert || !cs.Urgent || cs.SuggestedLevel != "critical" ||
		!strings.Contains(cs.Sensitive.Description, "cảnh báo sớm #") {
		t.Errorf("case %+v", cs)
	}
	// A second click leads to the same case.
	resp, _ = postURLEncoded(t, c, f.ts.URL+path, url.Values{"csrf": {token}})
	if resp.Header.Get("Location") != loc {
		t.Errorf("second click: %q", resp.Header.Get("Location"))
	}
	_, body = get(t, c, f.ts.URL+"/can-bo/canh-bao")
	if strings.Contains(body, `/ho-so"><input`) || !strings.Contains(body, `href="`+loc+`"`) {
		t.Errorf("list still offers to open a case")
	}
	// Checks below level high raise nothing.
	_, m := postAPI(t, http.DefaultClient, f.ts.URL+"/api/v1/check", `{"text":"Chiều nay con đi học nhóm ở nhà bạn Lan nhé mẹ"}`)
	if l, _ := f.alerts.Recent(context.Background(), 10); m["level"] != "none" || len(l) != 1 {
		t.Errorf("alerts after a harmless check (%v): %+v", m["level"], l)
	}
}

func TestHighlightSpans(t *testing.T) {
	text := "ab chuyển khoản cd"
	end := 3 + len("chuyển khoản")
	seg := highlight(text, [][2]int{{3, 10}, {5, end}, {100, 200}, {4, 6}, {-1, 2}, {3, 8}})
	var b strings.Builder
	for _, s := range seg {
		if s.Mark {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	// Overlapping spans merge; out-of-range ones and {3, 8}, which ends
	// inside "ể", are dropped.
	if got := b.String(); got != "ab [chuyển khoản] cd" {
		t.Errorf("got %q", got)
	}
	// A span that cuts a character in two is ignored.
	if seg := highlight("ể", [][2]int{{1, 3}}); len(seg) != 1 || seg[0].Mark {
		t.Errorf("mid-rune span: %+v", seg)
	}
}

func TestAPICheckThread(t *testing.T) {
	f := newCheckFixture(t, CheckLimits{Burst: 6, Every: time.Hour})
	u := f.ts.URL + "/api/v1/check"
	convo := "Anh Khoa: chào em, em xinh quá, học lớp mấy rồi?\nNa: dạ em lớp 6 ạ\n" +
		"Anh Khoa: chuyện này đừng kể với bố mẹ nha\nNa: dạ\nAnh Khoa: cuối tuần anh qua đón em đi chơi, gửi anh tấm ảnh trước nhé"
	in, _ := json.Marshal(map[string]any{"text": convo, "thread": true})
	resp, m := postAPI(t, http.DefaultClient, u, string(in))
	if resp.StatusCode != 200 || m["level"] != "critical" {
		t.Fatalf("conversation: %d %v", resp.StatusCode, m)
	}
	msgs, _ := m["messages"].([]any)
	dec, _ := m["decisive"].([]any)
	if len(msgs) != 5 || len(dec) == 0 || msgs[4].(map[string]any)["speaker"] != "Anh Khoa" {
		t.Errorf("messages %v decisive %v", msgs, dec)
	}
	for _, d := range dec {
		if d == float64(2) || d == float64(4) {
			t.Errorf("the child's reply %v is decisive: %v", d, dec)
		}
	}
	in, _ = json.Marshal(map[string]any{"text": strings.Repeat("x\n", 300), "thread": true})
	if resp, m := postAPI(t, http.DefaultClient, u, string(in)); resp.StatusCode != 400 || m["error_vi"] == nil {
		t.Errorf("300 messages: %d %v", resp.StatusCode, m)
	}
}
