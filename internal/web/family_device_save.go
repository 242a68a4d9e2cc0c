package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"manglanh/internal/family"
)

// familyDeviceAdd adds a device (a name and a kind) to a child's profile
// and shows its steps.
func (s *Server) familyDeviceAdd(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyFormProfile(w, r, p)
	if prof == nil {
		return
	}
	lang := langOf(r)
	name, kind := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("kind")
	d := familySetupPage{Name: name, Kind: kind}
	dv, err := s.cfg.Families.AddDevice(r.Context(), parentActor(r, p), prof.ID, name, kind)
	if err != nil {
		if fe, ok := familyFieldErrors(err, lang, nil, "name", "kind"); ok {
			d.Errors = fe
		} else if errors.Is(err, family.ErrLimit) {
			d.Errors = fieldErrors{"": T(lang, "family.err.limit.devices", family.MaxDevices)}
		} else {
			s.familyError(w, r, err)
			return
		}
		if !slices.Contains(family.DeviceKinds, d.Kind) {
			d.Kind = ""
		}
		s.renderFamilySetup(w, r, p, prof, http.StatusBadRequest, d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/gia-dinh/tre/%d/cai-dat?ok=device&d=%d#thiet-bi-%d", prof.ID, dv.ID, dv.ID), http.StatusSeeOther)
}

// familyDeviceRemove removes a device of the profile in the URL; a device
// of another profile (or family) is 404.
func (s *Server) familyDeviceRemove(w http.ResponseWriter, r *http.Request, p *family.Parent) {
	prof := s.familyProfile(w, r, p)
	if prof == nil {
		return
	}
	dv := s.familyDevice(w, r, p, prof)
	if dv == nil {
		return
	}
	if err := s.cfg.Families.RemoveDevice(r.Context(), parentActor(r, p), dv.ID); err != nil {
		s.familyError(w, r, err)
		return
	}
	http.Redirect(w, r, familyURL(prof.ID, "cai-dat", "removed", "thiet-bi"), http.StatusSeeOther)
}

// familyDevice finds the URL's {did} among the profile's devices; 404
// otherwise.
func (s *Server) familyDevice(w http.ResponseWriter, r *http.Request, p *family.Parent, prof *family.Profile) *family.Device {
	id, ok := parseID(r.PathValue("did"))
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "notfound")
		return nil
	}
	devices, err := s.cfg.Families.Devices(r.Context(), parentActor(r, p), prof.ID)
	if err != nil {
		s.familyError(w, r, err)
		return nil
	}
	for i := range devices {
		if devices[i].ID == id {
			return &devices[i]
		}
	}
	s.renderError(w, r, http.StatusNotFound, "notfound")
	return nil
}
