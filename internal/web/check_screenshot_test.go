package web

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"manglanh/internal/ocr"
)

// fakeShots stands in for Tesseract in this package's unit tests: it
// checks the upload as the real reader does and returns a fixed chat.
type fakeShots struct {
	off   bool
	calls int
}

func (f *fakeShots) Available() bool { return !f.off }

func (f *fakeShots) Read(_ context.Context, data []byte) (*ocr.Transcript, error) {
	f.calls++
	if _, _, err := ocr.Check(data); err != nil {
		return nil, err
	}
	return &ocr.Transcript{Width: 1080, Height: 2400, Bubbles: []ocr.Bubble{
		{Text: "Anh Tuấn", Side: ocr.SideOther, Box: image.Rect(40, 40, 300, 90)},
		{Text: "21:05", Side: ocr.SideCentre, Box: image.Rect(480, 160, 600, 190)},
		{Text: "Em học lớp mấy rồi? Ảnh đại diện của em xinh quá", Side: ocr.SideOther, Box: image.Rect(72, 290, 700, 400)},
		{Text: "Dạ em học lớp 7 ạ", Side: ocr.SideSelf, Box: image.Rect(560, 500, 1010, 550)},
		{Text: "Anh nạp kim cương Free Fire cho em nhé, đừng kể với bố mẹ", Side: ocr.SideOther, Box: image.Rect(72, 640, 700, 760)},
		{Text: "Mai tan học em ra quán nước đầu ngõ gặp anh, đi một mình thôi nhé", Side: ocr.SideOther, Box: image.Rect(72, 900, 700, 1050)},
	}}, nil
}

func shotPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 360, 800))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// postShot sends the check form with a screenshot, as a browser does.
func postShot(t *testing.T, f *checkFixture, c *http.Client, data []byte) (*http.Response, string) {
	t.Helper()
	token := f.csrf(t, c, "/kiem-tra")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", token)
	mw.WriteField("text", "")
	fw, _ := mw.CreateFormFile("screenshot", "chat.png")
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+"/kiem-tra", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestCheckScreenshotPage: a screenshot sent to /kiem-tra is read and
// scored as a conversation; the page puts the text read in the box, says
// the picture was not kept, and points at the decisive messages. Bad
// uploads get their own message beside the file field.
func TestCheckScreenshotPage(t *testing.T) {
	shots := &fakeShots{}
	f := newCheckFixture(t, CheckLimits{Burst: 50, Every: time.Second}, func(c *Config) { c.Screenshots = shots })
	c := f.client(t)
	_, page := get(t, c, f.ts.URL+"/kiem-tra")
	for _, want := range []string{`enctype="multipart/form-data"`, `name="screenshot"`, "ảnh không được lưu lại"} {
		if !strings.Contains(page, want) {
			t.Errorf("check page lacks %q", want)
		}
	}
	resp, body := postShot(t, f, c, shotPNG(t))
	if resp.StatusCode != 200 {
		t.Fatalf("screenshot: %d", resp.StatusCode)
	}
	for _, want := range []string{"Đã đọc chữ trong ảnh; ảnh không được lưu lại", "rất nguy hiểm", "Anh Tuấn: Em học lớp mấy rồi?", "Bạn: Dạ em học lớp 7 ạ", "Đã đọc 4 tin nhắn", `id="thread" name="thread" value="1" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("verdict page lacks %q", want)
		}
	}
	if strings.Contains(body, "21:05") {
		t.Errorf("the time line was read as a message")
	}
	for _, c2 := range []struct {
		name   string
		data   []byte
		status int
		want   string
	}{
		{"not an image", []byte("%PDF-1.4 không phải ảnh"), 415, "không phải ảnh PNG hoặc JPEG"},
		{"bomb", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\xea\x60\x00\x00\xea\x60\x08\x02\x00\x00\x00"), make([]byte, 4)...), 415, "không phải ảnh PNG"},
		{"over 5 MB", append(shotPNG(t), make([]byte, 5<<20)...), 413, "lớn hơn 5 MB"},
	} {
		resp, body := postShot(t, f, c, c2.data)
		if resp.StatusCode != c2.status || !strings.Contains(body, c2.want) || !strings.Contains(body, `id="shot-err"`) {
			t.Errorf("%s: %d, want %d with %q", c2.name, resp.StatusCode, c2.status, c2.want)
		}
		if strings.Contains(body, `id="ket-qua"`) {
			t.Errorf("%s: a verdict was shown for a refused picture", c2.name)
		}
	}
	// Without Tesseract the page says so and offers no file field.
	shots.off = true
	_, page = get(t, c, f.ts.URL+"/kiem-tra")
	if strings.Contains(page, `name="screenshot"`) || !strings.Contains(page, "chưa đọc được ảnh chụp màn hình") {
		t.Errorf("the page does not say screenshots cannot be read here")
	}
}

// TestAPICheckScreenshot: POST /api/v1/check with an image body answers
// the conversation's verdict and the text read; bad images get 4xx JSON.
func TestAPICheckScreenshot(t *testing.T) {
	shots := &fakeShots{}
	f := newCheckFixture(t, CheckLimits{}, func(c *Config) { c.Screenshots = shots })
	post := func(ct string, data []byte) (int, map[string]any) {
		t.Helper()
		resp, err := http.Post(f.ts.URL+"/api/v1/check", ct, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	status, m := post("image/png", shotPNG(t))
	if status != 200 || m["level"] != "critical" || !strings.Contains(m["text"].(string), "Bạn: Dạ em học lớp 7 ạ") {
		t.Fatalf("screenshot: %d %v", status, m)
	}
	if msgs, _ := m["messages"].([]any); len(msgs) != 4 {
		t.Errorf("messages %v", m["messages"])
	}
	if status, m := post("image/jpeg", []byte("not a jpeg")); status != 415 || m["error_vi"] == nil {
		t.Errorf("not a jpeg: %d %v", status, m)
	}
	if status, _ := post("image/png", make([]byte, 6<<20)); status != 413 {
		t.Errorf("6 MB: %d", status)
	}
	shots.off = true
	if status, m := post("image/png", shotPNG(t)); status != 503 || !strings.Contains(m["error_vi"].(string), "chưa đọc được") {
		t.Errorf("without tesseract: %d %v", status, m)
	}
}
