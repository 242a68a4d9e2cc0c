package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"manglanh/internal/cases"
)

// receiptPage is what report_receipt.html gets.
type receiptPage struct {
	Code          string // formatted XXXX-XXXX
	Urgent        bool
	Images        int
	ImagesDropped bool
}

// formatCode splits a tracking code in two halves for reading aloud.
func formatCode(c string) string {
	if len(c) == cases.CodeLength {
		return c[:4] + "-" + c[4:]
	}
	return c
}

// tooMany answers 429 with Retry-After in whole seconds.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.renderError(w, r, http.StatusTooManyRequests, "ratelimit")
}

// reportCreate records a public report: rate limit, parse, check and
// re-encode the images, intake of the report with its images (committed
// together before the answer), then the receipt.
func (s *Server) reportCreate(w http.ResponseWriter, r *http.Request) {
	if ok, wait := s.reports.submit.allow(clientIP(r)); !ok {
		s.tooMany(w, r, wait)
		return
	}
	lang := langOf(r)
	if tooLarge, err := parseBody(w, r); err != nil {
		if tooLarge {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "toolarge")
		} else {
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
		}
		return
	}
	f, in, err := s.parseReportForm(r, false)
	if err != nil {
		s.renderReportForm(w, r, http.StatusBadRequest, f, []string{validationMessage(err, lang)})
		return
	}
	if f.Source > 0 {
		if _, err := s.cfg.Sources.GetSource(r.Context(), f.Source); err != nil {
			in.SourceID, in.Channel, f.Source = 0, cases.ChannelWeb, 0
		}
	}
	_, rec, ok := s.intakeWithImages(w, r, cases.Actor{Role: cases.RolePublic}, f, in)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "report_receipt", T(lang, "receipt.title"), rec)
}

// intakeWithImages checks and re-encodes the images and records the report
// with them, in one step: the report is kept whole or not at all. On a
// problem it has answered (the form again, or an error page) and returns ok
// false. Images of the sexual-abuse categories are never read: the law
// forbids keeping them (and the service refuses them).
func (s *Server) intakeWithImages(w http.ResponseWriter, r *http.Request, a cases.Actor, f reportForm,
	in cases.Intake) (*cases.Case, receiptPage, bool) {
	lang := langOf(r)
	staff := a.Role != cases.RolePublic
	rerenderStatus := func(status int, msg string) {
		if staff {
			s.renderCaseNew(w, r, status, f, []string{msg})
		} else {
			s.renderReportForm(w, r, status, f, []string{msg})
		}
	}
	rerender := func(msg string) { rerenderStatus(http.StatusBadRequest, msg) }
	rec := receiptPage{Urgent: in.Urgent}
	uploads := uploadedImages(r)
	var images []cases.EvidenceItem
	if sexualCategory(in.Category) {
		rec.ImagesDropped = len(uploads) > 0
	} else if len(uploads) > 0 {
		var n int
		var err error
		images, n, err = s.readImages(r.Context(), uploads)
		if err != nil {
			if ie, ok := err.(*imageError); ok {
				msg := ie.message(lang)
				if n > 0 {
					msg = fmt.Sprintf("%s %d: %s", T(lang, "report.error.image"), n, msg)
				}
				rerender(msg)
				return nil, rec, false
			}
			s.log.ErrorContext(r.Context(), "reading uploaded images", "err", err)
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return nil, rec, false
		}
	}
	in.Evidence = images
	s.suggest(&in)
	c, err := s.cfg.Cases.Intake(r.Context(), a, in)
	if err != nil {
		if msg := validationMessage(err, lang); msg != "" {
			rerender(msg)
			return nil, rec, false
		}
		// Nothing was kept, images included: the form comes back with what
		// was typed, so that it can be sent again.
		s.log.ErrorContext(r.Context(), "recording report", "images", len(images), "err", err)
		rerenderStatus(http.StatusInternalServerError, T(lang, "report.error.save"))
		return nil, rec, false
	}
	rec.Code, rec.Images = formatCode(c.Code), len(images)
	return c, rec, true
}
