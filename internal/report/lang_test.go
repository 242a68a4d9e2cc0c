package report

import (
	"strings"
	"testing"
	"unicode"

	"manglanh/internal/program"
)

func docText(d *Document) string {
	var b strings.Builder
	b.WriteString(d.Title + "\n" + d.RecipientsLabel + "\n")
	for _, s := range []string{d.Header.Authority, d.Header.Body, d.Header.Number, d.Header.Nation, d.Header.Motto, d.Header.PlaceDate} {
		b.WriteString(s + "\n")
	}
	for _, s := range append(append(d.Summary, d.Recipients...), d.Signer.Lines...) {
		b.WriteString(s + "\n")
	}
	for _, bl := range append(d.Blocks, d.Annex...) {
		if bl.Para != nil {
			b.WriteString(bl.Para.Text + "\n")
		}
		if bl.Table != nil {
			b.WriteString(bl.Table.Caption + "\n" + strings.Join(bl.Table.Header, " | ") + "\n")
			for _, r := range bl.Table.Rows {
				b.WriteString(strings.Join(r, " | ") + "\n")
			}
		}
	}
	return b.String()
}

// With Lang "en" every fixed text is English: headings, table heads,
// generated sentences, labels and numbers. What the officer typed and the
// names of places stay as they are.
func TestBuildEnglish(t *testing.T) {
	in := sample()
	in.Lang = "en"
	v := *in.Version
	v.Title, v.Basis, v.Narratives, v.Recipients, v.Signature = "", "", nil, nil, program.Signature{}
	in.Version = &v
	f := *in.Figures
	f.Indicators = append([]program.IndicatorResult(nil), f.Indicators...)
	f.Indicators[0].NameEN, f.Indicators[1].NameEN = "Schools with activities", "Reports handled"
	in.Figures = &f
	text := docText(Build(in))
	for _, want := range []string{
		"REPORT", "Recipients:", "PEOPLE'S COMMITTEE", "SOCIALIST REPUBLIC OF VIET NAM", "No.: 05/BC-UBND",
		"Phù Liễn, 5 January 2026",
		"I. THE SITUATION AFFECTING THE PROTECTION OF CHILDREN ONLINE IN 2025",
		"II. RESULTS", "III. ASSESSMENT, PROPOSALS AND TASKS FOR 2026", "3.2. Tasks proposed for the programme of 2026",
		"12 communication sessions were held at schools", "350 pupils (90 primary pupils, 260 lower-secondary pupils)",
		"410 pupil attendances", "21 themed meetings", "5 special sessions",
		"94% of the ward's primary and lower-secondary pupils", "(329/350 pupils",
		"fines totalling 4,500,000 VND", "blocked 123,456 look-ups", "6/7 cases met every deadline (85.7%)",
		"Activities by kind", "Pupils reached by school", "Reports received by risk category", "Results against the targets",
		"School | Activities | Primary | Lower secondary | Share", "Total", "Not met", "1/2 of the Programme's targets",
		"ANNEX", "Activities", "No. | Date | Kind | Place | Topic | Participants", "ON BEHALF OF THE PEOPLE'S COMMITTEE", "CHAIRMAN",
		"[Describe the telecoms", "Schools with activities",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("English report lacks %q", want)
		}
	}
	// No Vietnamese is left once the names are taken out.
	rest := text
	for _, name := range []string{"Phường Phù Liễn", "PHƯỜNG PHÙ LIỄN", "Phù Liễn", "Trường Tiểu học", "Trường THCS", "Bắc Sơn",
		"Công an phường", "NĐ-CP",
		// typed data: an activity's topic, a shop's name, a violation's description
		"An toàn trên mạng", "Tiệm", "mở quá giờ", "“", "”", "–"} {
		rest = strings.ReplaceAll(rest, name, "")
	}
	for _, line := range strings.Split(rest, "\n") {
		for _, r := range line {
			if r > unicode.MaxASCII {
				t.Errorf("non-English text left: %q", line)
				break
			}
		}
	}

	// Vietnamese stays the default: "" and anything but "en".
	for _, l := range []string{"", "vi", "fr"} {
		in.Lang = l
		if vi := docText(Build(in)); !strings.Contains(vi, "BÁO CÁO") || !strings.Contains(vi, "12 buổi truyền thông") || strings.Contains(vi, "REPORT") {
			t.Errorf("Lang %q is not the Vietnamese document", l)
		}
	}
}
