package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeader is a PNG signature and IHDR chunk claiming w×h pixels, with
// no image data: what a decompression bomb's header looks like.
func pngHeader(w, h uint32) []byte {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var b bytes.Buffer
	b.Write(pngMagic)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr[:]...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// TestCheckRefuses: what is not a bounded PNG or JPEG is refused from its
// header, before a pixel is decoded.
func TestCheckRefuses(t *testing.T) {
	good := encodePNG(t, image.NewGray(image.Rect(0, 0, 100, 200)))
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"text", []byte("Em ơi chuyển khoản gấp"), ErrFormat},
		{"empty", nil, ErrFormat},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ErrFormat},
		{"truncated png", good[:20], ErrFormat},
		{"bomb header", pngHeader(60000, 60000), ErrPixels},
		{"too wide", pngHeader(9000, 100), ErrPixels},
		{"too many pixels", pngHeader(4000, 3500), ErrPixels},
		{"tiny", encodePNG(t, image.NewGray(image.Rect(0, 0, 10, 10))), ErrPixels},
		{"too big", append(bytes.Clone(good), make([]byte, MaxBytes)...), ErrTooBig},
		{"jpeg magic only", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, ErrFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, _, err := Check(c.data); !errors.Is(err, c.want) {
				t.Errorf("Check: %v, want %v", err, c.want)
			}
			if _, _, err := Prepare(c.data); !errors.Is(err, c.want) {
				t.Errorf("Prepare: %v, want %v", err, c.want)
			}
		})
	}
	// A header that is fine over data that is broken.
	broken := append(pngHeader(200, 200), []byte("\x00\x00\x00\x05IDATxxxxx\x00\x00\x00\x00")...)
	if _, _, err := Prepare(broken); !errors.Is(err, ErrFormat) {
		t.Errorf("broken data: %v", err)
	}
}

// strokes draws horizontal 4-px strokes of fg on bg, as words would be.
func strokes(bg, fg color.Color) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 300, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 300; x++ {
			c := bg
			if y >= 40 && y < 44 && x >= 60 && x < 240 && (x/10)%2 == 0 {
				c = fg
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// TestPrepareBothPolarities: white strokes on blue and dark strokes on
// grey both come out dark on white, and the backgrounds white; JPEG and
// PNG both read.
func TestPrepareBothPolarities(t *testing.T) {
	blue := color.RGBA{0, 0x84, 0xff, 0xff}
	grey := color.RGBA{0xf0, 0xf2, 0xf5, 0xff}
	for name, img := range map[string]*image.RGBA{
		"white on blue":  strokes(blue, color.White),
		"dark on grey":   strokes(grey, color.RGBA{0x11, 0x11, 0x11, 0xff}),
		"light on black": strokes(color.Black, color.RGBA{0xee, 0xee, 0xee, 0xff}),
	} {
		for _, format := range []string{"png", "jpeg"} {
			var data []byte
			if format == "png" {
				data = encodePNG(t, img)
			} else {
				var b bytes.Buffer
				jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
				data = b.Bytes()
			}
			out, bounds, err := Prepare(data)
			if err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			g, err := png.Decode(bytes.NewReader(out))
			if err != nil || bounds.Dx() != 300 {
				t.Fatalf("%s %s: output %v %v", name, format, bounds, err)
			}
			at := func(x, y int) uint8 { return color.GrayModel.Convert(g.At(x, y)).(color.Gray).Y }
			if v := at(62, 41); v > 80 {
				t.Errorf("%s %s: stroke pixel %d, want dark", name, format, v)
			}
			if v := at(150, 90); v < 200 {
				t.Errorf("%s %s: background pixel %d, want white", name, format, v)
			}
		}
	}
}

// FuzzPrepare: any bytes give an image or one of the upload errors, never
// a panic, and never more pixels than the limits.
func FuzzPrepare(f *testing.F) {
	f.Add(encodePNG(f, image.NewGray(image.Rect(0, 0, 40, 40))))
	f.Add(pngHeader(60000, 60000))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDB})
	f.Fuzz(func(t *testing.T, data []byte) {
		out, b, err := Prepare(data)
		if err != nil {
			if !ErrUpload(err) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(out) == 0 || b.Dx()*b.Dy() > MaxPixels {
			t.Fatalf("bounds %v", b)
		}
	})
}
