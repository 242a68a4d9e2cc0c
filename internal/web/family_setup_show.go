package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"manglanh/internal/family"
)

// familySetupPage is what family_setup.html gets.
type familySetupPage struct {
	Profile *family.Profile
	// ChildURL is the child's page (/tre/<token>) at the portal's public
	// address, for the parent to open on the child's phone.
	ChildURL string
	Devices  []familyDevice
	// Domain is dns.profile_domain ("" = encrypted DNS is off in this
	// ward); PrivateDNS and DoH say which of its ways work.
	Domain     string
	PrivateDNS bool
	DoH        bool
	// DNS is the plain address for a router or a Wi-Fi setting ("" when
	// the page cannot know it); DNSProblem says why plain DNS is not ready.
	DNS, DNSProblem string
	Kinds           []string
	// Steps are the numbered steps of each kind of device (trusted HTML
	// from the message catalogue: bold for what to tap).
	Steps  map[string][]template.HTML
	Router routerSteps
	// Now makes the "reload to check" link a new address each time, so
	// that following it reloads (a link to the same page and fragment
	// would only scroll).
	Now     int64
	Flash   string
	FlashID int64
	// The add-device form as typed, with its errors.
	Name, Kind string
	Errors     fieldErrors
	Focus      string
}

// familyDevice is one device with what to type or scan on it.
type familyDevice struct {
	family.Device
	DoTName  string // <label>.<domain>; "" when encrypted DNS is off
	DoHURL   string
	IOSURL   string // public address of the .mobileconfig (what the QR opens on the iPhone)
	Download string // the signed-in download of the same profile
	QR       template.HTML
	QRText   string // what the QR code holds, written out
	// Seen is "ok" (seen in the last hour), "old" (seen before) or
	// "never"; SeenAt says when.
	Seen   string
	SeenAt string
	Pic    string // the picture of the steps (static file name), "" none
	Router routerSteps
}

// routerSteps is what the home router's steps show: the plain address, and
// the device's DoT name for a router that can use one.
type routerSteps struct {
	Lang    string
	DNS     string
	DoTName string
	Steps   []template.HTML
}

// familySetup is the setup page of one child's profile: its devices, each
// with its encrypted-DNS name, a QR code, pictures of the steps and
// whether the DNS server has seen it in the last hour.
func (s *Server) familySetup(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return
	}
	d := familySetupPage{Kind: "android"}
	if q := r.URL.Query(); q.Get("ok") != "" {
		d.FlashID, _ = parseID(q.Get("d"))
		switch q.Get("ok") {
		case "created":
			d.Flash = T(langOf(r), "family.ok.created", prof.Nickname)
		case "device":
			d.Flash = T(langOf(r), "family.ok.device")
		case "removed":
			d.Flash = T(langOf(r), "family.ok.removed")
		}
	}
	s.renderFamilySetup(w, r, p, prof, http.StatusOK, d)
}

func (s *Server) renderFamilySetup(w http.ResponseWriter, r *http.Request, p *family.Parent, prof *family.Profile, status int, d familySetupPage) {
	lang, now := langOf(r), time.Now()
	devices, err := s.cfg.Families.Devices(r.Context(), parentActor(r, p), prof.ID)
	if err != nil {
		s.familyError(w, r, err)
		return
	}
	sp := s.newSetupPage(r)
	d.Profile, d.Domain, d.PrivateDNS, d.DoH = prof, sp.Domain, sp.PrivateDNS, sp.DoH != ""
	d.DNS, d.DNSProblem = sp.DNS, sp.Problem
	d.Kinds = family.DeviceKinds
	d.Now = now.Unix()
	d.Steps = map[string][]template.HTML{}
	for kind, n := range map[string]int{"android": 4, "ios": 4, "router": 4, "computer": 3} {
		for i := 1; i <= n; i++ {
			d.Steps[kind] = append(d.Steps[kind], template.HTML(T(lang, fmt.Sprintf("family.setup.%s.%d", kind, i))))
		}
	}
	d.Router = routerSteps{Lang: lang, DNS: d.DNS, Steps: d.Steps["router"]}
	loc := profileLocation(prof)
	base := s.publicBase(r)
	if prof.ChildToken != "" {
		d.ChildURL = base + "/tre/" + prof.ChildToken
	}
	for _, dv := range devices {
		v := familyDevice{Device: dv, Seen: "never"}
		if !dv.LastSeen.IsZero() {
			v.Seen, v.SeenAt = "old", familyClock(dv.LastSeen, now, loc)
			if now.Sub(dv.LastSeen) <= seenWithin {
				v.Seen = "ok"
			}
		}
		if d.Domain != "" {
			v.DoTName = dv.Label + "." + d.Domain
			if sp.DoH != "" {
				v.DoHURL = sp.DoH + dv.Label
				v.IOSURL = base + "/cai-dat/ios/" + url.PathEscape(dv.Label) + mobileconfigExt
				v.Download = fmt.Sprintf("/gia-dinh/tre/%d/thiet-bi/%d/%s", prof.ID, dv.ID, "manglanh-"+dv.Label+mobileconfigExt)
			}
		}
		v.Router = routerSteps{Lang: lang, DNS: d.DNS, DoTName: v.DoTName, Steps: d.Steps["router"]}
		switch dv.Kind {
		case "android", "other":
			if d.PrivateDNS {
				v.QRText = v.DoTName
			}
		case "ios":
			v.QRText = v.IOSURL
		case "computer":
			v.QRText = v.DoHURL
		}
		if v.QRText != "" {
			v.QR, err = qrSVG(v.QRText, T(lang, "family.setup.qr.label", dv.Name))
			if err != nil {
				s.log.ErrorContext(r.Context(), "setup QR", "err", err)
			}
		}
		switch {
		case dv.Kind == "android" && d.PrivateDNS, dv.Kind == "other" && d.PrivateDNS:
			v.Pic = "setup-android-" + lang + ".svg"
		case dv.Kind == "ios" && v.IOSURL != "":
			v.Pic = "setup-iphone-" + lang + ".svg"
		case dv.Kind == "router":
			v.Pic = "setup-router-" + lang + ".svg"
		}
		if d.FlashID == dv.ID && d.Flash != "" {
			d.Flash = T(lang, "family.ok.device.named", dv.Name)
		}
		d.Devices = append(d.Devices, v)
	}
	d.Focus = d.Errors.First("name", "kind", "confirm")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "family_setup", T(lang, "family.setup.title", prof.Nickname), d)
}

// publicBase is the portal's public address for links another device
// opens (the QR code an iPhone scans): web.base_url, else this request's.
func (s *Server) publicBase(r *http.Request) string {
	if b := strings.TrimRight(s.cfg.BaseURL, "/"); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// parseID reads a positive id; ok false otherwise.
func parseID(s string) (int64, bool) {
	var n int64
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, n > 0
}
