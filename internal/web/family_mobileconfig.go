package web

import (
	"mime"
	"net/http"
	"strconv"

	"manglanh/internal/family"
)

// familyMobileconfig serves the Apple configuration profile of one device
// to its parent: the device's DoH address (/dns-query/<device label>),
// named after the child and the device. It installs as the same profile as
// the public /cai-dat/ios/<label>.mobileconfig the QR code opens (the
// identifiers come from the address), so using both replaces, not adds.
func (s *Server) familyMobileconfig(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	domain := s.iosDomain()
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return
	}
	dv := s.familyDevice(w, r, p, prof)
	if dv == nil {
		return
	}
	if domain == "" || r.PathValue("file") != "manglanh-"+dv.Label+mobileconfigExt {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return
	}
	org := s.cfg.Ward.Name
	if org == "" {
		org = "Mạng Lành"
	}
	body, err := mobileconfigNamed(s.dohServer(domain), domain, dv.Label, org, "Bộ lọc Mạng Lành – "+prof.Nickname+" ("+dv.Name+")")
	if err != nil {
		s.log.ErrorContext(r.Context(), "mobileconfig", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "internal")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-apple-aspen-config")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "manglanh-" + dv.Label + mobileconfigExt}))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
