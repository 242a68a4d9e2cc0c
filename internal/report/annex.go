package report

import (
	"strings"

	"manglanh/internal/program"
)

// annex adds the lists of the period's activities and inspections after
// the signature. The inspections name the shop (a hostile name is only
// text: clean removes what could break a format, the writers escape the
// rest).
func (d *Document) annex(l lang, in Input, f *program.Figures) {
	if len(in.Activities) == 0 && len(in.Inspections) == 0 {
		return
	}
	add := func(b Block) { d.Annex = append(d.Annex, b) }
	add(Block{Para: &Paragraph{Style: StyleCaption, Text: l.t("PHỤ LỤC", "ANNEX")}})
	number := strings.TrimPrefix(strings.TrimPrefix(d.Header.Number, "Số: "), "No.: ")
	add(Block{Para: &Paragraph{Style: StyleNote, Text: clean(l.t("(Kèm theo Báo cáo "+number+" – số liệu "+periodText(f)+")",
		"(Attached to Report "+number+" – figures for "+periodText(f)+")"))}})
	if len(in.Activities) > 0 {
		t := &Table{Caption: l.t("Danh sách hoạt động", "Activities"),
			Header: []string{l.t("STT", "No."), l.t("Ngày", "Date"), l.t("Hình thức", "Kind"), l.t("Địa điểm", "Place"), l.t("Nội dung", "Topic"), l.t("Người tham gia", "Participants")},
			Widths: []float64{0.6, 1.6, 1.5, 2.1, 2.8, 1.4}, Numeric: []bool{true, false, false, false, false, true}}
		t.Rows = make([][]string, 0, len(in.Activities))
		for i := range in.Activities {
			a := &in.Activities[i]
			places := make([]string, 0, len(a.Places))
			for _, p := range a.Places {
				if p.Name != "" {
					places = append(places, p.Name)
				} else {
					places = append(places, l.place(p.Kind))
				}
			}
			who := l.n(a.Total())
			if a.Copies > 0 && a.Total() == 0 {
				who = l.n(a.Copies) + l.t(" bản/lượt", " copies/runs")
			}
			t.Rows = append(t.Rows, []string{l.n(i + 1), dateVN(a.Date), l.kind(a.Kind), strings.Join(places, "; "), a.Topic, who})
		}
		d.table(t)
		d.Annex = append(d.Annex, d.Blocks[len(d.Blocks)-1])
		d.Blocks = d.Blocks[:len(d.Blocks)-1]
	}
	if len(in.Inspections) > 0 {
		t := &Table{Caption: l.t("Kiểm tra cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử", "Inspections of internet and game shops"),
			Header: []string{l.t("STT", "No."), l.t("Ngày", "Date"), l.t("Cơ sở", "Shop"), l.t("Đoàn kiểm tra", "Team"), l.t("Vi phạm", "Violations"), l.t("Xử lý", "Actions")},
			Widths: []float64{0.6, 1.6, 2.4, 1.9, 2.3, 1.4}, Numeric: []bool{true, false, false, false, false, false}}
		for i := range in.Inspections {
			x := &in.Inspections[i]
			var vs, acts []string
			for _, v := range x.Violations {
				s := v.Article
				if v.Description != "" {
					s += ": " + v.Description
				}
				vs = append(vs, s)
				for _, a := range v.Actions {
					acts = append(acts, l.action(a.Kind))
				}
			}
			viol := l.t("Không", "None")
			if len(vs) > 0 {
				viol = strings.Join(vs, "; ")
			}
			t.Rows = append(t.Rows, []string{l.n(i + 1), dateVN(x.Date), in.Shops[x.ShopID], x.Team, viol, strings.Join(acts, ", ")})
		}
		d.table(t)
		d.Annex = append(d.Annex, d.Blocks[len(d.Blocks)-1])
		d.Blocks = d.Blocks[:len(d.Blocks)-1]
	}
}

func periodText(f *program.Figures) string {
	if f.Period.From.IsZero() {
		return ""
	}
	return f.Period.String()
}
