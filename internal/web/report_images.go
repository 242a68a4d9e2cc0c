package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"manglanh/internal/cases"
)

// Limits on evidence images: the service's (it checks them again).
const (
	maxImages     = cases.MaxEvidence
	maxImageBytes = cases.MaxEvidenceBytes
	// maxPixels admits a 12-megapixel phone photo (4000×3000) and refuses
	// decompression bombs: a 16-Mpx image decodes to at most 128 MB.
	maxPixels = 16_000_000
	maxSide   = 10_000
)

// imageError explains why an image was refused, in both languages.
type imageError struct{ vi, en string }

func (e *imageError) Error() string { return e.en }

func (e *imageError) message(lang string) string {
	if lang == "en" {
		return e.en
	}
	return e.vi
}

var (
	errImageTooBig = &imageError{"Ảnh lớn hơn 5 MB.", "The image is larger than 5 MB."}
	errImageFormat = &imageError{"Tệp không phải ảnh JPEG hoặc PNG hợp lệ.", "The file is not a valid JPEG or PNG image."}
	errImagePixels = &imageError{"Ảnh có kích thước quá lớn (quá 16 triệu điểm ảnh) hoặc không hợp lệ.", "The image's dimensions are too large (over 16 megapixels) or invalid."}
	errImageCount  = &imageError{fmt.Sprintf("Tối đa %d ảnh.", maxImages), fmt.Sprintf("At most %d images.", maxImages)}
)

var (
	jpegMagic = []byte{0xFF, 0xD8, 0xFF}
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// reencodeImage checks that data is a JPEG or PNG by its magic bytes,
// reads its dimensions before decoding anything (decompression bombs stop
// here), decodes it and encodes it again, so nothing but pixels survives:
// no EXIF (GPS position, camera), no text chunks, no trailing payload.
func (s *Server) reencodeImage(ctx context.Context, data []byte) (cases.EvidenceItem, error) {
	var f cases.EvidenceItem
	if len(data) > maxImageBytes {
		return f, errImageTooBig
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch {
	case bytes.HasPrefix(data, jpegMagic):
		decodeConfig, decode, f.ContentType = jpeg.DecodeConfig, jpeg.Decode, cases.EvidenceJPEG
	case bytes.HasPrefix(data, pngMagic):
		decodeConfig, decode, f.ContentType = png.DecodeConfig, png.Decode, cases.EvidencePNG
	default:
		return f, errImageFormat
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return f, errImageFormat
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxSide || cfg.Height > maxSide ||
		int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return f, errImagePixels
	}
	select {
	case s.reports.decode <- struct{}{}:
		defer func() { <-s.reports.decode }()
	case <-ctx.Done():
		return f, ctx.Err()
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return f, errImageFormat
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return f, errImageFormat
	}
	var out bytes.Buffer
	if f.ContentType == cases.EvidenceJPEG {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 85})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	}
	if err != nil {
		return f, fmt.Errorf("re-encoding image: %w", err)
	}
	f.Data, f.Width, f.Height = out.Bytes(), cfg.Width, cfg.Height
	return f, nil
}

// readImages reads and re-encodes the uploaded images. The uploaded names
// are never used. The index of a refused image is returned with its error.
func (s *Server) readImages(ctx context.Context, files []uploadFile) ([]cases.EvidenceItem, int, error) {
	if len(files) > maxImages {
		return nil, 0, errImageCount
	}
	var out []cases.EvidenceItem
	for i, f := range files {
		if f.TooBig || len(f.Data) > maxImageBytes {
			return nil, i + 1, errImageTooBig
		}
		ef, err := s.reencodeImage(ctx, f.Data)
		if err != nil {
			return nil, i + 1, err
		}
		out = append(out, ef)
	}
	return out, 0, nil
}
