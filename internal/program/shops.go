package program

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ShopStore is what the shops part needs from the store. Every method is
// scoped by tenant; a row of another tenant is ErrNotFound.
type ShopStore interface {
	CreateShop(ctx context.Context, sh *Shop) error
	// UpdateShop saves sh if its Version is the stored one (ErrConflict
	// otherwise) and increments it.
	UpdateShop(ctx context.Context, sh *Shop) error
	ShopByID(ctx context.Context, tenant, id int64) (*Shop, error)
	ShopsOf(ctx context.Context, tenant int64) ([]Shop, error)
	// CreateInspection stores the inspection and its violations in one
	// transaction and sets their ids.
	CreateInspection(ctx context.Context, in *Inspection) error
	// InspectionsUpTo returns the inspections dated before to, with their
	// violations and actions, oldest first.
	InspectionsUpTo(ctx context.Context, tenant int64, to time.Time) ([]Inspection, error)
	ViolationByID(ctx context.Context, tenant, id int64) (*Violation, error)
	CreateAction(ctx context.Context, tenant int64, ac *Action) error
}

// ShopFilter selects shops of the registry. Active is "", "yes" or "no".
type ShopFilter struct {
	Kind   string
	Active string
	Repeat bool // only repeat offenders
}

// Bounds of the shop form.
const (
	maxShopName    = 200
	maxShopText    = 300
	maxShopNotes   = 2000
	maxMachines    = 10000
	GameOpens      = "08:00"
	GameCloses     = "22:00"
	CertValidYears = 3
	CertWarnDays   = 60
)

var (
	hhmm    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	phoneRe = regexp.MustCompile(`^[0-9 +().-]{6,20}$`)
)

// cleanText trims s and reports whether it holds a control character
// (newlines refused too: these are one-line fields).
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// checkLine validates a one-line text field: required, bounded, no control
// characters. Anything else (=HYPERLINK, <script>) is stored as text.
func checkLine(fe FieldErrors, field, v string, required bool, max int) {
	switch {
	case required && v == "":
		fe[field] = "shop.err.required"
	case !utf8.ValidString(v) || hasControl(v):
		fe[field] = "shop.err.control"
	case utf8.RuneCountInString(v) > max:
		fe[field] = "shop.err.long"
	}
}

// ValidateShop checks a shop and fills a game shop's certificate expiry (3
// years after issue) when only the issue date is given.
func ValidateShop(sh *Shop) error {
	fe := FieldErrors{}
	sh.Name, sh.Address, sh.Owner = strings.TrimSpace(sh.Name), strings.TrimSpace(sh.Address), strings.TrimSpace(sh.Owner)
	sh.Phone, sh.Certificate = strings.TrimSpace(sh.Phone), strings.TrimSpace(sh.Certificate)
	if sh.Kind != ShopInternet && sh.Kind != ShopGame {
		fe["kind"] = "shop.err.kind"
	}
	checkLine(fe, "name", sh.Name, true, maxShopName)
	checkLine(fe, "address", sh.Address, true, maxShopText)
	checkLine(fe, "owner", sh.Owner, false, maxShopName)
	checkLine(fe, "certificate", sh.Certificate, false, 100)
	if sh.Phone != "" && !phoneRe.MatchString(sh.Phone) {
		fe["phone"] = "shop.err.phone"
	}
	if utf8.RuneCountInString(sh.Notes) > maxShopNotes || !utf8.ValidString(sh.Notes) {
		fe["notes"] = "shop.err.long"
	}
	for _, f := range []struct{ name, v string }{{"opens", sh.Opens}, {"closes", sh.Closes}} {
		if f.v != "" && !hhmm.MatchString(f.v) {
			fe[f.name] = "shop.err.hour"
		}
	}
	if sh.Machines < 0 || sh.Machines > maxMachines {
		fe["machines"] = "shop.err.machines"
	}
	if sh.Kind == ShopGame && !sh.CertIssued.IsZero() && sh.CertExpires.IsZero() {
		sh.CertExpires = sh.CertIssued.AddDate(CertValidYears, 0, 0)
	}
	if !sh.CertIssued.IsZero() && !sh.CertExpires.IsZero() && sh.CertExpires.Before(sh.CertIssued) {
		fe["cert_expires"] = "shop.err.cert_order"
	}
	if !sh.ClosedAt.IsZero() {
		sh.Active = false
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}

// checkClosed refuses a closing day after today (on the Service's clock).
func (s *Service) checkClosed(sh *Shop) error {
	if !sh.ClosedAt.IsZero() && sh.ClosedAt.After(s.now()) {
		return FieldErrors{"closed_at": "shop.err.future"}
	}
	return nil
}

// OpenAt reports whether the shop was in the registry and open at t: added
// before t and not closed by then. A shop marked closed without a closing
// day (before the day was recorded) is closed at every t.
func (sh Shop) OpenAt(t time.Time) bool {
	if !sh.CreatedAt.Before(t) {
		return false
	}
	if !sh.ClosedAt.IsZero() {
		return !sh.ClosedAt.Before(t)
	}
	return sh.Active
}

// OutOfHours reports a game shop whose hours go outside 08:00–22:00 (or
// past midnight). Internet shops have no fixed hours here: nil.
func OutOfHours(sh Shop) bool {
	if sh.Kind != ShopGame || sh.Opens == "" || sh.Closes == "" {
		return false
	}
	// "HH:MM" compares as text.
	return sh.Opens < GameOpens || sh.Closes > GameCloses || sh.Closes <= sh.Opens
}

// Certificate states.
const (
	CertOK       = ""
	CertMissing  = "missing"  // a game shop without a certificate number
	CertExpired  = "expired"  // expiry before today
	CertExpiring = "expiring" // within CertWarnDays
)

// CertState says whether a shop's certificate needs attention on day now.
func CertState(sh Shop, now time.Time) string {
	if sh.Kind == ShopGame && sh.Certificate == "" {
		return CertMissing
	}
	if sh.CertExpires.IsZero() {
		return CertOK
	}
	switch {
	case sh.CertExpires.Before(now):
		return CertExpired
	case sh.CertExpires.Before(now.AddDate(0, 0, CertWarnDays)):
		return CertExpiring
	}
	return CertOK
}

func (s *Service) shopStore(a Actor, write bool) (ShopStore, error) {
	if !canSeeWard(a) || (write && !canManageShops(a)) {
		return nil, ErrForbidden
	}
	return storeAs[ShopStore](s)
}

// CreateShop adds a shop to the actor's registry.
func (s *Service) CreateShop(ctx context.Context, a Actor, sh *Shop) error {
	st, err := s.shopStore(a, true)
	if err != nil {
		return err
	}
	if err := ValidateShop(sh); err != nil {
		return err
	}
	if err := s.checkClosed(sh); err != nil {
		return err
	}
	now := s.now()
	sh.TenantID, sh.CreatedAt, sh.UpdatedAt, sh.Version = tenantOf(a), now, now, 1
	if err := st.CreateShop(ctx, sh); err != nil {
		return fmt.Errorf("adding shop: %w", err)
	}
	s.audit(ctx, a, "shop.create", "shop", sh.ID, sh.Kind)
	return nil
}

// UpdateShop saves a shop read at sh.Version (ErrConflict if it changed).
func (s *Service) UpdateShop(ctx context.Context, a Actor, sh *Shop) error {
	st, err := s.shopStore(a, true)
	if err != nil {
		return err
	}
	old, err := st.ShopByID(ctx, tenantOf(a), sh.ID)
	if err != nil {
		return err
	}
	if err := ValidateShop(sh); err != nil {
		return err
	}
	if err := s.checkClosed(sh); err != nil {
		return err
	}
	sh.TenantID, sh.CreatedAt, sh.UpdatedAt = old.TenantID, old.CreatedAt, s.now()
	if err := st.UpdateShop(ctx, sh); err != nil {
		return err
	}
	s.audit(ctx, a, "shop.update", "shop", sh.ID, fmt.Sprintf("version %d", sh.Version))
	return nil
}

// Shop returns one shop of the actor's tenant.
func (s *Service) Shop(ctx context.Context, a Actor, id int64) (*Shop, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	return st.ShopByID(ctx, tenantOf(a), id)
}

// Shops lists the registry, by name, filtered.
func (s *Service) Shops(ctx context.Context, a Actor, f ShopFilter) ([]Shop, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	all, err := st.ShopsOf(ctx, tenantOf(a))
	if err != nil {
		return nil, err
	}
	var repeat map[int64]bool
	if f.Repeat {
		if repeat, err = s.RepeatOffenders(ctx, a); err != nil {
			return nil, err
		}
	}
	var out []Shop
	for _, sh := range all {
		if (f.Kind != "" && sh.Kind != f.Kind) || (f.Active == "yes" && !sh.Active) || (f.Active == "no" && sh.Active) ||
			(f.Repeat && !repeat[sh.ID]) {
			continue
		}
		out = append(out, sh)
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// RepeatOffenders are the shops with violations found at two or more
// inspections, ever.
func (s *Service) RepeatOffenders(ctx context.Context, a Actor) (map[int64]bool, error) {
	st, err := s.shopStore(a, false)
	if err != nil {
		return nil, err
	}
	ins, err := st.InspectionsUpTo(ctx, tenantOf(a), farFuture)
	if err != nil {
		return nil, err
	}
	return repeatOffenders(ins, farFuture), nil
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// repeatOffenders: shops with violations at ≥ 2 inspections dated before to.
func repeatOffenders(ins []Inspection, to time.Time) map[int64]bool {
	n := map[int64]int{}
	for _, in := range ins {
		if len(in.Violations) > 0 && in.Date.Before(to) {
			n[in.ShopID]++
		}
	}
	out := map[int64]bool{}
	for id, c := range n {
		if c >= 2 {
			out[id] = true
		}
	}
	return out
}
