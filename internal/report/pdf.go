package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Liberation Serif (SIL OFL 1.1, fonts/LICENSE-LiberationSerif.txt):
// metric-compatible with Times New Roman, with every Vietnamese glyph.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	serifRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	serifBold []byte
	//go:embed fonts/LiberationSerif-Italic.ttf
	serifItalic []byte
	//go:embed fonts/LiberationSerif-BoldItalic.ttf
	serifBoldItalic []byte
)

// Page geometry in millimetres (Decree 30/2020).
const (
	mmPageW  = 210.0
	mmPageH  = 297.0
	mmTop    = 20.0
	mmBottom = 20.0
	mmLeft   = 30.0
	mmRight  = 15.0
	mmTextW  = mmPageW - mmLeft - mmRight
	mmIndent = 12.7
	mmAfter  = 2.117 // 6 pt
	ptToMM   = 25.4 / 72
	lineGap  = 1.3
)

// pdfWriter lays the document out by hand: fpdf draws, this decides
// where (justified lines with a first-line indent, tables that break
// across pages with their header row repeated).
type pdfWriter struct {
	f *fpdf.Fpdf
	y float64
}

// WritePDF writes the document as an A4 PDF in the Decree 30 layout with
// the bundled Liberation Serif embedded (subset): page numbers centred at
// the top from page 2.
func (d *Document) WritePDF(w io.Writer) error {
	f := fpdf.New("P", "mm", "A4", "")
	// Plain pages, compressed by compressStreams with one zlib writer.
	f.SetCompression(false)
	f.SetMargins(mmLeft, mmTop, mmRight)
	f.SetAutoPageBreak(false, mmBottom)
	f.SetCreationDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	f.SetTitle(d.Title+" "+strings.Join(d.Summary, " "), true)
	f.SetAuthor(d.Header.Authority+" "+d.Header.Body, true)
	f.AddUTF8FontFromBytes("serif", "", serifRegular)
	f.AddUTF8FontFromBytes("serif", "B", serifBold)
	f.AddUTF8FontFromBytes("serif", "I", serifItalic)
	f.AddUTF8FontFromBytes("serif", "BI", serifBoldItalic)
	f.SetHeaderFunc(func() {
		if n := f.PageNo(); n > 1 {
			f.SetFont("serif", "", 13)
			f.SetXY(mmLeft, 9)
			f.CellFormat(mmTextW, 6, strconv.Itoa(n), "", 0, "C", false, 0, "")
		}
	})
	p := &pdfWriter{f: f}
	p.newPage()
	p.header(d)
	for _, b := range d.Blocks {
		p.block(b)
	}
	p.signature(d)
	if len(d.Annex) > 0 {
		p.newPage()
		for _, b := range d.Annex {
			p.block(b)
		}
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	var plain bytes.Buffer
	if err := f.Output(&plain); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	out, err := compressStreams(plain.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func (p *pdfWriter) newPage() {
	p.f.AddPage()
	p.y = mmTop
}

// ensure starts a new page unless h mm fit below y.
func (p *pdfWriter) ensure(h float64) {
	if p.y+h > mmPageH-mmBottom {
		p.newPage()
	}
}

func (p *pdfWriter) font(style string, size float64) float64 {
	p.f.SetFont("serif", style, size)
	return size * ptToMM * lineGap
}

// line is one laid-out line: its words and whether it ends a paragraph.
type line struct {
	words []string
	last  bool
}

// wrap breaks text into lines of width w (the first w-indent), by words;
// a word longer than a line is cut by characters.
func (p *pdfWriter) wrap(text string, w, indent float64) []line {
	words := strings.Fields(text)
	var out []line
	var cur []string
	curW, space := 0.0, p.f.GetStringWidth(" ")
	avail := w - indent
	for _, word := range words {
		ww := p.f.GetStringWidth(word)
		for ww > avail && len(cur) == 0 {
			// cut an over-long word
			cut := p.fit(word, avail)
			out = append(out, line{words: []string{word[:cut]}})
			word = word[cut:]
			ww = p.f.GetStringWidth(word)
			avail = w
		}
		need := ww
		if len(cur) > 0 {
			need += space
		}
		if len(cur) > 0 && curW+need > avail {
			out = append(out, line{words: cur})
			cur, curW, avail = nil, 0, w
			need = ww
			for ww > avail {
				cut := p.fit(word, avail)
				out = append(out, line{words: []string{word[:cut]}})
				word = word[cut:]
				ww = p.f.GetStringWidth(word)
				need = ww
			}
		}
		cur = append(cur, word)
		curW += need
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, line{words: cur})
	}
	out[len(out)-1].last = true
	return out
}

// fit is the byte length of the longest prefix of s (whole runes, at
// least one) that fits in w.
func (p *pdfWriter) fit(s string, w float64) int {
	n := 0
	for i, r := range s {
		end := i + len(string(r))
		if n > 0 && p.f.GetStringWidth(s[:end]) > w {
			break
		}
		n = end
	}
	return n
}

// draw writes lines from x in width w: align "J" (justified, the last
// line left), "L", "C" or "R"; indent shifts the first line.
func (p *pdfWriter) draw(lines []line, x, w, indent, lh float64, align string, underline bool) {
	f := p.f
	_, size := f.GetFontSize()
	for i, l := range lines {
		p.ensure(lh)
		lx, lw := x, w
		if i == 0 {
			lx, lw = x+indent, w-indent
		}
		base := p.y + lh/2 + size*0.35
		text := strings.Join(l.words, " ")
		tw := f.GetStringWidth(text)
		switch {
		case align == "J" && !l.last && len(l.words) > 1:
			total := 0.0
			for _, wd := range l.words {
				total += f.GetStringWidth(wd)
			}
			gap := (lw - total) / float64(len(l.words)-1)
			cx := lx
			for _, wd := range l.words {
				f.Text(cx, base, wd)
				cx += f.GetStringWidth(wd) + gap
			}
		case align == "C":
			f.Text(lx+(lw-tw)/2, base, text)
			if underline {
				f.SetLineWidth(0.3)
				f.Line(lx+(lw-tw)/2, base+0.8, lx+(lw+tw)/2, base+0.8)
			}
		case align == "R":
			f.Text(lx+lw-tw, base, text)
		default:
			f.Text(lx, base, text)
		}
		p.y += lh
	}
}

// centred writes text centred in [x, x+w] at the current y, wrapped.
func (p *pdfWriter) centred(text string, x, w float64, style string, size float64, underline bool) {
	lh := p.font(style, size)
	p.draw(p.wrap(text, w, 0), x, w, 0, lh, "C", underline)
}

func (p *pdfWriter) header(d *Document) {
	h := d.Header
	leftW := mmTextW * 0.38
	rightX, rightW := mmLeft+leftW, mmTextW-leftW
	top := p.y
	p.centred(h.Authority, mmLeft, leftW, "B", 13, false)
	p.centred(h.Body, mmLeft, leftW, "B", 13, false)
	p.f.SetLineWidth(0.3)
	mid := mmLeft + leftW/2
	p.f.Line(mid-9, p.y+0.3, mid+9, p.y+0.3)
	p.y += 2
	p.centred(h.Number, mmLeft, leftW, "", 13, false)
	leftEnd := p.y

	p.y = top
	p.centred(h.Nation, rightX, rightW, "B", 13, false)
	p.centred(h.Motto, rightX, rightW, "B", 14, true)
	p.y += 4
	p.centred(h.PlaceDate, rightX, rightW, "I", 14, false)
	p.y = max(p.y, leftEnd) + 8

	p.centred(d.Title, mmLeft, mmTextW, "B", 14, false)
	for _, s := range d.Summary {
		p.centred(s, mmLeft, mmTextW, "B", 14, false)
	}
	p.y += 5
}

func (p *pdfWriter) block(b Block) {
	if b.Table != nil {
		p.table(b.Table)
		return
	}
	para := b.Para
	if para == nil {
		return
	}
	style, size, align, indent, text := "", 14.0, "J", mmIndent, para.Text
	switch para.Style {
	case StyleHeading1, StyleHeading2:
		style = "B"
	case StyleHeading3:
		style = "BI"
	case StyleBullet:
		text = "- " + text
	case StyleCaption:
		style, size, align, indent = "B", 13, "C", 0
	case StyleNote:
		style, size, align, indent = "I", 13, "C", 0
	}
	lh := p.font(style, size)
	lines := p.wrap(text, mmTextW, indent)
	switch para.Style {
	case StyleHeading1, StyleHeading2, StyleHeading3, StyleCaption:
		// keep a heading with the first two lines of what follows
		p.ensure(float64(len(lines)+2) * lh)
	default:
		if len(lines) <= 3 {
			p.ensure(float64(len(lines)) * lh)
		}
	}
	p.draw(lines, mmLeft, mmTextW, indent, lh, align, false)
	p.y += mmAfter
}

func (p *pdfWriter) table(t *Table) {
	if t.Caption != "" {
		p.block(Block{Para: &Paragraph{Style: StyleCaption, Text: t.Caption}})
	}
	tw := colWidths(t, 1000)
	widths := make([]float64, len(tw))
	for i, w := range tw {
		widths[i] = mmTextW * float64(w) / 1000
	}
	const pad = 1.2
	size := 12.0
	layout := func(cells []string, style string) ([][]line, float64) {
		lh := p.font(style, size)
		out := make([][]line, len(widths))
		rows := 1
		for i := range widths {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			out[i] = p.wrap(text, widths[i]-2*pad, 0)
			rows = max(rows, len(out[i]))
		}
		return out, float64(rows)*lh + 2*pad
	}
	maxH := mmPageH - mmTop - mmBottom - 20
	drawRow := func(cells [][]line, h float64, style string, header bool) {
		lh := p.font(style, size)
		x := mmLeft
		top := p.y
		p.f.SetLineWidth(0.2)
		for i, w := range widths {
			p.f.Rect(x, top, w, h, "D")
			align := "L"
			switch {
			case header:
				align = "C"
			case i < len(t.Numeric) && t.Numeric[i]:
				align = "R"
			}
			lines := cells[i]
			if n := int((h - 2*pad) / lh); len(lines) > n {
				lines = lines[:max(n, 1)]
			}
			p.y = top + pad
			p.draw(lines, x+pad, w-2*pad, 0, lh, align, false)
			x += w
		}
		p.y = top + h
	}
	head, headH := layout(t.Header, "B")
	p.ensure(headH + 8)
	drawRow(head, headH, "B", true)
	for _, r := range t.Rows {
		cells, h := layout(r, "")
		h = min(h, maxH)
		if p.y+h > mmPageH-mmBottom {
			p.newPage()
			drawRow(head, headH, "B", true)
		}
		drawRow(cells, h, "", false)
	}
	p.y += mmAfter * 2
}

func (p *pdfWriter) signature(d *Document) {
	leftW := mmTextW * 0.45
	rightX, rightW := mmLeft+leftW, mmTextW-leftW
	lh14 := 14 * ptToMM * lineGap
	lh11 := 11 * ptToMM * lineGap
	need := max(float64(len(d.Recipients))*lh11+8, float64(len(d.Signer.Lines)+5)*lh14) + 4
	p.ensure(need)
	p.y += 3
	top := p.y
	lh := p.font("BI", 12)
	p.draw(p.wrap(d.recipientsLabel(), leftW, 0), mmLeft, leftW, 0, lh, "L", false)
	lh = p.font("", 11)
	for _, r := range d.Recipients {
		p.draw(p.wrap("- "+r, leftW-2, 0), mmLeft, leftW-2, 0, lh, "L", false)
	}
	p.y = top
	for _, l := range d.Signer.Lines {
		p.centred(l, rightX, rightW, "B", 14, false)
	}
	p.y += 4 * lh14
	p.centred(d.Signer.Name, rightX, rightW, "B", 14, false)
}
