package web

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzReencodeImage feeds arbitrary bytes to the image check: it must
// never panic, and whatever it accepts must decode to the dimensions it
// reports.
func FuzzReencodeImage(f *testing.F) {
	f.Add(testJPEG(f, "EXIF"))
	f.Add(testPNG(f, "TEXT"))
	f.Add(bombPNG())
	f.Add([]byte("\xff\xd8\xff\xe0garbage"))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	s := &Server{reports: &reports{decode: make(chan struct{}, 1)}}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := s.reencodeImage(context.Background(), data)
		if err != nil {
			return
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(out.Data))
		if err != nil {
			t.Fatalf("accepted image does not decode: %v", err)
		}
		if cfg.Width != out.Width || cfg.Height != out.Height || "image/"+format != out.ContentType {
			t.Fatalf("reported %dx%d %s, got %dx%d %s", out.Width, out.Height, out.ContentType, cfg.Width, cfg.Height, format)
		}
	})
}

// FuzzAPIReport posts arbitrary bodies to the JSON intake: the answer is
// always one of 201, 400 or 413, never a server error, and a 201's code is
// in the store.
func FuzzAPIReport(f *testing.F) {
	f.Add([]byte(`{"category":"scam","description":"chuyển khoản gấp","links":["https://x.example"]}`))
	f.Add([]byte(`{"category":"grooming","description":"a","child":{"age":12},"reporter":{"anonymous":true}}`))
	f.Add([]byte(`{"category":"scam","description":"\u202egnp.exe"}`))
	f.Add([]byte(`{"category":"scam","description":"a","when":"2026-11-01T10:00:00+07:00"}`))
	f.Add([]byte(`{"category":`))
	fx := newFixture(f, ReportLimits{SubmitBurst: 1 << 30, SubmitEvery: time.Nanosecond})
	f.Fuzz(func(t *testing.T, body []byte) {
		resp, err := fx.ts.Client().Post(fx.ts.URL+"/api/v1/reports", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("answer is not JSON: %q", b)
		}
		switch resp.StatusCode {
		case http.StatusCreated:
			if _, err := fx.cs.GetCaseByCode(context.Background(), m["code"]); err != nil {
				t.Fatalf("201 for a report not in the store: %v", err)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if m["error"] == "" || m["error_vi"] == "" {
				t.Fatalf("error without both languages: %v", m)
			}
		default:
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
	})
}

// BenchmarkReencodeJPEG measures the check and re-encoding of a
// 12-megapixel phone photo, the largest common upload.
func BenchmarkReencodeJPEG(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	for y := range 3000 {
		for x := range 4000 {
			img.Set(x, y, color.RGBA{byte(x / 16), byte(y / 12), byte((x + y) / 28), 255})
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	data := buf.Bytes()
	s := &Server{reports: &reports{decode: make(chan struct{}, 1)}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.reencodeImage(context.Background(), data); err != nil {
			b.Fatal(err)
		}
	}
}
