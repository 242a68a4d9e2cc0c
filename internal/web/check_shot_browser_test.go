package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"manglanh/internal/ocr"
	"manglanh/internal/ocr/ocrtest"
)

// TestCheckScreenshotInAPhoneBrowser draws a five-message grooming chat
// as a 1080×2400 phone screenshot (Chromium), uploads it on /kiem-tra in
// a 360×740 tab with JavaScript off, and sees the verdict it gives the
// same conversation pasted as text: the same level and the same decisive
// messages, read by real Tesseract. Skipped without Chromium or Tesseract
// unless MANGLANH_TEST_ALL=1. MANGLANH_SHOTS=dir keeps screenshots.
func TestCheckScreenshotInAPhoneBrowser(t *testing.T) {
	reader := ocr.New(ocr.Options{})
	if !reader.Available() {
		if os.Getenv("MANGLANH_TEST_ALL") == "1" {
			t.Fatal("tesseract-ocr-vie is not installed but MANGLANH_TEST_ALL=1")
		}
		t.Skip("tesseract-ocr-vie not installed")
	}
	chat := ocrtest.Chat{Title: "Anh Khoa", Time: "21:05", Messages: []ocrtest.Message{
		{Text: "chào em, em xinh quá, học lớp mấy rồi?"},
		{Self: true, Text: "dạ em lớp 6 ạ"},
		{Text: "anh nạp cho em 500 kim cương nhé, chuyện này đừng kể với bố mẹ nha"},
		{Self: true, Text: "dạ"},
		{Text: "qua telegram nói chuyện riêng đi, gửi anh tấm ảnh mặc đồ ngủ rồi cuối tuần anh qua đón em"},
	}}
	pic, err := ocrtest.Render(ocrtest.Browser(t), chat)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "zalo.png")
	if err := os.WriteFile(file, pic, 0o644); err != nil {
		t.Fatal(err)
	}
	f, ctx, eval := checkPhoneTab(t, func(c *Config) { c.Screenshots = reader })
	shot := func(name string) {
		t.Helper()
		if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	if dir := os.Getenv("MANGLANH_SHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "shot-0-upload.png"), pic, 0o644)
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(f.ts.URL+"/kiem-tra")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("screenshot"), []string{file})); err != nil {
		t.Fatal(err)
	}
	shot("shot-1-chosen")
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`.check-form button`)))); err != nil {
		t.Fatalf("checking: %v", err)
	}
	shot("shot-2-verdict")
	body := eval(`document.body.innerText`)
	for _, want := range []string{"Đã đọc chữ trong ảnh", "rất nguy hiểm", "Đã đọc 5 tin nhắn", "Những tin nhắn quyết định kết quả: 1, 3, 5", "Anh Khoa"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := eval(`Array.from(document.querySelectorAll('.thread .msg.decisive')).map(m => m.id).join(',')`); got != "tin-1,tin-3,tin-5" {
		t.Errorf("decisive messages marked: %q", got)
	}
	read := eval(`document.getElementById('text').value`)
	if !strings.HasPrefix(read, "Anh Khoa: chào em") || !strings.Contains(read, "Bạn: dạ em lớp 6 ạ") {
		t.Errorf("the text read is not in the box for correcting:\n%s", read)
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 360 {
		t.Errorf("the verdict scrolls sideways at 360 px: scrollWidth %d (%v)", w, err)
	}
}
