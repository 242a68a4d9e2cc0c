package web

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// TestCityRollUpAtPhoneWidth: the city officer, on a phone without
// JavaScript, uploads a ward's signed file and reads the roll-up at 360 px
// without sideways scrolling.
func TestCityRollUpAtPhoneWidth(t *testing.T) {
	ctx := noScriptPhone(t)
	f := newCityFixture(t)
	f.newCaseAs(t, "officerB")
	city := cityActorOf(f)
	if _, _, err := f.prog.SetTenantKey(context.Background(), city, f.wardC.ID,
		base64.StdEncoding.EncodeToString(f.keyC.Public().(ed25519.PublicKey))); err != nil {
		t.Fatal(err)
	}
	loc := cases.DefaultLocation()
	year := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, loc), time.Date(2025, 12, 31, 0, 0, 0, 0, loc), loc)
	data, err := program.SignFigures(&program.Figures{Format: program.FiguresFormat,
		Wards: []program.TenantRef{{Code: "11507", Name: "Xã Kiến Thụy"}}, Period: year,
		Activities: program.ActivityFigures{Total: 38, ByKind: map[string]int{program.KindCommunication: 12,
			program.KindThemedMeeting: 21, program.KindSpecial: 5}},
		Coverage: program.CoverageFigures{Pupils: program.Ratio{Num: 350, Den: 372}},
		Cases:    program.CaseFigures{Received: 3, InTime: program.Ratio{Num: 2, Den: 3}},
		Shops:    program.ShopFigures{Violations: 13, Handled: 13}, DNS: program.DNSFigures{DevicesProtected: 1200}}, f.keyC)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "so-lieu-11507-20250101-20251231.json")
	os.WriteFile(file, data, 0o600)

	f.signIn(f.users["city"])
	p := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: "city-"}
	p.open("/thanh-pho?from=01/01/2025&to=31/12/2025")
	p.check("before")
	if _, err := chromedp.Run(ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{file})); err != nil {
		t.Fatal(err)
	}
	p.submit(`#nhap button`)
	text := p.eval(`document.body.innerText`)
	for _, want := range []string{"Đã nhận số liệu của Xã Kiến Thụy cho 01/01/2025 – 31/12/2025.",
		"350/372 (94,1 %)", "12 truyền thông, 21 sinh hoạt chuyên đề, 5 tuyên truyền chuyên đề", "13/13 (100 %)",
		"Toàn thành phố", "3/3 phường, xã có số liệu"} {
		if !strings.Contains(text, want) {
			t.Errorf("the roll-up page lacks %q:\n%s", want, text)
		}
	}
	if loc := p.eval(`location.hash`); loc != "#tong-hop" {
		t.Errorf("returned to %q, want the roll-up table", loc)
	}
	p.check("rollup")
	if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
		// The table itself, to look at the stacked rows closely.
		buf, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("tong-hop")))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "city-table.png"), buf, 0o644)
	}
}

func cityActorOf(f *cityFixture) program.Actor { return programActor(f.users["city"]) }
