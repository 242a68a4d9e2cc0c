package report

import (
	"strings"

	"manglanh/internal/program"
)

// annex adds the lists of the period's activities and inspections after
// the signature. The inspections name the shop (a hostile name is only
// text: clean removes what could break a format, the writers escape the
// rest).
func (d *Document) annex(in Input, f *program.Figures) {
	if len(in.Activities) == 0 && len(in.Inspections) == 0 {
		return
	}
	add := func(b Block) { d.Annex = append(d.Annex, b) }
	add(Block{Para: &Paragraph{Style: StyleCaption, Text: "PHỤ LỤC"}})
	add(Block{Para: &Paragraph{Style: StyleNote, Text: clean("(Kèm theo Báo cáo " + strings.TrimPrefix(d.Header.Number, "Số: ") + " – số liệu " + periodText(f) + ")")}})
	if len(in.Activities) > 0 {
		t := &Table{Caption: "Danh sách hoạt động", Header: []string{"STT", "Ngày", "Hình thức", "Địa điểm", "Nội dung", "Người tham gia"},
			Widths: []float64{0.6, 1.6, 1.5, 2.1, 2.8, 1.4}, Numeric: []bool{true, false, false, false, false, true}}
		t.Rows = make([][]string, 0, len(in.Activities))
		for i := range in.Activities {
			a := &in.Activities[i]
			places := make([]string, 0, len(a.Places))
			for _, p := range a.Places {
				if p.Name != "" {
					places = append(places, p.Name)
				} else {
					places = append(places, orLabel(placeLabels, p.Kind))
				}
			}
			who := num(a.Total())
			if a.Copies > 0 && a.Total() == 0 {
				who = num(a.Copies) + " bản/lượt"
			}
			t.Rows = append(t.Rows, []string{num(i + 1), dateVN(a.Date), orLabel(kindLabels, a.Kind), strings.Join(places, "; "), a.Topic, who})
		}
		d.table(t)
		d.Annex = append(d.Annex, d.Blocks[len(d.Blocks)-1])
		d.Blocks = d.Blocks[:len(d.Blocks)-1]
	}
	if len(in.Inspections) > 0 {
		t := &Table{Caption: "Kiểm tra cơ sở kinh doanh dịch vụ Internet, trò chơi điện tử", Header: []string{"STT", "Ngày", "Cơ sở", "Đoàn kiểm tra", "Vi phạm", "Xử lý"},
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
					acts = append(acts, orLabel(actionLabels, a.Kind))
				}
			}
			viol := "Không"
			if len(vs) > 0 {
				viol = strings.Join(vs, "; ")
			}
			t.Rows = append(t.Rows, []string{num(i + 1), dateVN(x.Date), in.Shops[x.ShopID], x.Team, viol, strings.Join(acts, ", ")})
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
