package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"manglanh/internal/program"
)

// shopFormPage is what shop_form.html gets: the shop as typed, the errors
// by field and the field that has the focus.
type shopFormPage struct {
	Shop     program.Shop
	Issued   string // yyyy-mm-dd for <input type="date">
	Expires  string
	Errors   map[string]string
	Focus    string
	Conflict bool
	Fields   []formField
}

// formField is one text input of a form with its error beside it.
type formField struct {
	Name, Label, Value, Err, Type, Hint string
	Max                                 int
	Focus                               bool
}

var shopFieldOrder = []string{"kind", "name", "address", "owner", "phone", "certificate", "cert_issued", "cert_expires", "opens", "closes", "machines", "notes"}

// shopForm shows the new-shop form, or the edit form of {id}.
func (s *Server) shopForm(w http.ResponseWriter, r *http.Request) {
	p := shopFormPage{Shop: program.Shop{Kind: program.ShopGame, Active: true}}
	if r.PathValue("id") != "" {
		sh, err := s.cfg.Program.Shop(r.Context(), programActor(userFrom(r.Context())), pathID(r, "id"))
		if err != nil {
			s.shopErr(w, r, err)
			return
		}
		p.Shop = *sh
	}
	p.Issued, p.Expires = s.isoDay(p.Shop.CertIssued), s.isoDay(p.Shop.CertExpires)
	s.renderShopForm(w, r, http.StatusOK, p)
}

func (s *Server) renderShopForm(w http.ResponseWriter, r *http.Request, status int, p shopFormPage) {
	lang := langOf(r)
	sh := p.Shop
	for _, f := range []formField{
		{Name: "name", Value: sh.Name, Type: "text", Max: 200},
		{Name: "address", Value: sh.Address, Type: "text", Max: 300},
		{Name: "owner", Value: sh.Owner, Type: "text", Max: 200},
		{Name: "phone", Value: sh.Phone, Type: "tel", Max: 20},
		{Name: "certificate", Value: sh.Certificate, Type: "text", Max: 100},
		{Name: "cert_issued", Value: p.Issued, Type: "date", Max: 10, Hint: T(lang, "shop.cert_hint")},
		{Name: "cert_expires", Value: p.Expires, Type: "date", Max: 10},
		{Name: "opens", Value: sh.Opens, Type: "text", Max: 5, Hint: T(lang, "shop.hours_hint", program.GameOpens, program.GameCloses)},
		{Name: "closes", Value: sh.Closes, Type: "text", Max: 5},
		{Name: "machines", Value: strconv.Itoa(sh.Machines), Type: "number", Max: 5},
	} {
		f.Label, f.Err, f.Focus = T(lang, "shop."+f.Name), p.Errors[f.Name], p.Focus == f.Name
		p.Fields = append(p.Fields, f)
	}
	title := T(langOf(r), "shop.new")
	if p.Shop.ID != 0 {
		title = T(langOf(r), "shop.edit")
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "shop_form", title, p)
}

// shopSave adds or saves a shop, then shows it.
func (s *Server) shopSave(w http.ResponseWriter, r *http.Request) {
	if _, err := parseBody(w, r); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "badrequest")
		return
	}
	lang, loc := langOf(r), s.cfg.Location
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	sh := program.Shop{Kind: v("kind"), Name: v("name"), Address: v("address"), Owner: v("owner"), Phone: v("phone"),
		Certificate: v("certificate"), Opens: v("opens"), Closes: v("closes"), Notes: r.PostFormValue("notes"),
		Active: v("active") == "1"}
	p := shopFormPage{Issued: v("cert_issued"), Expires: v("cert_expires"), Errors: map[string]string{}}
	if r.PathValue("id") != "" {
		sh.ID = pathID(r, "id")
		sh.Version, _ = strconv.ParseInt(v("version"), 10, 64)
	}
	var ok bool
	if sh.CertIssued, ok = parseShopDay(p.Issued, loc); !ok {
		p.Errors["cert_issued"] = T(lang, "shop.err.date")
	}
	if sh.CertExpires, ok = parseShopDay(p.Expires, loc); !ok {
		p.Errors["cert_expires"] = T(lang, "shop.err.date")
	}
	if m := v("machines"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			p.Errors["machines"] = T(lang, "shop.err.machines")
		}
		sh.Machines = n
	}
	p.Shop = sh
	if len(p.Errors) > 0 {
		for _, k := range shopFieldOrder {
			if _, bad := p.Errors[k]; bad && p.Focus == "" {
				p.Focus = k
			}
		}
		s.renderShopForm(w, r, http.StatusBadRequest, p)
		return
	}
	ctx, a := r.Context(), programActor(userFrom(r.Context()))
	var err error
	if sh.ID == 0 {
		err = s.cfg.Program.CreateShop(ctx, a, &sh)
	} else {
		err = s.cfg.Program.UpdateShop(ctx, a, &sh)
	}
	if err != nil {
		if fe, focus, ok := fieldErrs(err, lang, shopFieldOrder); ok {
			p.Shop, p.Errors, p.Focus = sh, fe, focus
			s.renderShopForm(w, r, http.StatusBadRequest, p)
			return
		}
		if errors.Is(err, program.ErrConflict) {
			p.Shop, p.Conflict = sh, true
			s.renderShopForm(w, r, http.StatusConflict, p)
			return
		}
		s.shopErr(w, r, err)
		return
	}
	k := "updated"
	if r.PathValue("id") == "" {
		k = "created"
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/co-so/%d?ok=%s#co-so", sh.ID, k), http.StatusSeeOther)
}
