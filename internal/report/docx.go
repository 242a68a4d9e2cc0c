package report

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Page geometry of Decree 30/2020 in twentieths of a point (twips):
// A4, top and bottom 20 mm, left 30 mm, right 15 mm.
const (
	pageW       = 11906
	pageH       = 16838
	marginTop   = 1134
	marginBot   = 1134
	marginLeft  = 1701
	marginRight = 851
	textW       = pageW - marginLeft - marginRight
	indentFirst = 720 // 1.27 cm
)

// WriteDOCX writes the document as an Office Open XML word-processing
// file: styles in styles.xml (Times New Roman), one section with A4 and
// the Decree 30 margins, the page number centred in the header from page
// 2 (a different, empty first-page header), the header blocks and the
// signature as borderless tables, real Word tables with a repeating
// header row. Every text run is XML-escaped.
func (d *Document) WriteDOCX(w io.Writer) error {
	z := zip.NewWriter(w)
	files := []struct {
		name string
		body func(*bufio.Writer)
	}{
		{"[Content_Types].xml", func(b *bufio.Writer) { b.WriteString(contentTypes) }},
		{"_rels/.rels", func(b *bufio.Writer) { b.WriteString(rootRels) }},
		{"docProps/core.xml", d.writeCore},
		{"word/_rels/document.xml.rels", func(b *bufio.Writer) { b.WriteString(docRels) }},
		{"word/styles.xml", func(b *bufio.Writer) { b.WriteString(stylesXML) }},
		{"word/settings.xml", func(b *bufio.Writer) { b.WriteString(settingsXML) }},
		{"word/header1.xml", func(b *bufio.Writer) { b.WriteString(headerPageNo) }},
		{"word/header2.xml", func(b *bufio.Writer) { b.WriteString(headerEmpty) }},
		{"word/document.xml", d.writeBody},
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
		b := bufio.NewWriterSize(fw, 64<<10)
		f.body(b)
		if err := b.Flush(); err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const contentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const rootRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const docRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>` +
	`</Relationships>`

// Styles: sizes are half-points (28 = 14 pt); spacing after 120 = 6 pt;
// line 312 = 1.3 lines.
const stylesXML = xmlHead + `<w:styles ` + nsW + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text MangLanh"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="0" w:after="120" w:line="312" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Bullet"><w:name w:val="Bullet MangLanh"/><w:basedOn w:val="Body"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Body"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Body"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Body"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note MangLanh"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="120"/><w:jc w:val="center"/></w:pPr><w:rPr><w:i/><w:iCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Cell"><w:name w:val="Table Cell MangLanh"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="40" w:after="40"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>` +
	`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

const settingsXML = xmlHead + `<w:settings ` + nsW + `><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

const headerPageNo = xmlHead + `<w:hdr ` + nsW + `><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`

const headerEmpty = xmlHead + `<w:hdr ` + nsW + `><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>`

func (d *Document) writeCore(b *bufio.Writer) {
	b.WriteString(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>`)
	esc(b, d.Title+" "+strings.Join(d.Summary, " "))
	b.WriteString(`</dc:title><dc:creator>`)
	esc(b, d.Header.Authority+" "+d.Header.Body)
	b.WriteString(`</dc:creator></cp:coreProperties>`)
}

// esc writes s as XML character data (clean has already removed what
// XML cannot hold).
func esc(b *bufio.Writer, s string) {
	_ = xml.EscapeText(b, []byte(clean(s)))
}

// run is one text run; props are rPr children ("<w:b/>").
func run(b *bufio.Writer, text, props string) {
	b.WriteString(`<w:r>`)
	if props != "" {
		b.WriteString(`<w:rPr>` + props + `</w:rPr>`)
	}
	b.WriteString(`<w:t xml:space="preserve">`)
	esc(b, text)
	b.WriteString(`</w:t></w:r>`)
}

// plain is a paragraph with direct formatting: pPr children and rPr
// children for its one run.
func plain(b *bufio.Writer, text, ppr, rpr string) {
	b.WriteString(`<w:p><w:pPr>` + ppr + `</w:pPr>`)
	if text != "" {
		run(b, text, rpr)
	}
	b.WriteString(`</w:p>`)
}

const (
	centre = `<w:jc w:val="center"/>`
	bold   = `<w:b/><w:bCs/>`
	ital   = `<w:i/><w:iCs/>`
)

func sz(halfPoints int) string {
	return fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints, halfPoints)
}

// borderless opens a table without borders of the given column widths
// (twips).
func borderless(b *bufio.Writer, widths ...int) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + fmt.Sprint(sum(widths)) + `" w:type="dxa"/><w:tblLayout w:type="fixed"/>` +
		`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>` +
		`<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid><w:tr>`)
}

func cell(b *bufio.Writer, width int, content func()) {
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, width)
	content()
	b.WriteString(`</w:tc>`)
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// rule is a short centred horizontal line: an empty paragraph with a
// bottom border, indented from both sides of its cell.
func rule(b *bufio.Writer, cellW, lineW int) {
	in := (cellW - 216 - lineW) / 2
	fmt.Fprintf(b, `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/><w:ind w:left="%d" w:right="%d"/>%s</w:pPr></w:p>`, in, in, centre)
}

func (d *Document) writeBody(b *bufio.Writer) {
	b.WriteString(xmlHead + `<w:document ` + nsW + `><w:body>`)
	h := d.Header
	// The header: issuing body left (38 %), the nation right.
	left, right := textW*38/100, textW-textW*38/100
	borderless(b, left, right)
	cell(b, left, func() {
		plain(b, h.Authority, centre, bold+sz(26))
		plain(b, h.Body, centre, bold+sz(26))
		rule(b, left, 1000)
		plain(b, h.Number, `<w:spacing w:before="120"/>`+centre, sz(26))
	})
	cell(b, right, func() {
		plain(b, h.Nation, centre, bold+sz(26))
		plain(b, h.Motto, centre, bold+sz(28)+`<w:u w:val="single"/>`)
		plain(b, "", centre, "")
		plain(b, h.PlaceDate, `<w:spacing w:before="120"/>`+centre, ital+sz(28))
	})
	b.WriteString(`</w:tr></w:tbl>`)

	plain(b, d.Title, `<w:spacing w:before="360" w:after="0"/>`+centre, bold+sz(28))
	for i, s := range d.Summary {
		after := "0"
		if i == len(d.Summary)-1 {
			after = "240"
		}
		plain(b, s, `<w:spacing w:after="`+after+`"/>`+centre, bold+sz(28))
	}
	for _, bl := range d.Blocks {
		writeBlock(b, bl)
	}

	// Recipients left (Nơi nhận: bold italic 12, list 11), the signature right.
	left, right = textW*45/100, textW-textW*45/100
	borderless(b, left, right)
	cell(b, left, func() {
		plain(b, d.recipientsLabel(), `<w:spacing w:before="120"/>`, bold+ital+sz(24))
		for _, r := range d.Recipients {
			plain(b, "- "+r, "", sz(22))
		}
	})
	cell(b, right, func() {
		for i, l := range d.Signer.Lines {
			ppr := centre
			if i == 0 {
				ppr = `<w:spacing w:before="120"/>` + centre
			}
			plain(b, l, ppr, bold+sz(28))
		}
		for range 4 {
			plain(b, "", centre, "")
		}
		plain(b, d.Signer.Name, centre, bold+sz(28))
	})
	b.WriteString(`</w:tr></w:tbl>`)

	if len(d.Annex) > 0 {
		b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		for _, bl := range d.Annex {
			writeBlock(b, bl)
		}
	}
	fmt.Fprintf(b, `<w:sectPr><w:headerReference w:type="default" r:id="rId3"/><w:headerReference w:type="first" r:id="rId4"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>`+
		`<w:titlePg/></w:sectPr></w:body></w:document>`, pageW, pageH, marginTop, marginRight, marginBot, marginLeft)
}

var styleIDs = map[string]string{
	StyleHeading1: "Heading1", StyleHeading2: "Heading2", StyleHeading3: "Heading3",
	StyleBody: "Body", StyleBullet: "Bullet", StyleCaption: "Caption", StyleNote: "Note",
}

func writeBlock(b *bufio.Writer, bl Block) {
	if p := bl.Para; p != nil {
		id := styleIDs[p.Style]
		if id == "" {
			id = "Body"
		}
		text := p.Text
		if p.Style == StyleBullet {
			text = "- " + text
		}
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + id + `"/></w:pPr>`)
		run(b, text, "")
		b.WriteString(`</w:p>`)
		return
	}
	t := bl.Table
	if t == nil {
		return
	}
	if t.Caption != "" {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Caption"/></w:pPr>`)
		run(b, t.Caption, "")
		b.WriteString(`</w:p>`)
	}
	widths := colWidths(t, textW)
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + fmt.Sprint(textW) + `" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
		`</w:tblBorders><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i, w := range widths {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="Cell"/>`, w)
			rpr := ""
			switch {
			case header:
				b.WriteString(centre)
				rpr = bold
			case i < len(t.Numeric) && t.Numeric[i]:
				b.WriteString(`<w:jc w:val="right"/>`)
			}
			b.WriteString(`</w:pPr>`)
			if text != "" {
				run(b, text, rpr)
			}
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	b.WriteString(`</w:tbl>`)
	// Word needs a paragraph between two tables, and it spaces the next one.
	b.WriteString(`<w:p><w:pPr><w:spacing w:after="120"/></w:pPr></w:p>`)
}

// colWidths scales a table's relative widths to total (equal columns when
// Widths does not match the header).
func colWidths(t *Table, total int) []int {
	n := len(t.Header)
	if n == 0 && len(t.Rows) > 0 {
		n = len(t.Rows[0])
	}
	rel := t.Widths
	if len(rel) != n {
		rel = make([]float64, n)
		for i := range rel {
			rel[i] = 1
		}
	}
	s := 0.0
	for _, r := range rel {
		s += r
	}
	out := make([]int, n)
	used := 0
	for i, r := range rel {
		out[i] = int(float64(total) * r / s)
		used += out[i]
	}
	if n > 0 {
		out[n-1] += total - used
	}
	return out
}
