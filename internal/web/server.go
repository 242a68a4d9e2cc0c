// Package web is Mạng Lành's portal: server-rendered pages (html/template,
// embedded assets, no JavaScript needed on public pages), the JSON API,
// /healthz and /metrics. Handlers are one per file, named noun_verb.go; they
// call domain services and never write SQL.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"manglanh/internal/skills"
	"net/http"
	"path"
	"strings"
	"time"

	"manglanh/internal/auth"
	"manglanh/internal/cases"
	"manglanh/internal/family"
	"manglanh/internal/program"
	"manglanh/internal/sources"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Ward is what pages say about the deployment; agency names and hotlines are
// data, not code.
type Ward struct {
	Name    string
	City    string
	Hotline string // 111
	Police  string // 113
}

// HealthCheck is one dependency /healthz reports on.
type HealthCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// Config configures the portal. Services left nil switch their pages off.
type Config struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry
	Health   []HealthCheck
	Ward     Ward
	// BaseURL is the public address (QR posters, e-mails).
	BaseURL string
	// SecureCookies marks cookies Secure (HTTPS deployments).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For.
	TrustProxy bool
	// DNSAddress is shown on the setup page (how to point a phone at us).
	DNSAddress string
	// ProfileDomain is the encrypted-DNS domain (dns.profile_domain) shown on
	// the setup page; empty when DoT/DoH are off.
	ProfileDomain string
	// DoTListen and DoHListen are the encrypted-DNS listen addresses
	// (dns.tls_listen, dns.https_listen); the setup page shows Android's
	// Private DNS only with DoT on port 853, and DoH only when it is on.
	DoTListen, DoHListen string
	// Location is the ward's time zone for dates on pages.
	Location *time.Location

	// Auth signs staff in; nil switches the sign-in and staff account pages
	// off (and no page then has a signed-in user).
	Auth *auth.Service

	// Cases is the report and case workflow; nil switches the report,
	// tracking, poster and case pages off.
	Cases *cases.Service
	// Evidence keeps report images (*store.CaseStore); required with Cases.
	Evidence EvidenceStore
	// Sources keeps the QR poster sources (*store.Store); required with Cases.
	Sources SourceStore
	// Posters, when set, switches on the report-source and QR poster pages
	// (/can-bo/nguon): the sources service validates, audits, and refuses a
	// poster while web.base_url is not a public address.
	Posters *sources.Service
	// ReportLimits bounds report submissions and code look-ups per client
	// network; zero fields take defaults.
	ReportLimits ReportLimits
	// Risk, when set, suggests a category and level for each new report
	// (advisory only; staff decide), and switches on the public "check a
	// message" page and POST /api/v1/check.
	Risk RiskScorer
	// Screenshots, when set and available, reads the text of chat
	// screenshots sent to /kiem-tra and POST /api/v1/check (ocr.Reader).
	Screenshots ScreenshotReader
	// Skills is the digital-skills item bank (the embedded starter bank
	// when nil).
	Skills *skills.Bank
	// SkillsSessions, when set, runs class sessions (teacher and pupil
	// pages); its Bank should be Skills.
	SkillsSessions *skills.Service
	// CheckLimits bounds message checks per client network.
	CheckLimits CheckLimits
	// Alerts, when set, hears of messages checked at level high or above
	// (never their text) and lists alerts for staff at /can-bo/canh-bao.
	Alerts AlertBoard
	// Sealer seals the receipt cookie (*secret.Sealer, the portal's key);
	// nil draws a random key per process.
	Sealer Sealer
	// CheckAlerts (alerts.public_checks) lets public message checks at level
	// high or above reach Alerts; false, the default, means a check reaches
	// nobody and nothing of it is stored.
	CheckAlerts bool
	// Notices keeps staff's in-portal notices about case events
	// (*store.Store); nil switches /can-bo/thong-bao off.
	Notices NoticeStore
	// Families is parent accounts, child profiles and devices; nil switches
	// the /gia-dinh pages and the officer's approval page off.
	Families *family.Service
	// Categorizer names the list categories of a host for the child's
	// "why was this blocked" page; nil says only the profile's rules.
	Categorizer Categorizer
	// Program is activities, shops, indicators, figures and the periodic
	// report (issue 9); nil switches those pages off.
	Program *program.Service
}

// Server is the portal's HTTP handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	tmpl    map[string]*template.Template
	static  map[string]staticFile // by hashed name
	hashed  map[string]string     // plain name → hashed URL
	mux     *http.ServeMux
	handler http.Handler
	metrics *httpMetrics
	// uploads bounds the multipart bodies being received (upload_form.go).
	uploads *uploads
	reports *reports
	// receipts seals the receipt cookie (report_receipt.go).
	receipts Sealer
	// checkLimit bounds message checks (page and API) per client network.
	checkLimit *rateLimiter
	// shotLimit bounds screenshot checks, which cost Tesseract's time.
	shotLimit *rateLimiter
	// joinLimit bounds pupils joining class sessions per network.
	joinLimit *rateLimiter
}

type staticFile struct {
	body  []byte
	ctype string
}

// New parses the templates and indexes static files; a missing or broken
// template fails start-up here, not on the first request.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Ward.Hotline == "" {
		cfg.Ward.Hotline = "111"
	}
	if cfg.Ward.Police == "" {
		cfg.Ward.Police = "113"
	}
	if cfg.Cases != nil && (cfg.Evidence == nil || cfg.Sources == nil) {
		return nil, errors.New("web: Cases needs Evidence and Sources")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, mux: http.NewServeMux(), uploads: newUploads(defaultUploadWait)}
	if err := s.setupReports(); err != nil {
		return nil, err
	}
	if err := s.setupPublic(); err != nil {
		return nil, err
	}
	if err := s.setupAuth(); err != nil {
		return nil, err
	}
	if err := s.setupCheck(); err != nil {
		return nil, err
	}
	if err := s.setupSkills(); err != nil {
		return nil, err
	}
	if err := s.setupFamilies(); err != nil {
		return nil, err
	}
	if err := s.setupChild(); err != nil {
		return nil, err
	}
	if err := s.setupCity(); err != nil {
		return nil, err
	}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.metrics = newHTTPMetrics(cfg.Registry)
	s.routes()
	s.handler = gzipResponses(s.middleware(s.blockPage(s.loadSession(s.mux))))
	return s, nil
}

// Handler returns the portal with its middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// handle registers a pattern with a name for metrics.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.mux.Handle(pattern, s.metrics.wrap(pattern, h))
}

func (s *Server) baseRoutes() {
	s.handle("GET /healthz", s.healthz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))
	s.handle("GET /static/{name}", s.serveStatic)
	s.handle("GET /{$}", s.homeShow)
	s.handle("GET /lang/{lang}", s.langSet)
}

func (s *Server) loadStatic() error {
	s.static, s.hashed = map[string]staticFile{}, map[string]string{}
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := path.Base(p)
		ext := path.Ext(name)
		hashedName := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ctype := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}[ext]
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		s.static[hashedName] = staticFile{body: body, ctype: ctype}
		s.hashed[name] = "/static/" + hashedName
		return nil
	})
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

func (s *Server) parseTemplates() error {
	funcs := s.templateFuncs()
	layout, err := templateFS.ReadFile("templates/layout.html")
	if err != nil {
		return fmt.Errorf("reading layout template: %w", err)
	}
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return err
	}
	s.tmpl = map[string]*template.Template{}
	for _, e := range entries {
		name := e.Name()
		if name == "layout.html" || !strings.HasSuffix(name, ".html") {
			continue
		}
		body, err := templateFS.ReadFile("templates/" + name)
		if err != nil {
			return err
		}
		t, err := template.New("layout").Funcs(funcs).Parse(string(layout))
		if err == nil {
			_, err = t.Parse(string(body))
		}
		if err != nil {
			return fmt.Errorf("parsing template %s: %w", name, err)
		}
		s.tmpl[strings.TrimSuffix(name, ".html")] = t
	}
	return nil
}

// Page is what every template gets: the language, translations, the ward,
// and the handler's own data.
type Page struct {
	Lang  string
	Title string
	Ward  Ward
	Path  string
	CSRF  string
	User  any
	// Parent is the signed-in parent on /gia-dinh pages (*family.Parent).
	Parent any
	Data   any
	// Next is where the language link returns (the page and its query).
	Next string
	// LangForm, when set, is the id of the page's form: the language
	// switch is then a button of that form, so that nothing typed is lost.
	LangForm string
	// Description is the page's meta description.
	Description string
}

// render executes a page template with status 200 (or the given status).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	t, ok := s.tmpl[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "missing template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p := Page{Lang: langOf(r), Title: title, Ward: s.cfg.Ward, Path: r.URL.Path, Data: data, CSRF: csrfToken(r),
		Next: langNext(r)}
	p.LangForm, p.Description = pageMeta(name, p.Lang, data)
	if u := userFrom(r.Context()); u != nil {
		p.User = u
	}
	if pa := parentFrom(r.Context()); pa != nil {
		p.Parent = pa
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "rendering template", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, buf.String())
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status := http.StatusOK
	var b strings.Builder
	b.WriteString(`{"status":`)
	parts := []string{}
	for _, h := range s.cfg.Health {
		state := "ok"
		if err := h.Check(ctx); err != nil {
			state = "error"
			status = http.StatusServiceUnavailable
			s.log.WarnContext(ctx, "health check failed", "check", h.Name, "err", err)
		}
		parts = append(parts, fmt.Sprintf("%q:%q", h.Name, state))
	}
	if status == http.StatusOK {
		b.WriteString(`"ok"`)
	} else {
		b.WriteString(`"error"`)
	}
	b.WriteString(`,"checks":{` + strings.Join(parts, ",") + "}}\n")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}
