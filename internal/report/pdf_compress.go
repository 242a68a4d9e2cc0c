package report

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// fpdf compresses each page's content stream with a zlib writer of its
// own (about 1.3 MB of compressor state each, never reused): a 629-page
// annex allocated 820 MB for nothing. WritePDF turns fpdf's compression
// off and compresses the plain streams here with one writer, reset for
// each stream, then rewrites the cross-reference table: the same PDF,
// with a few kilobytes of compressor state instead of one per page.

var (
	plainStream = regexp.MustCompile(`^(\d+) 0 obj\n<</Length (\d+)>>\nstream\n`)
	xrefEntry   = regexp.MustCompile(`^(\d{10}) (\d{5}) ([nf]) ?\r?\n`)
)

// compressStreams deflates every stream of pdf whose dictionary is only
// its length, and returns the new file. Objects are found through the
// cross-reference table, so no stream's bytes are ever read as syntax. A
// file it does not understand is an error (WritePDF then fails rather
// than send a broken file).
func compressStreams(pdf []byte) ([]byte, error) {
	sx := bytes.LastIndex(pdf, []byte("startxref\n"))
	if sx < 0 {
		return nil, fmt.Errorf("pdf: no startxref")
	}
	end := bytes.IndexByte(pdf[sx+len("startxref\n"):], '\n')
	if end < 0 {
		return nil, fmt.Errorf("pdf: truncated startxref")
	}
	xref, err := strconv.Atoi(string(pdf[sx+len("startxref\n") : sx+len("startxref\n")+end]))
	if err != nil || xref <= 0 || xref >= len(pdf) || !bytes.HasPrefix(pdf[xref:], []byte("xref\n")) {
		return nil, fmt.Errorf("pdf: bad startxref")
	}
	// The table: "xref\n0 N\n" then N entries of 20 bytes.
	pos := xref + len("xref\n")
	nl := bytes.IndexByte(pdf[pos:], '\n')
	if nl < 0 {
		return nil, fmt.Errorf("pdf: bad xref header")
	}
	var first, count int
	if _, err := fmt.Sscanf(string(pdf[pos:pos+nl]), "%d %d", &first, &count); err != nil || first != 0 || count <= 0 {
		return nil, fmt.Errorf("pdf: bad xref header %q", pdf[pos:pos+nl])
	}
	pos += nl + 1
	offsets := make([]int, count)
	inUse := make([]bool, count)
	gens := make([]string, count)
	entries := pos
	for i := 0; i < count; i++ {
		m := xrefEntry.FindSubmatchIndex(pdf[pos:])
		if m == nil {
			return nil, fmt.Errorf("pdf: bad xref entry %d", i)
		}
		offsets[i], _ = strconv.Atoi(string(pdf[pos+m[2] : pos+m[3]]))
		inUse[i] = pdf[pos+m[6]] == 'n'
		gens[i] = string(pdf[pos+m[4] : pos+m[5]])
		pos += m[1]
	}
	tail := pdf[pos:] // trailer, startxref, %%EOF

	var out bytes.Buffer
	out.Grow(len(pdf) / 3)
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		return nil, err
	}
	newOff := make([]int, count)
	// Objects in file order (fpdf writes the page tree and resources
	// after the pages).
	order := make([]int, 0, count)
	for i := 1; i < count; i++ {
		if inUse[i] {
			if offsets[i] <= 0 || offsets[i] >= xref {
				return nil, fmt.Errorf("pdf: object %d outside the file", i)
			}
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	copied := 0
	for k, i := range order {
		o := offsets[i]
		if k > 0 && o == offsets[order[k-1]] {
			return nil, fmt.Errorf("pdf: objects %d and %d share an offset", order[k-1], i)
		}
		out.Write(pdf[copied:o])
		newOff[i] = out.Len()
		copied = o
		m := plainStream.FindSubmatchIndex(pdf[o:min(o+64, xref)])
		if m == nil || string(pdf[o+m[2]:o+m[3]]) != strconv.Itoa(i) {
			continue
		}
		n, _ := strconv.Atoi(string(pdf[o+m[4] : o+m[5]]))
		data := o + m[1]
		next := xref
		if k+1 < len(order) {
			next = offsets[order[k+1]]
		}
		if n < 0 || data+n > next {
			return nil, fmt.Errorf("pdf: object %d: bad length", i)
		}
		z.Reset()
		zw.Reset(&z)
		if _, err := zw.Write(pdf[data : data+n]); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		fmt.Fprintf(&out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", i, z.Len())
		out.Write(z.Bytes())
		copied = data + n
	}
	out.Write(pdf[copied:xref])
	start := out.Len()
	out.Write(pdf[xref:entries])
	for i := 0; i < count; i++ {
		if inUse[i] {
			fmt.Fprintf(&out, "%010d %s n \n", newOff[i], gens[i])
		} else {
			fmt.Fprintf(&out, "%010d %s f \n", offsets[i], gens[i])
		}
	}
	t := bytes.LastIndex(tail, []byte("startxref\n"))
	out.Write(tail[:t])
	fmt.Fprintf(&out, "startxref\n%d\n%%%%EOF\n", start)
	return out.Bytes(), nil
}
