package ocr

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

func word(block, par, line, n, left, top, w, h int, conf, text string) string {
	return strings.Join([]string{"5", "1", itoa(block), itoa(par), itoa(line), itoa(n), itoa(left), itoa(top), itoa(w), itoa(h), conf, text}, "\t") + "\n"
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestGroupBubbles: lines close together and left-aligned are one bubble;
// a bubble near the right edge is the phone owner's; low-confidence edge
// marks are dropped; the title bar names the other side.
func TestGroupBubbles(t *testing.T) {
	tsv := tsvHeader +
		"1\t1\t0\t0\t0\t0\t0\t0\t1080\t2400\t-1\t\n" +
		word(1, 1, 1, 1, 48, 40, 120, 40, "95", "Anh") + word(1, 1, 1, 2, 180, 40, 120, 40, "95", "Tuấn") +
		word(2, 1, 1, 1, 490, 170, 100, 30, "96", "21:05") +
		word(3, 1, 1, 1, 72, 290, 60, 45, "92", "Em") + word(3, 1, 1, 2, 150, 290, 80, 45, "93", "học") +
		word(3, 1, 2, 1, 72, 355, 80, 45, "91", "lớp") + word(3, 1, 2, 2, 170, 355, 60, 45, "90", "mấy?") +
		word(4, 1, 1, 1, 530, 500, 20, 60, "12", "[") + word(4, 1, 1, 2, 570, 505, 60, 45, "88", "Dạ") + word(4, 1, 1, 3, 650, 505, 60, 45, "90", "lớp") + word(4, 1, 1, 4, 730, 505, 290, 45, "89", "7") +
		word(5, 1, 1, 1, 72, 640, 120, 45, "90", "Đừng") + word(5, 1, 1, 2, 210, 640, 80, 45, "90", "kể") +
		word(6, 1, 1, 1, 900, 760, 140, 30, "90", "Đã") + word(6, 1, 1, 2, 1000, 760, 40, 30, "90", "xem") +
		"5\t1\tx\t1\t1\t1\t0\t0\t1\t1\t90\tbroken\n" + "garbage line\n"
	lines := parseTSV([]byte(tsv))
	bubbles := group(lines, 1080)
	var got []string
	for _, b := range bubbles {
		got = append(got, map[Side]string{SideOther: "L", SideSelf: "R", SideCentre: "C"}[b.Side]+":"+b.Text)
	}
	want := "L:Anh Tuấn|C:21:05|L:Em học lớp mấy?|R:Dạ lớp 7|L:Đừng kể|R:Đã xem"
	if strings.Join(got, "|") != want {
		t.Fatalf("bubbles\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	tr := &Transcript{Bubbles: bubbles, Width: 1080, Height: 2400}
	conv, other := tr.Conversation("Bạn", "Người kia")
	if other != "Anh Tuấn" {
		t.Errorf("other side %q", other)
	}
	if wantConv := "Anh Tuấn: Em học lớp mấy?\nBạn: Dạ lớp 7\nAnh Tuấn: Đừng kể"; conv != wantConv {
		t.Errorf("conversation\n got %q\nwant %q", conv, wantConv)
	}
}

// fakeTesseract writes a script standing in for tesseract: it lists the
// languages given, and for an image runs body.
func fakeTesseract(t *testing.T, langs, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages (2):'; for l in " + langs + "; do echo $l; done; exit 0; fi\n" + body + "\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func smallPNG(t *testing.T) []byte { return encodePNG(t, image.NewGray(image.Rect(0, 0, 200, 200))) }

// TestReadErrors: no Tesseract, no Vietnamese model, a run past its time,
// all slots taken, and a picture without text each give their own error.
func TestReadErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := New(Options{Command: "/nonexistent/tesseract"}).Read(ctx, smallPNG(t)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("missing binary: %v", err)
	}
	if _, err := New(Options{Command: fakeTesseract(t, "eng osd", "exit 0")}).Read(ctx, smallPNG(t)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("no vie model: %v", err)
	}
	// Upload errors come first, installed or not.
	if _, err := New(Options{Command: "/nonexistent/tesseract"}).Read(ctx, []byte("not an image")); !errors.Is(err, ErrFormat) {
		t.Errorf("not an image: %v", err)
	}
	slow := New(Options{Command: fakeTesseract(t, "vie", "sleep 30"), Timeout: 300 * time.Millisecond, Wait: 100 * time.Millisecond})
	start := time.Now()
	if _, err := slow.Read(ctx, smallPNG(t)); !errors.Is(err, ErrTimeout) {
		t.Errorf("slow run: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the timed-out run was waited for %v", d)
	}
	done := make(chan error, 1)
	go func() { _, err := slow.Read(ctx, smallPNG(t)); done <- err }()
	time.Sleep(50 * time.Millisecond)
	if _, err := slow.Read(ctx, smallPNG(t)); !errors.Is(err, ErrBusy) {
		t.Errorf("second image while one is read: %v", err)
	}
	<-done
	empty := New(Options{Command: fakeTesseract(t, "vie", "printf '"+strings.ReplaceAll(tsvHeader, "\t", "\\t")+"'")})
	if _, err := empty.Read(ctx, smallPNG(t)); !errors.Is(err, ErrNoText) {
		t.Errorf("no text: %v", err)
	}
	failing := New(Options{Command: fakeTesseract(t, "vie", "echo 'Error in pixReadMem' >&2; exit 1")})
	if _, err := failing.Read(ctx, smallPNG(t)); err == nil || !strings.Contains(err.Error(), "pixReadMem") {
		t.Errorf("failing tesseract: %v", err)
	}
}
