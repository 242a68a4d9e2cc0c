package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"manglanh/internal/program"
)

// shopPage is what shop_show.html gets.
type shopPage struct {
	Shop        program.Shop
	Repeat      bool
	OutOfHours  bool
	Cert        string
	Flash       string
	CanWrite    bool
	Articles    []program.ViolationArticle // of the shop's kind
	Inspections []inspectionView
	// The inspection form: as typed after an error, with its rows.
	Form inspectionForm
	// ActionFor is the violation whose action form failed, with its values.
	ActionFor   int64
	Action      actionForm
	ActionKinds []string
}

// inspectionForm is the inspection form's values and errors.
type inspectionForm struct {
	Date     string
	Team     string
	Findings string
	Rows     []violationRow
	Errors   map[string]string
	Focus    string
}

// inspectionView is an inspection with its violations' words.
type inspectionView struct {
	program.Inspection
	Views []violationView
}

type violationView struct {
	program.Violation
	Title, Ref string
}

func inspectionViews(ins []program.Inspection, lang string) []inspectionView {
	var out []inspectionView
	for _, in := range ins {
		v := inspectionView{Inspection: in}
		for _, vi := range in.Violations {
			art, _ := program.ArticleByCode(vi.Article)
			v.Views = append(v.Views, violationView{Violation: vi, Title: articleTitle(vi.Article, lang), Ref: art.Article})
		}
		out = append(out, v)
	}
	return out
}

type violationRow struct {
	Label       string
	N           int
	Article     string
	Description string
}

type actionForm struct {
	Kind     string
	Date     string
	Fine     string
	FollowUp string
	Note     string
	Errors   map[string]string
	Focus    string
}

// inspectionRows is the number of violation rows the form starts with;
// "thêm dòng" adds two (up to the domain's 20).
const inspectionRows = 3

// shopShow shows a shop with its inspections, violations and actions.
func (s *Server) shopShow(w http.ResponseWriter, r *http.Request) {
	p := shopPage{}
	if ok := r.URL.Query().Get("ok"); ok != "" {
		p.Flash = s.shopFlash(r, ok)
	}
	p.Form = s.blankInspection(inspectionRows)
	s.renderShop(w, r, http.StatusOK, pathID(r, "id"), p)
}

func (s *Server) blankInspection(n int) inspectionForm {
	f := inspectionForm{Date: s.isoDay(time.Now())}
	for i := range n {
		f.Rows = append(f.Rows, violationRow{N: i})
	}
	return f
}

// shopFlash is the confirmation of ?ok=… ("" if unknown).
func (s *Server) shopFlash(r *http.Request, ok string) string {
	lang, q := langOf(r), r.URL.Query()
	switch ok {
	case "created", "updated":
		return T(lang, "shop.ok."+ok)
	case "inspected":
		n, _ := strconv.Atoi(q.Get("n"))
		return T(lang, "shop.ok.inspected", n)
	case "action":
		return T(lang, "shop.ok.action", T(lang, "shop.action."+q.Get("kind")))
	}
	return ""
}

func (s *Server) renderShop(w http.ResponseWriter, r *http.Request, status int, id int64, p shopPage) {
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	sh, err := s.cfg.Program.Shop(ctx, a, id)
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	ins, err := s.cfg.Program.Inspections(ctx, a, program.InspectionFilter{ShopID: id})
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	repeat, err := s.cfg.Program.RepeatOffenders(ctx, a)
	if err != nil {
		s.shopErr(w, r, err)
		return
	}
	p.Shop, p.Inspections, p.Repeat = *sh, inspectionViews(ins, langOf(r)), repeat[id]
	for i := range p.Form.Rows {
		p.Form.Rows[i].Label = T(langOf(r), "shop.ins.row", p.Form.Rows[i].N+1)
	}
	p.OutOfHours, p.Cert = program.OutOfHours(*sh), program.CertState(*sh, time.Now())
	p.CanWrite = a.Role != program.RoleViewer
	for _, art := range program.ViolationCatalogue() {
		if art.ShopKind == sh.Kind {
			p.Articles = append(p.Articles, art)
		}
	}
	p.ActionKinds = []string{program.ActionReminder, program.ActionFine, program.ActionFollowUp, program.ActionClosed}
	if p.Action.Date == "" {
		p.Action.Date = s.isoDay(time.Now())
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "shop_show", sh.Name, p)
}

// shopInspect records an inspection with its violations (all or nothing);
// "more" instead re-shows the form as typed with two more rows.
func (s *Server) shopInspect(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	id, lang := pathID(r, "id"), langOf(r)
	f := inspectionForm{Date: r.PostFormValue("date"), Team: r.PostFormValue("team"), Findings: r.PostFormValue("findings"), Errors: map[string]string{}}
	rows, _ := strconv.Atoi(r.PostFormValue("rows"))
	rows = min(max(rows, inspectionRows), 20)
	in := program.Inspection{ShopID: id, Team: f.Team, Findings: f.Findings}
	var index []int // form row of each violation
	for i := range rows {
		row := violationRow{N: i, Article: r.PostFormValue(fmt.Sprintf("v%d_article", i)), Description: r.PostFormValue(fmt.Sprintf("v%d_description", i))}
		f.Rows = append(f.Rows, row)
		if row.Article == "" && strings.TrimSpace(row.Description) == "" {
			continue
		}
		if row.Article == "" {
			f.Errors[fmt.Sprintf("v%d_article", i)] = T(lang, "shop.err.article")
		}
		index = append(index, i)
		in.Violations = append(in.Violations, program.Violation{Article: row.Article, Description: row.Description})
	}
	if r.PostFormValue("more") != "" {
		for i := rows; i < min(rows+2, 20); i++ {
			f.Rows = append(f.Rows, violationRow{N: i})
		}
		f.Errors = nil
		f.Focus = fmt.Sprintf("v%d_article", rows)
		s.renderShop(w, r, http.StatusOK, id, shopPage{Form: f})
		return
	}
	var ok bool
	if in.Date, ok = parseShopDay(f.Date, s.cfg.Location); !ok || in.Date.IsZero() {
		f.Errors["date"] = T(lang, "shop.err.date")
	}
	if len(f.Errors) == 0 {
		err := s.cfg.Program.RecordInspection(r.Context(), programActor(userFrom(r.Context())), &in)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/can-bo/co-so/%d?ok=inspected&n=%d#kt-%d", id, len(in.Violations), in.ID), http.StatusSeeOther)
			return
		}
		fe, _, isFE := fieldErrs(err, lang, nil)
		if !isFE {
			s.shopErr(w, r, err)
			return
		}
		for k, msg := range fe {
			// "v2.article" is the domain's name of the 3rd violation; the
			// form's is the row it came from.
			var n int
			var part string
			if _, e := fmt.Sscanf(k, "v%d.%s", &n, &part); e == nil && n < len(index) {
				k = fmt.Sprintf("v%d_%s", index[n], part)
			}
			f.Errors[k] = msg
		}
	}
	order := []string{"date", "team", "findings"}
	for i := range rows {
		order = append(order, fmt.Sprintf("v%d_article", i), fmt.Sprintf("v%d_description", i))
	}
	for _, k := range order {
		if _, bad := f.Errors[k]; bad {
			f.Focus = k
			break
		}
	}
	s.renderShop(w, r, http.StatusBadRequest, id, shopPage{Form: f})
}

// shopAction records an action on violation {vid} of inspection {id}.
func (s *Server) shopAction(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	ctx, a, lang := r.Context(), programActor(userFrom(r.Context())), langOf(r)
	vid := pathID(r, "vid")
	v, err := s.cfg.Program.Violation(ctx, a, vid)
	if err != nil || v.InspectionID != pathID(r, "id") {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	f := actionForm{Kind: r.PostFormValue("kind"), Date: r.PostFormValue("date"), Fine: r.PostFormValue("fine"),
		FollowUp: r.PostFormValue("follow_up"), Note: r.PostFormValue("note"), Errors: map[string]string{}}
	ac := program.Action{Kind: f.Kind, Note: f.Note}
	var ok bool
	if ac.Date, ok = parseShopDay(f.Date, s.cfg.Location); !ok {
		f.Errors["date"] = T(lang, "shop.err.date")
	}
	if ac.FollowUp, ok = parseShopDay(f.FollowUp, s.cfg.Location); !ok {
		f.Errors["follow_up"] = T(lang, "shop.err.date")
	}
	if fine := strings.NewReplacer(".", "", " ", "", ",", "", "₫", "").Replace(f.Fine); fine != "" {
		n, err := strconv.ParseInt(fine, 10, 64)
		if err != nil {
			f.Errors["fine"] = T(lang, "shop.err.fine")
		}
		ac.FineVND = n
	}
	if len(f.Errors) == 0 {
		err := s.cfg.Program.AddAction(ctx, a, vid, &ac)
		if err == nil {
			http.Redirect(w, r, fmt.Sprintf("/can-bo/co-so/%d?ok=action&kind=%s#vp-%d", v.ShopID, ac.Kind, vid), http.StatusSeeOther)
			return
		}
		fe, _, isFE := fieldErrs(err, lang, nil)
		if !isFE {
			s.shopErr(w, r, err)
			return
		}
		f.Errors = fe
	}
	for _, k := range []string{"kind", "date", "fine", "follow_up", "note"} {
		if _, bad := f.Errors[k]; bad {
			f.Focus = k
			break
		}
	}
	s.renderShop(w, r, http.StatusBadRequest, v.ShopID, shopPage{Form: s.blankInspection(inspectionRows), ActionFor: vid, Action: f})
}
