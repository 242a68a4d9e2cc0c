package report

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"manglanh/internal/program"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

const hostile = "Tiệm <w:p>&amp; =CMD() \x01\x07\u202eNET\u202c\u200f"

// sample is a year's report with figures a test chose: 12 communication
// sessions, 350 pupils reached, 94 % coverage, 13 violations handled.
func sample() Input {
	p := program.Days(time.Date(2025, 1, 1, 0, 0, 0, 0, hcm), time.Date(2025, 12, 31, 0, 0, 0, 0, hcm), hcm)
	f := &program.Figures{
		Format: program.FiguresFormat,
		Wards:  []program.TenantRef{{Code: "11506", Name: "Phường Phù Liễn"}},
		Period: p,
		Activities: program.ActivityFigures{
			Total:        12 + 21 + 5 + 2,
			ByKind:       map[string]int{program.KindCommunication: 12, program.KindThemedMeeting: 21, program.KindSpecial: 5, program.KindTraining: 2},
			Participants: map[string]int{program.GroupPupils: 900, program.GroupParents: 300},
			ParticipantsByKind: map[string]map[string]int{program.KindCommunication: {program.GroupPupils: 410},
				program.KindThemedMeeting: {program.GroupPupils: 490, program.GroupParents: 300}},
			ByPlace: map[string]int{program.PlaceSchool: 20, program.PlaceResidential: 10},
		},
		Coverage: program.CoverageFigures{
			Pupils:  program.Ratio{Num: 329, Den: 350},
			ByLevel: map[string]program.Ratio{program.LevelPrimary: {Num: 100, Den: 110}, program.LevelLowerSecondary: {Num: 229, Den: 240}},
			Schools: program.Ratio{Num: 2, Den: 3}, SchoolsNoEnrolment: 1, ReachedNoEnrolment: 21,
			ReachedByKind: map[string]map[string]int{program.KindCommunication: {program.LevelPrimary: 90, program.LevelLowerSecondary: 260},
				program.KindThemedMeeting: {program.LevelLowerSecondary: 229}},
			BySchool: []program.SchoolCoverage{
				{SchoolID: 1, Name: "Trường Tiểu học Phù Liễn", Activities: 8, Reached: map[string]int{program.LevelPrimary: 100}, Enrolled: map[string]int{program.LevelPrimary: 110}},
				{SchoolID: 2, Name: "Trường THCS Phù Liễn", Activities: 9, Reached: map[string]int{program.LevelLowerSecondary: 229}, Enrolled: map[string]int{program.LevelLowerSecondary: 240}},
				{SchoolID: 3, Name: "Trường THCS Bắc Sơn", Activities: 1, Reached: map[string]int{program.LevelLowerSecondary: 21}},
			},
		},
		Cases: program.CaseFigures{Received: 7, Urgent: 1, ByCategory: map[string]int{"scam": 4, "gambling": 2, "grooming": 1},
			Handled: 7, Supported: 3, Referred: 2, InTime: program.Ratio{Num: 6, Den: 7},
			Deadlines: map[string]program.DeadlineFigure{"emergency": {Met: 1}, "plan": {Met: 2, Missed: 1}}},
		Shops:  program.ShopFigures{Registered: 9, Inspections: 15, ShopsInspected: 8, Violations: 14, Handled: 13, ByAction: map[string]int{program.ActionReminder: 10, program.ActionFine: 3}, FinesVND: 4500000, RepeatOffenders: 2},
		Alerts: program.AlertFigures{Raised: 40, ByCategory: map[string]int{"scam": 30, "adult": 10}},
		DNS:    program.DNSFigures{DevicesProtected: 812, Profiles: 300, Blocked: 123456, BlockedByCategory: map[string]int64{"adult": 100000, "gambling": 23456}},
		Indicators: []program.IndicatorResult{
			{Code: "T1", NameVI: "Trường học có hoạt động", Unit: "percent", Target: 100, Value: program.Ratio{Num: 2, Den: 3}, Known: true},
			{Code: "T3", NameVI: "Phản ánh được xử lý", Unit: "percent", Target: 100, Value: program.Ratio{Num: 7, Den: 7}, Known: true, Met: true},
		},
	}
	v := &program.ReportVersion{
		Period: p, Version: 2, Number: "05/BC-UBND", Place: "Phù Liễn", Date: time.Date(2026, 1, 5, 0, 0, 0, 0, hcm),
		Title:      "Kết quả thực hiện Chương trình “Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, sáng tạo trên môi trường mạng” năm 2025",
		Basis:      "Thực hiện Công văn số 2386/CATP-ANM ngày 18/9/2025 của Công an thành phố Hải Phòng, Ủy ban nhân dân phường Phù Liễn báo cáo như sau:",
		Recipients: []string{"Như kính gửi;", "Chủ tịch, các PCT UBND phường;", "Lưu: VT, VHXH."},
		Signature:  program.Signature{Capacity: "TM. ỦY BAN NHÂN DÂN", Deputy: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Nguyễn Văn A"},
		Narratives: map[string]string{NarrTelecom: "Hạ tầng viễn thông phủ khắp địa bàn.\n\nHầu hết học sinh có điện thoại.", NarrDirection: ""},
	}
	acts := []program.Activity{{Kind: program.KindCommunication, Date: time.Date(2025, 3, 4, 0, 0, 0, 0, hcm),
		Places: []program.Place{{Kind: program.PlaceSchool, Name: "Trường THCS Phù Liễn"}}, Topic: "An toàn trên mạng",
		Participants: []program.Participant{{Group: program.GroupPupils, Level: program.LevelLowerSecondary, Grade: 8, Count: 120}}}}
	ins := []program.Inspection{{ShopID: 7, Date: time.Date(2025, 5, 6, 0, 0, 0, 0, hcm), Team: "Công an phường",
		Violations: []program.Violation{{Article: "174-game-hours", Description: "mở quá giờ", Actions: []program.Action{{Kind: program.ActionReminder}}}}}}
	return Input{Version: v, Figures: f, Activities: acts, Inspections: ins, Shops: map[int64]string{7: hostile}}
}

func docxPart(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r)
			return b
		}
	}
	t.Fatalf("no %s in the docx", name)
	return nil
}

// wellFormed decodes every part as XML.
func wellFormed(t *testing.T, data []byte) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		r, _ := f.Open()
		dec := xml.NewDecoder(r)
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
	}
}

func TestBuildFigures(t *testing.T) {
	d := Build(sample())
	var all strings.Builder
	for _, b := range append(d.Blocks, d.Annex...) {
		if b.Para != nil {
			all.WriteString(b.Para.Text + "\n")
		}
	}
	text := all.String()
	for _, want := range []string{
		"Đã tổ chức được 12 buổi truyền thông tại trường học về kỹ năng",
		"350 học sinh (90 học sinh Tiểu học, 260 học sinh THCS) được tuyên truyền tại các buổi truyền thông",
		"410 lượt học sinh tham gia",
		"đạt 94% (329/350 học sinh",
		"1 trường chưa có số liệu sĩ số, 21 học sinh",
		"đã xử lý, nhắc nhở 13 trường hợp vi phạm",
		"Tổ chức 21 buổi sinh hoạt chuyên đề",
		"Tổ chức được 05 buổi tuyên truyền chuyên đề",
		"tổng số tiền phạt 4.500.000 đồng",
		"đã chặn 123.456 lượt truy cập",
		"6/7 trường hợp đúng hạn",
		"Hạ tầng viễn thông phủ khắp địa bàn.",
		"I. TÌNH HÌNH TÁC ĐỘNG ĐẾN BẢO VỆ TRẺ EM TRÊN MÔI TRƯỜNG MẠNG TRONG NĂM 2025",
		"III. NHẬN XÉT, ĐÁNH GIÁ VÀ KIẾN NGHỊ, ĐỀ XUẤT NHIỆM VỤ NĂM 2026",
		"Đạt 1/2 chỉ tiêu",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// II.1's narrative was emptied on purpose: no prompt printed for it,
	// a prompt for a section never written.
	if strings.Contains(text, "[Nêu các kế hoạch") {
		t.Error("an emptied narrative printed its prompt")
	}
	if !strings.Contains(text, "[Nêu các thủ đoạn") {
		t.Error("an absent narrative did not print its prompt")
	}
	if d.Header.PlaceDate != "Phù Liễn, ngày 05 tháng 01 năm 2026" || d.Header.Body != "PHƯỜNG PHÙ LIỄN" {
		t.Errorf("header %+v", d.Header)
	}
}

func TestUnmeasurableSaysSo(t *testing.T) {
	in := sample()
	in.Figures.Coverage = program.CoverageFigures{}
	d := Build(in)
	var text strings.Builder
	for _, b := range d.Blocks {
		if b.Para != nil {
			text.WriteString(b.Para.Text + "\n")
		}
	}
	if !strings.Contains(text.String(), "chưa có số liệu sĩ số") {
		t.Error("no 'chưa có số liệu sĩ số' without enrolment")
	}
	if strings.Contains(text.String(), "đạt 0%") {
		t.Error("an unmeasurable coverage printed as 0 %")
	}
}

func TestPeriodPhrase(t *testing.T) {
	d := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, hcm) }
	for _, c := range []struct {
		from, to   time.Time
		this, next string
	}{
		{d(2021, 1, 1), d(2025, 12, 31), "giai đoạn 2021 – 2025", "giai đoạn 2026 – 2030"},
		{d(2025, 1, 1), d(2025, 12, 31), "năm 2025", "năm 2026"},
		{d(2025, 1, 1), d(2025, 6, 30), "6 tháng đầu năm 2025", ""},
		{d(2025, 7, 1), d(2025, 9, 30), "quý III năm 2025", ""},
		{d(2025, 3, 5), d(2025, 4, 9), "từ ngày 05/03/2025 đến ngày 09/04/2025", ""},
	} {
		this, next := periodPhrase(program.Days(c.from, c.to, hcm))
		if this != c.this || next != c.next {
			t.Errorf("%v–%v: %q, %q; want %q, %q", c.from, c.to, this, next, c.this, c.next)
		}
	}
}

// skeleton is document.xml reduced to its structure: paragraphs with
// their style, tables with their rows and cells, header/signature tables.
func skeleton(t *testing.T, docXML []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(docXML))
	var b strings.Builder
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl", "tr", "tc", "p", "sectPr":
				b.WriteString(strings.Repeat("  ", depth) + e.Name.Local)
				depth++
				if e.Name.Local != "p" {
					b.WriteString("\n")
				}
			case "pStyle", "jc", "headerReference", "pgMar", "pgSz":
				b.WriteString(" " + e.Name.Local)
				for _, a := range e.Attr {
					if a.Name.Local != "id" {
						b.WriteString(":" + a.Value)
					}
				}
				if strings.HasPrefix(e.Name.Local, "pg") || e.Name.Local == "headerReference" {
					b.WriteString("\n")
				}
			case "tblHeader", "titlePg", "b", "i", "u":
				b.WriteString(" " + e.Name.Local)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "tbl", "tr", "tc", "p", "sectPr":
				depth--
				if e.Name.Local == "p" {
					b.WriteString("\n")
				}
			}
		}
	}
	return b.String()
}

func TestDOCXGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Build(sample()).WriteDOCX(&buf); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, buf.Bytes())
	got := skeleton(t, docxPart(t, buf.Bytes(), "word/document.xml"))
	path := filepath.Join("testdata", "document.skeleton")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("document.xml skeleton changed (go test -run TestDOCXGolden -update to accept):\n%s", got)
	}
	styles := string(docxPart(t, buf.Bytes(), "word/styles.xml"))
	for _, want := range []string{`w:ascii="Times New Roman"`, `w:firstLine="720"`, `w:after="120"`, `<w:jc w:val="both"/>`} {
		if !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	doc := string(docxPart(t, buf.Bytes(), "word/document.xml"))
	for _, want := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:left="1701"`, `w:right="851"`, `<w:titlePg/>`, `<w:tblHeader/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
}

func TestHostileText(t *testing.T) {
	in := sample()
	in.Version.Narratives[NarrCrime] = "a\x00b <w:p>&]]> \uFFFE c"
	d := Build(in)
	var docx, pdf bytes.Buffer
	if err := d.WriteDOCX(&docx); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, docx.Bytes())
	doc := string(docxPart(t, docx.Bytes(), "word/document.xml"))
	if !strings.Contains(doc, "Tiệm &lt;w:p&gt;&amp;amp; =CMD() NET") {
		t.Errorf("the hostile shop name is not escaped text in document.xml")
	}
	if strings.ContainsAny(doc, "\x00\x01\x07\u202e\u200f") {
		t.Error("control or bidi characters reached document.xml")
	}
	if err := d.WritePDF(&pdf); err != nil {
		t.Fatal(err)
	}
}

// TestFontsCoverVietnamese checks that each bundled font maps every
// letter of the Vietnamese alphabet, with the five tones, in both cases.
func TestFontsCoverVietnamese(t *testing.T) {
	letters := "aăâeêioôơuưy"
	tones := []string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
	var want []rune
	for _, l := range letters {
		for _, tn := range tones {
			for _, s := range []string{string(l) + tn, strings.ToUpper(string(l)) + tn} {
				want = append(want, []rune(nfc(s))...)
			}
		}
	}
	want = append(want, []rune("đĐbcdghklmnpqrstvx“”–")...)
	for name, data := range map[string][]byte{"Regular": serifRegular, "Bold": serifBold, "Italic": serifItalic, "BoldItalic": serifBoldItalic} {
		cmap, err := parseCmap(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range want {
			if !cmap[r] {
				t.Errorf("%s lacks %q (U+%04X)", name, r, r)
			}
		}
	}
}

// nfc composes base+combining tone for the letters above by looking the
// pair up in the fonts' own precomposed table (Vietnamese letters are all
// precomposed in Unicode): golang.org/x/text/unicode/norm does this.
func nfc(s string) string { return normNFC(s) }

// parseCmap reads a TrueType font's format-4 Unicode cmap.
func parseCmap(data []byte) (map[rune]bool, error) {
	be := binary.BigEndian
	n := int(be.Uint16(data[4:]))
	var cmapOff int
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		if string(rec[:4]) == "cmap" {
			cmapOff = int(be.Uint32(rec[8:]))
		}
	}
	if cmapOff == 0 {
		return nil, errors.New("no cmap")
	}
	c := data[cmapOff:]
	for i := 0; i < int(be.Uint16(c[2:])); i++ {
		rec := c[4+8*i:]
		if be.Uint16(rec) == 3 && be.Uint16(rec[2:]) == 1 {
			sub := c[be.Uint32(rec[4:]):]
			if be.Uint16(sub) != 4 {
				continue
			}
			seg := int(be.Uint16(sub[6:])) / 2
			ends, starts := sub[14:], sub[16+2*seg:]
			deltas, ranges := sub[16+4*seg:], sub[16+6*seg:]
			out := map[rune]bool{}
			for s := 0; s < seg; s++ {
				end, start := int(be.Uint16(ends[2*s:])), int(be.Uint16(starts[2*s:]))
				delta, ro := int(int16(be.Uint16(deltas[2*s:]))), int(be.Uint16(ranges[2*s:]))
				for ch := start; ch <= end && ch != 0xFFFF; ch++ {
					g := 0
					if ro == 0 {
						g = (ch + delta) & 0xFFFF
					} else {
						idx := 16 + 6*seg + 2*s + ro + 2*(ch-start)
						g = int(be.Uint16(sub[idx:]))
						if g != 0 {
							g = (g + delta) & 0xFFFF
						}
					}
					if g != 0 {
						out[rune(ch)] = true
					}
				}
			}
			return out, nil
		}
	}
	return nil, errors.New("no format-4 Unicode cmap")
}

var spaces = regexp.MustCompile(`\s+`)

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v\n%s", path, err, out)
	}
	return spaces.ReplaceAllString(string(out), " ")
}

// TestLibreOfficeAndPDFText converts the DOCX with LibreOffice and reads
// both PDFs back as text.
func TestLibreOfficeAndPDFText(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("MANGLANH_TEST_ALL") == "" {
			t.Skip("soffice not installed (Debian libreoffice-writer); set MANGLANH_TEST_ALL=1 to require it")
		}
		t.Fatal("MANGLANH_TEST_ALL is set and soffice is missing: install libreoffice-writer")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext missing (Debian poppler-utils)")
	}
	dir := t.TempDir()
	d := Build(sample())
	var docx, pdf bytes.Buffer
	if err := d.WriteDOCX(&docx); err != nil {
		t.Fatal(err)
	}
	if err := d.WritePDF(&pdf); err != nil {
		t.Fatal(err)
	}
	docxPath := filepath.Join(dir, "report.docx")
	ownPDF := filepath.Join(dir, "own.pdf")
	if err := os.WriteFile(docxPath, docx.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ownPDF, pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"), "--convert-to", "pdf", "--outdir", dir, docxPath)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	loPDF := filepath.Join(dir, "report.pdf")
	if os.Getenv("MANGLANH_KEEP_REPORT") != "" {
		for _, p := range []string{docxPath, ownPDF, loPDF} {
			b, _ := os.ReadFile(p)
			_ = os.WriteFile(filepath.Join(os.Getenv("MANGLANH_KEEP_REPORT"), filepath.Base(p)), b, 0o644)
		}
	}
	for name, path := range map[string]string{"LibreOffice": loPDF, "WritePDF": ownPDF} {
		text := pdfText(t, path)
		for _, want := range []string{
			"Độc lập - Tự do - Hạnh phúc", "TM. ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
			"Số: 05/BC-UBND", "Phù Liễn, ngày 05 tháng 01 năm 2026", "BÁO CÁO", "Nơi nhận:",
			"12 buổi truyền thông", "350 học sinh", "94%", "13 trường hợp vi phạm",
			"Tiệm <w:p>&amp;", "=CMD() NET", "Nguyễn Văn A",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF text lacks %q", name, want)
			}
		}
	}
}

func BenchmarkBuildReport(b *testing.B) {
	in := sample()
	day := in.Figures.Period.From
	in.Activities = make([]program.Activity, 10000)
	for i := range in.Activities {
		in.Activities[i] = program.Activity{Kind: program.ActivityKinds()[i%8], Date: day.AddDate(0, 0, i%365),
			Places: []program.Place{{Kind: program.PlaceSchool, Name: "Trường THCS Phù Liễn"}}, Topic: "Kỹ năng an toàn trên mạng cho học sinh lớp 8",
			Participants: []program.Participant{{Group: program.GroupPupils, Count: 30}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		d := Build(in)
		if err := d.WriteDOCX(io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := d.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
