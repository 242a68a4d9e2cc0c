package program

import (
	"errors"
	"testing"
	"time"
)

func mustLoc(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

func TestCatalogue(t *testing.T) {
	cat := ViolationCatalogue()
	want := map[string][3]int64{ // kind 0 internet 1 game, min, max (DOMAIN.md)
		"174-game-hours":          {1, 10_000_000, 15_000_000},
		"174-game-no-certificate": {1, 10_000_000, 15_000_000},
		"174-internet-hours":      {0, 5_000_000, 10_000_000},
		"174-internet-obscene":    {0, 5_000_000, 10_000_000},
	}
	for code, w := range want {
		a, ok := ArticleByCode(code)
		kind := map[int64]string{0: ShopInternet, 1: ShopGame}[w[0]]
		if !ok || a.ShopKind != kind || a.FineMinVND != w[1] || a.FineMaxVND != w[2] {
			t.Errorf("%s: %+v", code, a)
		}
	}
	if len(cat) < len(want) {
		t.Errorf("catalogue has %d entries", len(cat))
	}
	for _, bad := range []string{
		"- {code: a, shop_kind: cafe, article: x, title_vi: x, title_en: x, fine_min_vnd: 1, fine_max_vnd: 2}",
		"- {code: a, shop_kind: game, article: x, title_vi: x, title_en: x, fine_min_vnd: 3, fine_max_vnd: 2}",
		"- {code: a, shop_kind: game, article: x, title_vi: x, title_en: x, fine_min_vnd: 1, fine_max_vnd: 2}\n- {code: a, shop_kind: game, article: x, title_vi: x, title_en: x, fine_min_vnd: 1, fine_max_vnd: 2}",
		"- {code: a, shop_kind: game, article: '', title_vi: x, title_en: x, fine_min_vnd: 1, fine_max_vnd: 2}",
	} {
		if _, err := parseCatalogue([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestValidateShop(t *testing.T) {
	ok := Shop{Kind: ShopGame, Name: "=HYPERLINK(\"http://x\") <script>", Address: "Số 1 Lê Lợi", Opens: "08:00", Closes: "22:00"}
	for _, tc := range []struct {
		name  string
		edit  func(*Shop)
		field string
	}{
		{"hostile text is text", func(*Shop) {}, ""},
		{"no name", func(s *Shop) { s.Name = "  " }, "name"},
		{"control char", func(s *Shop) { s.Name = "Quán\x00A" }, "name"},
		{"newline", func(s *Shop) { s.Address = "a\nb" }, "address"},
		{"long name", func(s *Shop) { s.Name = string(make([]rune, 201)) }, "name"},
		{"kind", func(s *Shop) { s.Kind = "cafe" }, "kind"},
		{"hour", func(s *Shop) { s.Opens = "24:00" }, "opens"},
		{"hour text", func(s *Shop) { s.Closes = "10pm" }, "closes"},
		{"machines", func(s *Shop) { s.Machines = -1 }, "machines"},
		{"phone", func(s *Shop) { s.Phone = "gọi tôi" }, "phone"},
		{"cert order", func(s *Shop) { s.CertIssued, s.CertExpires = day(2025, 5, 1), day(2024, 5, 1) }, "cert_expires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh := ok
			tc.edit(&sh)
			err := ValidateShop(&sh)
			var fe FieldErrors
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.As(err, &fe) || fe[tc.field] == "" {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
	sh := ok
	sh.CertIssued = day(2025, 7, 10)
	if err := ValidateShop(&sh); err != nil || !sh.CertExpires.Equal(day(2028, 7, 10)) {
		t.Errorf("game certificate expiry: %v, %v", sh.CertExpires, err)
	}
}

func TestOutOfHoursAndCertState(t *testing.T) {
	for _, tc := range []struct {
		kind, opens, closes string
		want                bool
	}{
		{ShopGame, "08:00", "22:00", false},
		{ShopGame, "07:59", "22:00", true},
		{ShopGame, "08:00", "22:01", true},
		{ShopGame, "20:00", "02:00", true},
		{ShopInternet, "06:00", "23:30", false},
		{ShopGame, "", "", false},
	} {
		if got := OutOfHours(Shop{Kind: tc.kind, Opens: tc.opens, Closes: tc.closes}); got != tc.want {
			t.Errorf("%s %s–%s: %v", tc.kind, tc.opens, tc.closes, got)
		}
	}
	now := day(2026, 6, 1)
	for _, tc := range []struct {
		sh   Shop
		want string
	}{
		{Shop{Kind: ShopGame}, CertMissing},
		{Shop{Kind: ShopInternet}, CertOK},
		{Shop{Kind: ShopGame, Certificate: "01", CertExpires: day(2026, 5, 31)}, CertExpired},
		{Shop{Kind: ShopGame, Certificate: "01", CertExpires: day(2026, 7, 30)}, CertExpiring},
		{Shop{Kind: ShopGame, Certificate: "01", CertExpires: day(2026, 7, 31)}, CertOK},
	} {
		if got := CertState(tc.sh, now); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.sh, got, tc.want)
		}
	}
}

func TestValidateAction(t *testing.T) {
	v := &Violation{FineMinVND: 10_000_000, FineMaxVND: 15_000_000}
	d := day(2026, 8, 1)
	for _, tc := range []struct {
		name  string
		ac    Action
		field string
	}{
		{"reminder", Action{Kind: ActionReminder, Date: d}, ""},
		{"fine in range", Action{Kind: ActionFine, Date: d, FineVND: 12_000_000}, ""},
		{"fine at min", Action{Kind: ActionFine, Date: d, FineVND: 10_000_000}, ""},
		{"fine below", Action{Kind: ActionFine, Date: d, FineVND: 9_999_999}, "fine"},
		{"fine above", Action{Kind: ActionFine, Date: d, FineVND: 15_000_001}, "fine"},
		{"fine outside with reason", Action{Kind: ActionFine, Date: d, FineVND: 5_000_000, Note: "Tình tiết giảm nhẹ"}, ""},
		{"fine zero", Action{Kind: ActionFine, Date: d}, "fine"},
		{"follow-up without date", Action{Kind: ActionFollowUp, Date: d}, "follow_up"},
		{"follow-up before", Action{Kind: ActionFollowUp, Date: d, FollowUp: d.AddDate(0, 0, -1)}, "follow_up"},
		{"follow-up", Action{Kind: ActionFollowUp, Date: d, FollowUp: d.AddDate(0, 0, 14)}, ""},
		{"kind", Action{Kind: "warn", Date: d}, "kind"},
		{"no date", Action{Kind: ActionClosed}, "date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ac := tc.ac
			err := ValidateAction(v, &ac)
			var fe FieldErrors
			if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &fe) || fe[tc.field] == "") {
				t.Fatalf("want error on %q, got %v", tc.field, err)
			}
		})
	}
}

func TestCountShops(t *testing.T) {
	q3 := Days(day(2026, 7, 1), day(2026, 9, 30), hcm)
	// A shop added on the period's last evening counts; one added at the
	// next midnight does not; a closed shop never.
	shops := []Shop{
		{ID: 1, Active: true, CreatedAt: time.Date(2026, 9, 30, 23, 59, 0, 0, hcm)},
		{ID: 2, Active: true, CreatedAt: day(2026, 10, 1)},
		{ID: 3, Active: false, CreatedAt: day(2026, 1, 1)},
		{ID: 4, Active: true, CreatedAt: day(2025, 1, 1)},
	}
	fine := func(d time.Time, n int64) Action { return Action{Kind: ActionFine, Date: d, FineVND: n} }
	ins := []Inspection{
		// Before the period: shop 4's first violation (makes it a repeat
		// offender with the one in the period).
		{ID: 1, ShopID: 4, Date: day(2026, 3, 1), Violations: []Violation{{ID: 1, Article: "174-game-hours", Actions: []Action{{Kind: ActionReminder, Date: day(2026, 3, 1)}}}}},
		// First day at midnight: in.
		{ID: 2, ShopID: 4, Date: day(2026, 7, 1), Violations: []Violation{
			{ID: 2, Article: "174-game-hours", Actions: []Action{fine(day(2026, 7, 5), 12_000_000)}},
			// Handled only after the period's end: unhandled in Q3.
			{ID: 3, Article: "174-game-no-certificate", Actions: []Action{{Kind: ActionReminder, Date: day(2026, 10, 1)}}},
		}},
		// Last day: in; no violation.
		{ID: 3, ShopID: 1, Date: day(2026, 9, 30)},
		// The next midnight: out.
		{ID: 4, ShopID: 1, Date: day(2026, 10, 1), Violations: []Violation{{ID: 4, Article: "174-internet-hours"}}},
		// Shop 1's second inspection with violations is after the period:
		// not a repeat offender in Q3.
		{ID: 5, ShopID: 1, Date: day(2026, 8, 1), Violations: []Violation{{ID: 5, Article: "174-internet-obscene",
			Actions: []Action{{Kind: ActionReminder, Date: day(2026, 8, 1)}, {Kind: ActionFollowUp, Date: day(2026, 8, 1), FollowUp: day(2026, 8, 15)}}}}},
	}
	got := CountShops(shops, ins, q3)
	want := ShopFigures{Registered: 2, Inspections: 3, ShopsInspected: 2, Violations: 3, Handled: 2,
		ByArticle: map[string]int{"174-game-hours": 1, "174-game-no-certificate": 1, "174-internet-obscene": 1},
		ByAction:  map[string]int{ActionFine: 1, ActionReminder: 1, ActionFollowUp: 1}, FinesVND: 12_000_000, RepeatOffenders: 1}
	if !shopFiguresEqual(got, want) {
		t.Errorf("Q3:\n got %+v\nwant %+v", got, want)
	}
	q4 := Days(day(2026, 10, 1), day(2026, 12, 31), hcm)
	got = CountShops(shops, ins, q4)
	if got.Inspections != 1 || got.Violations != 1 || got.Handled != 0 || got.RepeatOffenders != 2 || got.Registered != 3 {
		t.Errorf("Q4: %+v", got)
	}
	// Instants that are midnight in Hanoi but 17:00 UTC the day before.
	edge := CountShops(nil, []Inspection{{ShopID: 9, Date: time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC)}}, q3)
	if edge.Inspections != 1 {
		t.Errorf("midnight in Asia/Ho_Chi_Minh (17:00 UTC) is not the period's first instant: %+v", edge)
	}
	edge = CountShops(nil, []Inspection{{ShopID: 9, Date: time.Date(2026, 6, 30, 16, 59, 59, 0, time.UTC)}}, q3)
	if edge.Inspections != 0 {
		t.Errorf("23:59:59 the day before counted: %+v", edge)
	}
}

func shopFiguresEqual(a, b ShopFigures) bool {
	eq := func(x, y map[string]int) bool {
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if y[k] != v {
				return false
			}
		}
		return true
	}
	return a.Registered == b.Registered && a.Inspections == b.Inspections && a.ShopsInspected == b.ShopsInspected &&
		a.Violations == b.Violations && a.Handled == b.Handled && a.FinesVND == b.FinesVND &&
		a.RepeatOffenders == b.RepeatOffenders && eq(a.ByArticle, b.ByArticle) && eq(a.ByAction, b.ByAction)
}

func TestFilterAndFollowUps(t *testing.T) {
	ins := []Inspection{
		{ID: 1, ShopID: 1, Date: day(2026, 7, 1), Violations: []Violation{
			{ID: 1, Article: "174-game-hours", Actions: []Action{{Kind: ActionFollowUp, Date: day(2026, 7, 1), FollowUp: day(2026, 7, 10)}}},
			{ID: 2, Article: "174-game-no-certificate"},
		}},
		{ID: 2, ShopID: 2, Date: day(2026, 7, 5), Violations: []Violation{
			{ID: 3, Article: "174-game-hours", Actions: []Action{{Kind: ActionFollowUp, Date: day(2026, 7, 5), FollowUp: day(2026, 7, 11)}}}}},
		{ID: 3, ShopID: 2, Date: day(2026, 8, 1)},
	}
	got := FilterInspections(ins, InspectionFilter{Article: "174-game-hours"})
	if len(got) != 2 || got[0].ID != 2 || len(got[1].Violations) != 1 {
		t.Errorf("by article: %+v", got)
	}
	got = FilterInspections(ins, InspectionFilter{Handled: "no"})
	if len(got) != 1 || got[0].Violations[0].ID != 2 {
		t.Errorf("unhandled: %+v", got)
	}
	got = FilterInspections(ins, InspectionFilter{Period: Days(day(2026, 7, 2), day(2026, 8, 1), hcm)})
	if len(got) != 2 || got[0].ID != 3 {
		t.Errorf("by period: %+v", got)
	}
	fu := followUpsDue(ins, day(2026, 7, 11))
	if len(fu) != 2 || !fu[0].Overdue || fu[1].Overdue || fu[0].ViolationID != 1 {
		t.Errorf("follow-ups on 11/07: %+v", fu)
	}
	if fu := followUpsDue(ins, day(2026, 7, 9)); len(fu) != 0 {
		t.Errorf("follow-ups on 09/07: %+v", fu)
	}
}
