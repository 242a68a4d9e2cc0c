package web

import (
	"errors"
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
		s.refuseBody(w, r, tooLarge, err)
		return
	}
	f, in, err := s.parseReportForm(r, false)
	if r.PostFormValue(langSwitchField) != "" {
		// The language switch of the form: show the same form, as typed,
		// in the other language; nothing is sent.
		r = s.switchLang(w, r)
		s.renderReportForm(w, r, http.StatusOK, f, nil)
		return
	}
	if errs := s.reportProblems(f, err, lang); len(errs) > 0 || err != nil {
		if len(errs) == 0 {
			errs = []fieldError{{Msg: validationMessage(err, lang)}}
		}
		s.renderReportForm(w, r, http.StatusBadRequest, f, errs)
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
	s.redirectToReceipt(w, r, rec)
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
	rerenderField := func(status int, fe fieldError) {
		if staff {
			s.renderCaseNew(w, r, status, f, []string{fe.Msg})
		} else {
			s.renderReportForm(w, r, status, f, []fieldError{fe})
		}
	}
	rerenderStatus := func(status int, msg string) { rerenderField(status, fieldError{Msg: msg}) }
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
				rerenderField(http.StatusBadRequest, fieldError{ID: "images", Label: "report.images", Msg: msg})
				return nil, rec, false
			}
			s.log.ErrorContext(r.Context(), "reading uploaded images", "err", err)
			s.renderError(w, r, http.StatusBadRequest, "badrequest")
			return nil, rec, false
		}
	}
	in.Evidence = images
	s.suggest(&in)
	c, replayed, err := s.cfg.Cases.IntakeOnce(r.Context(), a, in)
	if err != nil {
		if errors.Is(err, cases.ErrSubmissionReused) {
			// The form was sent before with other content (Back, edit,
			// send): a fresh key lets the person send it as a new report
			// if that is what they mean.
			f.Key = ""
			rerenderStatus(http.StatusConflict, T(lang, "report.error.reused"))
			return nil, rec, false
		}
		if fe, ok := fieldErrorOf(err, lang); ok {
			rerenderField(http.StatusBadRequest, fe)
			return nil, rec, false
		}
		// Nothing was kept, images included: the form comes back with what
		// was typed, so that it can be sent again.
		s.log.ErrorContext(r.Context(), "recording report", "images", len(images), "err", err)
		rerenderStatus(http.StatusInternalServerError, T(lang, "report.error.save"))
		return nil, rec, false
	}
	rec.Code, rec.Images = formatCode(c.Code), len(images)
	if replayed {
		// The same form came again (a retry, a double tap): the receipt of
		// the case it made the first time.
		rec.Urgent = c.Urgent
		if ev, err := s.cfg.Evidence.ListEvidence(r.Context(), c.ID); err == nil {
			rec.Images = len(ev)
		}
	}
	return c, rec, true
}
