package web

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"manglanh/internal/auth"
)

// TestEnrolPageQRCodeAndLink: the enrolment page's QR code is the
// otpauth:// address of its "Cách 2" link, and the link is that address
// (html/template used to replace it by #ZgotmplZ).
func TestEnrolPageQRCodeAndLink(t *testing.T) {
	e := newAuthEnv(t, false)
	e.addUser(t, "canbo@phuong.vn", auth.RoleOfficer)
	b := e.browser(t)
	wantRedirect(t, b.login("canbo@phuong.vn"), "/dang-nhap/cai-ma")
	_, body := b.get("/dang-nhap/cai-ma")
	m := regexp.MustCompile(`(?s)<section id="cach-2">.*?href="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link in Way 2: %s", body)
	}
	uri := html.UnescapeString(m[1])
	key := strings.ReplaceAll(enrolKey(secretText.FindStringSubmatch(body)), " ", "")
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+key) {
		t.Fatalf("Way 2 link %q, key %s", uri, key)
	}
	want, err := qrSVG(uri, T("vi", "totp.qr.alt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, string(want)) {
		t.Error("the QR code does not encode the link's address")
	}
	for _, g := range regexp.MustCompile(`<span class="nowrap">([A-Z2-7]*)</span>`).FindAllStringSubmatch(body, -1) {
		if len(g[1]) < 1 || len(g[1]) > 4 {
			t.Errorf("key group %q", g[1])
		}
	}
}

func TestGroupBy4(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "ABC": "ABC", "ABCD": "ABCD", "ABCDE": "ABCD|E", "ABCDEFGH2345": "ABCD|EFGH|2345"} {
		if got := strings.Join(groupBy4(in), "|"); got != want {
			t.Errorf("groupBy4(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEnrolPageOnAPhone signs in through the form in Chromium at 360×740:
// the QR code fits the screen, nothing scrolls sideways, and no group of
// the key breaks across lines. With MANGLANH_SHOTS=DIR it keeps a
// screenshot.
func TestEnrolPageOnAPhone(t *testing.T) {
	ctx := phoneBrowser(t)
	e := newAuthEnv(t, false)
	e.addUser(t, "canbo@phuong.vn", auth.RoleOfficer)
	for _, lang := range []string{"vi", "en"} {
		if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(e.ts.URL+"/dang-nhap?lang="+lang)); err != nil {
			t.Fatal(err)
		}
		if lang == "vi" {
			if err := chromedp.Do(ctx, chromedp.SetValue(`input[name=email]`, "canbo@phuong.vn"),
				chromedp.SetValue(`input[name=password]`, "mat khau du dai"), chromedp.Submit(`input[name=password]`),
				chromedp.WaitVisible(`#totp-key`)); err != nil {
				t.Fatal(err)
			}
		} else if err := chromedp.Do(ctx, chromedp.WaitVisible(`#totp-key`)); err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({
			w: document.documentElement.scrollWidth,
			qr: document.querySelector('.qr-box svg').getBoundingClientRect().right,
			lines: Array.from(document.querySelectorAll('#totp-key .nowrap')).map(s => s.getClientRects().length),
			href: document.querySelector('#cach-2 a').getAttribute('href')})`))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			W     int
			QR    float64
			Lines []int
			Href  string
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatal(err)
		}
		if got.W > 360 || got.QR > 360 || !strings.HasPrefix(got.Href, "otpauth://totp/") || len(got.Lines) < 5 {
			t.Errorf("%s: %s", lang, raw)
		}
		for i, n := range got.Lines {
			if n != 1 {
				t.Errorf("%s: key group %d is on %d lines", lang, i, n)
			}
		}
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "enrol-"+lang+".png"), buf, 0o644)
		}
	}
}
