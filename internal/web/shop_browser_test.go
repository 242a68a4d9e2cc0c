package web

import (
	"context"
	"strings"
	"testing"

	"manglanh/internal/program"

	"github.com/chromedp/chromedp"
)

// TestShopInspectionOnPhone records an inspection with one violation and
// then a reminder, at 360×740 with JavaScript off.
func TestShopInspectionOnPhone(t *testing.T) {
	f := newShopFixture(t)
	a := programActor(f.user)
	sh := &program.Shop{Kind: program.ShopGame, Name: "Điểm game <Hoàng Long>", Address: "Số 5 Trần Phú", Opens: "08:00", Closes: "22:00", Active: true}
	if err := f.svc.CreateShop(context.Background(), a, sh); err != nil {
		t.Fatal(err)
	}
	ctx := noScriptPhone(t)
	p := phoneTab{t: t, ctx: ctx, base: f.ts.URL, prefix: "shop-"}
	p.open("/can-bo/co-so/1")
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("date"), "2026-07-20"),
		chromedp.SetValue(chromedp.ID("team"), "Công an phường, cán bộ VHXH"),
		chromedp.SetValue(chromedp.ID("v0_article"), "174-game-hours"),
		chromedp.SetValue(chromedp.ID("v0_description"), "Mở cửa đến 23:15")); err != nil {
		t.Fatal(err)
	}
	p.submit(`#ghi-kiem-tra button:not([name])`)
	if got := p.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); got != T("vi", "shop.ok.inspected", 1) {
		t.Fatalf("after the inspection: %q", got)
	}
	ins, _ := f.db.InspectionsUpTo(context.Background(), 1, farDate())
	if len(ins) != 1 || len(ins[0].Violations) != 1 {
		t.Fatalf("stored: %+v", ins)
	}
	vid := ins[0].Violations[0].ID
	sel := "#vp-" + itoa64(vid)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel+" summary")),
		chromedp.SetValue(chromedp.CSS(sel+" select[name=kind]"), "reminder")); err != nil {
		t.Fatal(err)
	}
	p.check("form")
	p.submit(sel + " form button")
	if got := p.eval(`document.querySelector('.flash') ? document.querySelector('.flash').textContent : ''`); !strings.Contains(got, T("vi", "shop.action.reminder")) {
		t.Fatalf("after the reminder: %q", got)
	}
	p.check("done")
	v, err := f.db.ViolationByID(context.Background(), 1, vid)
	if err != nil || len(v.Actions) != 1 || v.Actions[0].Kind != program.ActionReminder {
		t.Fatalf("action: %+v, %v", v, err)
	}
}
