package web

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"rsc.io/qr"

	"manglanh/internal/sources"
)

// DejaVu Sans (Bitstream Vera licence, see fonts/LICENSE-DejaVu.txt) has
// every Vietnamese glyph; the PDF core fonts do not.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// posterPDF makes the A4 poster of a source: the ward's name, what to
// report, the QR code of the report form for this source, "Gọi 111" and
// where the poster hangs. While web.base_url is unset or not a public
// address it refuses, on the poster page, saying which setting to change.
func (s *Server) posterPDF(w http.ResponseWriter, r *http.Request) {
	u := s.staffUser(w, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	src, link, err := s.cfg.Posters.Poster(r.Context(), actorOf(u), id)
	switch {
	case err == nil:
	case errors.Is(err, sources.ErrForbidden):
		s.renderError(w, r, http.StatusForbidden, "forbidden")
		return
	case errors.Is(err, sources.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	case errors.Is(err, sources.ErrNoPublicURL):
		s.renderPosters(w, r, u, http.StatusConflict, posterListPage{Kind: "school"})
		return
	default:
		s.log.ErrorContext(r.Context(), "poster", "source", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	pdf, err := s.poster(src, link)
	if err != nil {
		s.log.ErrorContext(r.Context(), "making poster", "source", id, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="poster-%d.pdf"`, id))
	w.Write(pdf)
}

// poster draws the poster. The QR code is drawn as vector squares, so it
// prints sharp at any size.
func (s *Server) poster(src sources.Source, link string) ([]byte, error) {
	code, err := qr.Encode(link, qr.M)
	if err != nil {
		return nil, fmt.Errorf("encoding QR code: %w", err)
	}
	ward := s.cfg.Ward
	p := fpdf.New("P", "mm", "A4", "")
	p.SetTitle("Mạng Lành – "+src.Name, true)
	p.SetProducer("Mạng Lành", true)
	p.AddUTF8FontFromBytes("dejavu", "", fontRegular)
	p.AddUTF8FontFromBytes("dejavu", "B", fontBold)
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(false, 0)
	p.AddPage()
	const width = 180.0
	center := func(style string, size float64, h float64, text string) {
		p.SetFont("dejavu", style, size)
		p.MultiCell(width, h, text, "", "C", false)
	}
	p.SetTextColor(11, 79, 156)
	center("B", 16, 8, strings.ToUpper("Uỷ ban nhân dân "+ward.Name))
	p.Ln(2)
	p.SetTextColor(26, 26, 26)
	center("B", 24, 11, "Trẻ em bị lừa đảo, dụ dỗ, đe doạ hay bắt nạt trên mạng?")
	p.Ln(2)
	center("", 15, 7, "Quét mã QR để báo cáo với Uỷ ban nhân dân phường. Có thể giấu tên. Thông tin được giữ bí mật.")
	p.Ln(4)

	// QR with a 4-module quiet zone.
	const side = 110.0
	mod := side / float64(code.Size+8)
	x0, y0 := 15+(width-side)/2, p.GetY()
	p.SetFillColor(0, 0, 0)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Black(x, y) {
				p.Rect(x0+float64(x+4)*mod, y0+float64(y+4)*mod, mod, mod, "F")
			}
		}
	}
	p.SetY(y0 + side)
	center("", 10, 5, link)
	p.Ln(5)

	p.SetFillColor(179, 38, 30)
	p.SetTextColor(255, 255, 255)
	p.SetFont("dejavu", "B", 22)
	p.CellFormat(width, 16, "Gọi "+ward.Hotline+" – Tổng đài bảo vệ trẻ em", "", 1, "C", true, 0, "")
	p.SetFont("dejavu", "", 12)
	p.CellFormat(width, 8, "Miễn phí, 24/7 · Khẩn cấp, nguy hiểm ngay: gọi "+ward.Police+" (Công an)", "", 1, "C", true, 0, "")
	p.Ln(5)
	p.SetTextColor(26, 26, 26)
	center("", 11, 5.5, "Scan the QR code to report a child harmed online (anonymous if you wish). Call "+ward.Hotline+" – free, 24/7.")
	p.Ln(4)
	place := src.Name
	if src.Address != "" {
		place += " – " + src.Address
	}
	center("B", 12, 6, "Đặt tại: "+place)
	city := ward.Name
	if ward.City != "" {
		city += ", " + ward.City
	}
	center("", 10, 5, "Mạng Lành · "+city)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("writing poster PDF: %w", err)
	}
	return buf.Bytes(), nil
}
