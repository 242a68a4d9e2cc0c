package report

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"

	"manglanh/internal/program"
)

// The written PDF has every content stream deflated and a
// cross-reference table whose every offset is its object's.
func TestPDFStreamsCompressedAndXrefRight(t *testing.T) {
	in := sample()
	day := in.Figures.Period.From
	for i := 0; i < 400; i++ { // an annex of several pages
		in.Activities = append(in.Activities, program.Activity{Kind: program.KindCommunication, Date: day.AddDate(0, 0, i%365),
			Places: []program.Place{{Kind: program.PlaceSchool, Name: "Trường THCS Phù Liễn"}}, Topic: "Kỹ năng an toàn",
			Participants: []program.Participant{{Group: program.GroupPupils, Count: 30}}})
	}
	var b bytes.Buffer
	if err := Build(in).WritePDF(&b); err != nil {
		t.Fatal(err)
	}
	pdf := b.Bytes()
	if regexp.MustCompile(`<</Length \d+>>\nstream`).Match(pdf) {
		t.Error("a stream is left uncompressed")
	}
	sx := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if sx == nil {
		t.Fatal("no startxref at the end")
	}
	xref, _ := strconv.Atoi(string(sx[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) \d{5} n `).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) < 20 {
		t.Fatalf("%d objects", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		want := strconv.Itoa(i+1) + " 0 obj\n"
		if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("object %d: offset %d points at %q", i+1, off, pdf[off:min(off+20, len(pdf))])
		}
	}
	// A page's stream inflates to drawing operators.
	m := regexp.MustCompile(`(?s)<</Filter /FlateDecode /Length (\d+)>>\nstream\n`).FindSubmatchIndex(pdf)
	n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
	zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(zr)
	if err != nil || !bytes.Contains(page, []byte(" Tj ET")) {
		t.Fatalf("page stream: %v %q", err, page[:min(80, len(page))])
	}
	if !bytes.HasPrefix(pdf[m[1]+n:], []byte("\nendstream")) {
		t.Error("the stream's length is not its data's")
	}

	if _, err := compressStreams([]byte("%PDF-1.3\nno table")); err == nil {
		t.Error("a file without a table was accepted")
	}
}
