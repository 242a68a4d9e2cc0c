package web

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// xlsxCell is one cell: text, or a number when IsNum.
type xlsxCell struct {
	Text  string
	Num   float64
	IsNum bool
}

// textCell and numCell make cells.
func textCell(s string) xlsxCell { return xlsxCell{Text: s} }
func numCell(n float64) xlsxCell { return xlsxCell{Num: n, IsNum: true} }

// writeXLSX writes a minimal valid workbook (Office Open XML, ECMA-376):
// one sheet named sheet whose rows hold inline strings and numbers. No
// shared strings and no styles: every spreadsheet program opens it, and the
// writer needs nothing but archive/zip. Text cells are written as given:
// guard them against formula injection (safeCell) before.
func writeXLSX(w io.Writer, sheet string, rows [][]xlsxCell, modified time.Time) error {
	zw := zip.NewWriter(w)
	part := func(name, body string) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, body)
		return err
	}
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", head + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`</Types>`},
		{"_rels/.rels", head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", head + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="` + xmlEscape(sheetName(sheet)) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`</Relationships>`},
	}
	for _, p := range parts {
		if err := part(p.name, p.body); err != nil {
			return fmt.Errorf("writing %s: %w", p.name, err)
		}
	}
	var b strings.Builder
	b.WriteString(head + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, row := range rows {
		r := strconv.Itoa(i + 1)
		b.WriteString(`<row r="` + r + `">`)
		for j, c := range row {
			ref := columnName(j) + r
			if c.IsNum {
				b.WriteString(`<c r="` + ref + `"><v>` + strconv.FormatFloat(c.Num, 'f', -1, 64) + `</v></c>`)
				continue
			}
			b.WriteString(`<c r="` + ref + `" t="inlineStr"><is><t xml:space="preserve">` + xmlEscape(c.Text) + `</t></is></c>`)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	if err := part("xl/worksheets/sheet1.xml", b.String()); err != nil {
		return fmt.Errorf("writing the sheet: %w", err)
	}
	return zw.Close()
}

// columnName is the spreadsheet column of index i (0 → A, 26 → AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// sheetName fits Excel's rules: at most 31 characters, none of []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	if strings.TrimSpace(s) == "" {
		return "Sheet1"
	}
	return s
}

// xmlEscape escapes text for XML and drops what XML 1.0 cannot carry at
// all (control characters other than tab, newline and carriage return,
// invalid UTF-8).
func xmlEscape(s string) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return -1
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			return -1
		case r == 0xFFFE || r == 0xFFFF:
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	xml.EscapeText(&b, []byte(clean))
	return b.String()
}
