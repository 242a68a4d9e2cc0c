package cases

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestHandOff111SharesOnlyTickedParts(t *testing.T) {
	h := newHarness(t)
	id := h.newCase(t)
	ctx := context.Background()
	got, err := h.svc.HandOff111(ctx, officer, id, []HandOffPart{PartPlace, PartChild, PartChild})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Parts, []HandOffPart{PartChild, PartPlace}) || got.Child == nil || got.Child.Name != "Nguyễn Văn An" ||
		got.Place == nil || got.Place.Place != "Zalo" || got.By != officer.Name || got.Form != "Mẫu 01" {
		t.Fatalf("hand-off: %+v", got)
	}
	if got.Source != nil || got.Description != nil || got.Family != nil || got.Reporter != nil || got.Condition != nil || got.Harm != nil {
		t.Fatalf("unticked parts present: %+v", got)
	}
	b, _ := json.Marshal(got)
	for _, leak := range []string{"Trần Thị Bình", "0912 345 678", "Bố: Nguyễn Văn C", "Một người lạ", "anh Tuấn", "example.vn"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("JSON carries unticked %q: %s", leak, b)
		}
	}
	if n := h.rec.countAudit("case.handoff_111", id); n != 1 {
		t.Fatalf("hand-off audited %d times", n)
	}
	if h.rec.audits[len(h.rec.audits)-1].Detail != "parts: child,place" {
		t.Fatalf("audit detail: %+v", h.rec.audits[len(h.rec.audits)-1])
	}
}

func TestHandOff111Refusals(t *testing.T) {
	h := newHarness(t)
	id := h.newCase(t)
	ctx := context.Background()
	for _, a := range []Actor{chairman, police, school, union, viewer, public} {
		if _, err := h.svc.HandOff111(ctx, a, id, []HandOffPart{PartChild}); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v", a.Role, err)
		}
	}
	_, err := h.svc.HandOff111(ctx, officer, id, nil)
	mustValidation(t, err, "Parts")
	_, err = h.svc.HandOff111(ctx, officer, id, []HandOffPart{"suspect"})
	mustValidation(t, err, "Parts")
	// The sample reporter did not consent: their identity stays at the ward.
	_, err = h.svc.HandOff111(ctx, officer, id, []HandOffPart{PartReporter})
	mustValidation(t, err, "Parts")
	if _, err := h.svc.HandOff111(ctx, admin, 999, []HandOffPart{PartChild}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	if n := h.rec.countAudit("case.handoff_111", id); n != 0 {
		t.Fatalf("refused hand-offs audited as done: %d", n)
	}
	h.setCase(t, id, func(c *Case) { c.Sensitive.ReporterConsent = true })
	got, err := h.svc.HandOff111(ctx, admin, id, []HandOffPart{PartReporter})
	if err != nil || got.Reporter == nil || got.Reporter.Phone != "0912 345 678" || got.Child != nil {
		t.Fatalf("consented reporter: %+v %v", got, err)
	}
	h.setCase(t, id, func(c *Case) { c.Sensitive.ReporterAnonymous = true })
	_, err = h.svc.HandOff111(ctx, admin, id, []HandOffPart{PartReporter})
	mustValidation(t, err, "Parts")
	// No hand-off without its audit record.
	h.rec.failAudit = errors.New("audit down")
	if got, err := h.svc.HandOff111(ctx, officer, id, []HandOffPart{PartChild}); err == nil || got != nil {
		t.Fatalf("hand-off without audit: %+v %v", got, err)
	}
}
