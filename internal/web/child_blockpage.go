package web

import (
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"manglanh/internal/family"
)

// blockPageTmpl is the short page a browser shows when the DNS server
// answered a blocked name with the portal's address (dns.block_page_ipv4)
// and the browser asked for it over plain HTTP. It stands alone (no
// layout): the page is shown under the blocked site's name, so every link
// points at the portal's own address.
var blockPageTmpl = template.Must(template.New("block").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title></head>
<body>
<main>
<h1>{{.Title}}</h1>
{{with .Category}}<p>{{.}}</p>{{end}}
<p>{{.Child}}</p>
{{if .Portal}}<p><a href="{{.Portal}}">{{.PortalText}}</a></p>{{end}}
<p>{{.Help}}</p>
</main>
</body></html>`))

type blockPageData struct {
	Lang, Title, Category, Child, Portal, PortalText, Help string
}

// portalHost is the host name of web.base_url ("" when unset).
func (s *Server) portalHost() string {
	u, err := url.Parse(s.cfg.BaseURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// blockPage answers plain-HTTP requests whose Host is not the portal's
// own: those are blocked sites the DNS server sent here. The portal's own
// host, an IP address and localhost always pass through, so a staff or
// parent page is never replaced; without web.base_url the portal cannot
// tell and everything passes through.
func (s *Server) blockPage(next http.Handler) http.Handler {
	own := s.portalHost()
	if own == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := strings.ToLower(r.Host)
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
		_, ipErr := netip.ParseAddr(host)
		if r.TLS != nil || host == "" || host == own || ipErr == nil || host == "localhost" {
			next.ServeHTTP(w, r)
			return
		}
		d, ok := family.NormalizeDomain(host)
		if !ok {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return
		}
		lang := langOf(r)
		data := blockPageData{Lang: lang, Title: T(lang, "block.title", d), Child: T(lang, "block.child"),
			Help: T(lang, "block.help", s.cfg.Ward.Hotline), PortalText: T(lang, "block.portal"),
			Portal: strings.TrimRight(s.cfg.BaseURL, "/") + "/"}
		if s.cfg.Categorizer != nil && s.cfg.Families != nil {
			var labels []string
			for _, n := range s.cfg.Categorizer.Categorize(d) {
				labels = append(labels, s.tagLabel(n, lang))
			}
			if len(labels) > 0 {
				data.Category = T(lang, "block.category", strings.Join(labels, ", "))
			}
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusForbidden)
		if err := blockPageTmpl.Execute(w, data); err != nil {
			s.log.ErrorContext(r.Context(), "rendering the block page", "err", err)
		}
	})
}

var blockPageMessages = map[string]msg{
	"block.title":    {"Trang %s bị chặn bởi Mạng Lành", "The site %s is blocked by Mạng Lành"},
	"block.category": {"Nhóm: %s.", "Group: %s."},
	"block.child":    {"Nếu bạn nghĩ trang này không có hại, hãy mở trang của bạn trên Mạng Lành (đường link bố mẹ đã lưu trên máy), gõ tên trang và bấm \"Xin bố mẹ cho phép trang này\".", "If you think this site is not harmful, open your page on Mạng Lành (the link your parent saved on the device), type the site's name and press \"Ask my parent to allow this site\"."},
	"block.portal":   {"Mở Mạng Lành", "Open Mạng Lành"},
	"block.help":     {"Nếu có ai trên mạng làm bạn sợ, hãy kể với người lớn hoặc gọi %s (miễn phí).", "If someone online scares you, tell an adult or call %s (free)."},
}
