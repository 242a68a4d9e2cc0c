package cases

import (
	"context"
	"slices"
	"strings"
	"time"
)

// HandOffPart names one section of the Mẫu 01 content that an officer may
// pass to Tổng đài 111. Only the ticked parts leave the ward.
type HandOffPart string

// The parts of a hand-off, in the order of Mẫu 01.
const (
	PartSource      HandOffPart = "source"      // channel, hour and date received, receiving officer
	PartChild       HandOffPart = "child"       // name, nickname, age, sex, school, class
	PartPlace       HandOffPart = "place"       // where and when it happened
	PartDescription HandOffPart = "description" // what happened, evidence links
	PartCondition   HandOffPart = "condition"   // the child's current condition
	PartHarm        HandOffPart = "harm"        // likely harm if nobody intervenes
	PartFamily      HandOffPart = "family"      // parents, caregiver, situation, help already given
	PartReporter    HandOffPart = "reporter"    // only when the reporter consented and is not anonymous
)

// ActionHandOff111 records that the Mẫu 01 summary was handed to 111.
const ActionHandOff111 Action = "handoff_111"

// HandOffParts lists every part in form order.
func HandOffParts() []HandOffPart {
	return []HandOffPart{PartSource, PartChild, PartPlace, PartDescription, PartCondition, PartHarm, PartFamily, PartReporter}
}

// HandOff is the structured summary passed to 111: the case's code and
// category, and only the parts the officer ticked (nil otherwise). It is
// what both the PDF and the JSON are made from.
type HandOff struct {
	Form        string        `json:"form"`
	CaseCode    string        `json:"case_code"`
	Category    string        `json:"category"`
	Urgent      bool          `json:"urgent"`
	GeneratedAt time.Time     `json:"generated_at"`
	By          string        `json:"handed_off_by"`
	Parts       []HandOffPart `json:"shared_parts"`

	Source      *HandOffSource      `json:"source,omitempty"`
	Child       *HandOffChild       `json:"child,omitempty"`
	Place       *HandOffPlace       `json:"place,omitempty"`
	Description *HandOffDescription `json:"description,omitempty"`
	Condition   *string             `json:"condition,omitempty"`
	Harm        *string             `json:"likely_harm,omitempty"`
	Family      *HandOffFamily      `json:"family,omitempty"`
	Reporter    *HandOffReporter    `json:"reporter,omitempty"`
}

// HandOffSource is part (1) of Mẫu 01: how and when the report came.
type HandOffSource struct {
	Channel          string    `json:"channel"`
	ReceivedAt       time.Time `json:"received_at"`
	ReceivingOfficer string    `json:"receiving_officer,omitempty"`
}

// HandOffChild identifies the child.
type HandOffChild struct {
	Name     string `json:"name,omitempty"`
	Nickname string `json:"nickname,omitempty"`
	Age      int    `json:"age,omitempty"`
	AgeBand  string `json:"age_band,omitempty"`
	Sex      string `json:"sex,omitempty"`
	School   string `json:"school,omitempty"`
	Class    string `json:"class,omitempty"`
}

// HandOffPlace is where and when it happened.
type HandOffPlace struct {
	Place      string    `json:"place,omitempty"`
	OccurredAt time.Time `json:"occurred_at,omitzero"`
}

// HandOffDescription is what happened.
type HandOffDescription struct {
	Text  string   `json:"text,omitempty"`
	Links []string `json:"links,omitempty"`
}

// HandOffFamily is the family's part of Mẫu 01.
type HandOffFamily struct {
	Parents   string `json:"parents,omitempty"`
	Caregiver string `json:"caregiver,omitempty"`
	Situation string `json:"situation,omitempty"`
	PriorHelp string `json:"prior_help,omitempty"`
}

// HandOffReporter is the reporter, shared only with their consent.
type HandOffReporter struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Relation string `json:"relation,omitempty"`
}

// ReporterShareable reports whether c's reporter agreed that their identity
// may be passed on (Decree 56 Art. 24 keeps it confidential otherwise). The
// consent recorded at intake is the one the form asks for the police; it is
// the only consent the file holds, so 111 gets no more than the police
// would.
func ReporterShareable(c *Case) bool {
	s := c.Sensitive
	return s.ReporterConsent && !s.ReporterAnonymous && (s.ReporterName != "" || s.ReporterPhone != "")
}

// HandOff111 builds the summary of case id for Tổng đài 111 with only the
// given parts, and records the hand-off (with the list of parts) in the
// audit log. Officers and ward admins may hand off. It fails, sharing
// nothing, if the hand-off cannot be recorded.
func (s *Service) HandOff111(ctx context.Context, a Actor, id int64, parts []HandOffPart) (*HandOff, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !Can(a, nil, PermHandOff) {
		return nil, ErrForbidden
	}
	var chosen []HandOffPart
	for _, p := range HandOffParts() {
		if slices.Contains(parts, p) {
			chosen = append(chosen, p)
		}
	}
	for _, p := range parts {
		if !slices.Contains(HandOffParts(), p) {
			return nil, invalid("Parts", "Phần thông tin không hợp lệ.", "Unknown part of the form.")
		}
	}
	if len(chosen) == 0 {
		return nil, invalid("Parts", "Hãy chọn ít nhất một phần thông tin để chuyển.", "Tick at least one part to share.")
	}
	names := make([]string, len(chosen))
	for i, p := range chosen {
		names[i] = string(p)
	}
	// The hand-off is a step of the case's history (who, when, which
	// parts), stored before anything is shared: a download that cannot be
	// recorded shares nothing.
	c, err := s.updateAudited(ctx, a, id, ActionHandOff111, "case.handoff_111", true, func(c *Case, now time.Time, st *Step) (string, error) {
		if slices.Contains(chosen, PartReporter) && !ReporterShareable(c) {
			return "", invalid("Parts", "Người báo cáo không đồng ý (hoặc giấu tên): không được chuyển thông tin người báo cáo.",
				"The reporter did not consent (or is anonymous): their identity may not be shared.")
		}
		st.Parts = slices.Clone(chosen)
		return "parts: " + strings.Join(names, ","), nil
	})
	if err != nil {
		return nil, err
	}
	now := c.UpdatedAt
	sn := c.Sensitive
	h := &HandOff{Form: "Mẫu 01", CaseCode: c.Code, Category: c.Category, Urgent: c.Urgent, GeneratedAt: now,
		By: a.Name, Parts: chosen}
	for _, p := range chosen {
		switch p {
		case PartSource:
			h.Source = &HandOffSource{Channel: c.Channel, ReceivedAt: c.ReceivedAt, ReceivingOfficer: sn.ReceivingOfficer}
		case PartChild:
			h.Child = &HandOffChild{Name: sn.ChildName, Nickname: sn.ChildNickname, Age: sn.ChildAge, AgeBand: c.AgeBand,
				Sex: sn.ChildSex, School: sn.ChildSchool, Class: sn.ChildClass}
		case PartPlace:
			h.Place = &HandOffPlace{Place: c.Place, OccurredAt: c.OccurredAt}
		case PartDescription:
			h.Description = &HandOffDescription{Text: sn.Description, Links: slices.Clone(sn.EvidenceLinks)}
		case PartCondition:
			v := sn.ChildCondition
			h.Condition = &v
		case PartHarm:
			v := sn.LikelyHarm
			h.Harm = &v
		case PartFamily:
			h.Family = &HandOffFamily{Parents: sn.ParentsInfo, Caregiver: sn.Caregiver, Situation: sn.FamilySituation,
				PriorHelp: sn.PriorHelp}
		case PartReporter:
			h.Reporter = &HandOffReporter{Name: sn.ReporterName, Phone: sn.ReporterPhone, Relation: sn.ReporterRelation}
		}
	}
	return h, nil
}
