package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestCheckThreadInAPhoneBrowser pastes a five-message grooming
// conversation into /kiem-tra at 360×740 with JavaScript off, ticks "this
// is a conversation", and sees the verdict point at the adult's decisive
// messages, not the child's replies. MANGLANH_SHOTS=dir keeps screenshots.
func TestCheckThreadInAPhoneBrowser(t *testing.T) {
	f, ctx, eval := checkPhoneTab(t)
	shot := func(name string) {
		t.Helper()
		dir := os.Getenv("MANGLANH_SHOTS")
		if dir == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+"/kiem-tra")); err != nil {
		t.Fatal(err)
	}
	paste := "Anh Khoa: chào em, em xinh quá, học lớp mấy rồi?\n" +
		"Bé Na: dạ em lớp 6 ạ\n" +
		"Anh Khoa: anh nạp cho em 500 kim cương nhé, chuyện này đừng kể với bố mẹ nha\n" +
		"Bé Na: dạ\n" +
		"Anh Khoa: qua telegram nói chuyện riêng đi, gửi anh tấm ảnh mặc đồ ngủ rồi cuối tuần anh qua đón em"
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.ID("text"), paste), chromedp.Click(chromedp.ID("thread"))); err != nil {
		t.Fatal(err)
	}
	shot("thread-1-pasted")
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`.check-form button`)))); err != nil {
		t.Fatalf("checking: %v", err)
	}
	shot("thread-2-verdict")
	body := eval(`document.body.innerText`)
	for _, want := range []string{"rất nguy hiểm", "Đã đọc 5 tin nhắn", "Những tin nhắn quyết định kết quả: 1, 3, 5", "Anh Khoa", "Không gửi ảnh"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := eval(`Array.from(document.querySelectorAll('.thread .msg.decisive')).map(m => m.id).join(',')`); got != "tin-1,tin-3,tin-5" {
		t.Errorf("decisive messages marked: %q", got)
	}
	if got := eval(`document.getElementById('thread').checked ? 'yes' : 'no'`); got != "yes" {
		t.Errorf("the conversation box is not kept ticked")
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the verdict scrolls sideways at 360 px: scrollWidth %d (%v)", w, err)
	}
}
