// Package report writes the ward's periodic report (Decree 30/2020/NĐ-CP,
// Annex I layout) from a saved report version and the figures of its
// period: Build makes a Document (header blocks, title, body paragraphs,
// tables, recipients, signature) and WriteDOCX and WritePDF render it. The
// DOCX is WordprocessingML written by hand with archive/zip and
// encoding/xml (editable text and real tables in Word and LibreOffice);
// the PDF uses go-pdf/fpdf with the bundled Liberation Serif fonts.
//
// The administrative document is always in Vietnamese; only the figures
// come from the data, the narratives from the officer.
package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Paragraph styles.
const (
	StyleHeading1 = "heading1" // "I. TÌNH HÌNH …": bold, uppercase
	StyleHeading2 = "heading2" // "1. Tình hình …": bold
	StyleHeading3 = "heading3" // "3.1. Về công tác …": bold italic
	StyleBody     = "body"     // justified, first-line indent
	StyleBullet   = "bullet"   // body with a leading "- "
	StyleCaption  = "caption"  // a table's title: bold, centred
	StyleNote     = "note"     // italic body, for the figures' provenance
)

// Paragraph is one paragraph of the body. Figure marks a paragraph
// generated from the figures (the page shows it read-only).
type Paragraph struct {
	Style  string
	Text   string
	Figure bool
}

// Table is a bordered table with a header row that repeats on every page.
// Widths are relative (they are scaled to the text width).
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Widths  []float64
	// Numeric columns are right-aligned.
	Numeric []bool
}

// Block is a paragraph or a table, in document order.
type Block struct {
	Para  *Paragraph
	Table *Table
}

// Header is the two-column header of Decree 30: the issuing body and the
// number on the left, the national motto and the place-and-date line on
// the right.
type Header struct {
	Authority string // "ỦY BAN NHÂN DÂN"
	Body      string // "PHƯỜNG PHÙ LIỄN"
	Number    string // "Số: 05/BC-UBND"
	Nation    string // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	Motto     string // "Độc lập - Tự do - Hạnh phúc"
	PlaceDate string // "Phù Liễn, ngày 05 tháng 01 năm 2026"
}

// Signer is the signature block, line by line, and the signer's name.
type Signer struct {
	Lines []string // "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
	Name  string
}

// Document is a report ready to render. Every string in it is clean:
// Build removes control characters, bidi overrides and invalid UTF-8.
type Document struct {
	Header     Header
	Title      string   // "BÁO CÁO"
	Summary    []string // the bold lines under the title
	Blocks     []Block
	Recipients []string // "Như kính gửi;", "Lưu: VT, VHXH."
	// RecipientsLabel heads the recipients: "Nơi nhận:" (the default when
	// empty) or "Recipients:".
	RecipientsLabel string
	Signer          Signer
	// Annex is printed after the signature, from a new page: the lists
	// of activities and inspections of the period.
	Annex []Block
}

func (d *Document) recipientsLabel() string {
	if d.RecipientsLabel == "" {
		return "Nơi nhận:"
	}
	return d.RecipientsLabel
}

func (d *Document) para(style, text string, figure bool) {
	d.Blocks = append(d.Blocks, Block{Para: &Paragraph{Style: style, Text: clean(text), Figure: figure}})
}

func (d *Document) table(t *Table) {
	t.Caption = clean(t.Caption)
	for i := range t.Header {
		t.Header[i] = clean(t.Header[i])
	}
	for _, r := range t.Rows {
		for i := range r {
			r[i] = clean(r[i])
		}
	}
	d.Blocks = append(d.Blocks, Block{Table: t})
}

// clean removes what must not reach a document: invalid UTF-8 (replaced),
// control characters (a tab or line break becomes a space), the Unicode
// non-characters XML forbids, and bidirectional controls that would let
// a hostile name reorder the text around it.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		s = s[n:]
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune('\uFFFD')
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF,
			r >= 0x200E && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paragraphs splits a narrative into its paragraphs (blank-line or
// line-break separated), trimmed, empty ones dropped.
func paragraphs(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
