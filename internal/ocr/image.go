// Package ocr reads the text of a chat screenshot with Tesseract (its
// Vietnamese model, run as a subprocess) so the early-warning engine can
// score it as a conversation. Nothing is written to disk: the image goes to
// Tesseract on its standard input and the text comes back on its output.
//
// An upload is checked before it is decoded (magic bytes, then the
// dimensions in its header, so a decompression bomb is refused without
// allocating its pixels), decoded, and redrawn as a grey "contrast map":
// every pixel's distance from its neighbourhood's mean. Text becomes dark on
// white whatever its colours, so white words on a blue "sent" bubble are
// read as well as dark words on a grey one.
package ocr

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// Limits on an uploaded screenshot. A 1440×3200 phone screenshot is 4.6
// megapixels; MaxPixels admits it with room and decodes to at most 48 MB of
// RGBA, one at a time (Reader's semaphore).
const (
	MaxBytes  = 5 << 20
	MaxPixels = 12_000_000
	MaxSide   = 8000
	// MinSide: below this nothing legible can be in the picture.
	MinSide = 32
)

// Errors of an upload; the web layer words them for people.
var (
	ErrTooBig      = errors.New("ocr: image larger than 5 MB")
	ErrFormat      = errors.New("ocr: not a PNG or JPEG image")
	ErrPixels      = errors.New("ocr: image dimensions too large or too small")
	ErrUnavailable = errors.New("ocr: tesseract with the Vietnamese model is not installed")
	ErrTimeout     = errors.New("ocr: reading the image took too long")
	ErrBusy        = errors.New("ocr: too many images are being read")
	ErrNoText      = errors.New("ocr: no text found in the image")
)

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// Check reads only the header of data: its format and dimensions.
func Check(data []byte) (format string, cfg image.Config, err error) {
	if len(data) > MaxBytes {
		return "", cfg, ErrTooBig
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	switch {
	case bytes.HasPrefix(data, pngMagic):
		format, decodeConfig = "png", png.DecodeConfig
	case bytes.HasPrefix(data, jpegMagic):
		format, decodeConfig = "jpeg", jpeg.DecodeConfig
	default:
		return "", cfg, ErrFormat
	}
	cfg, err = decodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", cfg, ErrFormat
	}
	if cfg.Width < MinSide || cfg.Height < MinSide || cfg.Width > MaxSide || cfg.Height > MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return "", cfg, ErrPixels
	}
	return format, cfg, nil
}

// Prepare checks and decodes data and returns the contrast map Tesseract
// reads, encoded as PNG (only pixels survive: no metadata, no trailing
// bytes).
func Prepare(data []byte) ([]byte, image.Rectangle, error) {
	format, cfg, err := Check(data)
	if err != nil {
		return nil, image.Rectangle{}, err
	}
	var img image.Image
	if format == "png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, image.Rectangle{}, ErrFormat
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, image.Rectangle{}, ErrFormat
	}
	g := contrastMap(luma(img))
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, g); err != nil {
		return nil, image.Rectangle{}, err
	}
	return out.Bytes(), g.Bounds(), nil
}

// luma is img in grey (BT.601 weights), origin at 0,0.
func luma(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], src.Pix[(y+b.Min.Y-src.Rect.Min.Y)*src.Stride+(b.Min.X-src.Rect.Min.X):])
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			row := src.Y[(y+b.Min.Y-src.Rect.Min.Y)*src.YStride+(b.Min.X-src.Rect.Min.X):]
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], row[:b.Dx()])
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[(y+b.Min.Y-src.Rect.Min.Y)*src.Stride+(b.Min.X-src.Rect.Min.X)*4:]
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb := int(row[4*x]), int(row[4*x+1]), int(row[4*x+2])
				out[x] = uint8((299*r + 587*gg + 114*bb) / 1000)
			}
		}
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := src.Pix[(y+b.Min.Y-src.Rect.Min.Y)*src.Stride+(b.Min.X-src.Rect.Min.X)*4:]
			out := g.Pix[y*g.Stride:]
			for x := 0; x < b.Dx(); x++ {
				a := int(row[4*x+3])
				// Composite on white: a transparent screenshot edge is paper.
				r := (int(row[4*x])*a + 255*(255-a)) / 255
				gg := (int(row[4*x+1])*a + 255*(255-a)) / 255
				bb := (int(row[4*x+2])*a + 255*(255-a)) / 255
				out[x] = uint8((299*r + 587*gg + 114*bb) / 1000)
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				r, gg, bb, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				// premultiplied 16-bit; composite on white
				w := 0xffff - a
				l := (299*(r+w) + 587*(gg+w) + 114*(bb+w)) / 1000
				g.Pix[y*g.Stride+x] = uint8(l >> 8)
			}
		}
	}
	return g
}

// contrastMap turns text of either polarity into dark on white, in two
// steps.
//
// Polarity: the picture is cut into blocks (1/45 of its width: 24 px on a
// 1080-px screenshot, less than a bubble's padding); a block whose median
// is dark is on a dark background (a blue "sent" bubble, a title bar, dark
// mode) — the median ignores the strokes of the words in it. Decisions are
// smoothed by a 3×3 majority and the pixels of dark blocks are inverted.
//
// Background: a black top-hat, the closing (max then min over a window a
// little wider than a stroke) minus the pixel. Thin dark strokes remain;
// flat areas, grey bubbles, and the thick band left where a block straddles
// a bubble's edge vanish. Strokes are stretched to black on white.
func contrastMap(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	b := max(6, w/45)
	bw, bh := (w+b-1)/b, (h+b-1)/b
	dark := make([]bool, bw*bh)
	var hist [256]int
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			hist = [256]int{}
			n := 0
			for y := by * b; y < min(h, (by+1)*b); y++ {
				for x := bx * b; x < min(w, (bx+1)*b); x++ {
					hist[g.Pix[y*g.Stride+x]]++
					n++
				}
			}
			c := 0
			for v := 0; v < 256; v++ {
				if c += hist[v]; 2*c >= n {
					dark[by*bw+bx] = v < 150
					break
				}
			}
		}
	}
	src := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := g.Pix[y*g.Stride+x]
			if majority(dark, bw, bh, x/b, y/b) {
				v = 255 - v
			}
			src[y*w+x] = v
		}
	}
	r := max(4, w/100)
	closing := filter2(filter2(src, w, h, r, true), w, h, r, false)
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i, v := range src {
		out.Pix[i] = uint8(255 - min(255, 2*(int(closing[i])-int(v))))
	}
	return out
}

// majority reports whether most of block (bx, by) and its neighbours are
// dark.
func majority(dark []bool, bw, bh, bx, by int) bool {
	votes, n := 0, 0
	for y := max(0, by-1); y <= min(bh-1, by+1); y++ {
		for x := max(0, bx-1); x <= min(bw-1, bx+1); x++ {
			n++
			if dark[y*bw+x] {
				votes++
			}
		}
	}
	return 2*votes > n
}

// filter2 is a separable max (isMax) or min filter of radius r.
func filter2(in []uint8, w, h, r int, isMax bool) []uint8 {
	tmp := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		slide(in[y*w:(y+1)*w], tmp[y*w:(y+1)*w], r, isMax)
	}
	out := make([]uint8, w*h)
	col := make([]uint8, h)
	colOut := make([]uint8, h)
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			col[y] = tmp[y*w+x]
		}
		slide(col, colOut, r, isMax)
		for y := 0; y < h; y++ {
			out[y*w+x] = colOut[y]
		}
	}
	return out
}

// slide writes to out the maximum (or minimum) of in over [i−r, i+r], with
// a monotone deque (O(len)).
func slide(in, out []uint8, r int, isMax bool) {
	n := len(in)
	dq := make([]int, 0, 2*r+2)
	next := 0
	worse := func(a, b uint8) bool {
		if isMax {
			return a <= b
		}
		return a >= b
	}
	for i := 0; i < n; i++ {
		for ; next < n && next <= i+r; next++ {
			for len(dq) > 0 && worse(in[dq[len(dq)-1]], in[next]) {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, next)
		}
		for dq[0] < i-r {
			dq = dq[1:]
		}
		out[i] = in[dq[0]]
	}
}
