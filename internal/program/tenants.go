package program

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// RoleSystem is the operator at the server's console (manglanh tenant …):
// it may do what the city may with tenants.
const RoleSystem = "system"

// TenantStore keeps the tenants and the figure files the city imported.
// internal/store implements it on SQLite and PostgreSQL.
type TenantStore interface {
	// Tenants lists every tenant by id.
	Tenants(ctx context.Context) ([]Tenant, error)
	// Tenant and TenantByCode return one tenant, or ErrNotFound.
	Tenant(ctx context.Context, id int64) (*Tenant, error)
	TenantByCode(ctx context.Context, code string) (*Tenant, error)
	// CreateTenant inserts t and sets its ID; ErrConflict when the code is
	// taken.
	CreateTenant(ctx context.Context, t *Tenant) error
	// UpdateTenant writes the name, province and public key of t.ID.
	UpdateTenant(ctx context.Context, t *Tenant) error
	// LiveTenants are the tenants that work in this database: those with at
	// least one staff account of a ward role (not city).
	LiveTenants(ctx context.Context) (map[int64]bool, error)
	// SaveFigureFile stores f for its tenant and period, replacing the file
	// of the same tenant and period, and reports whether one was replaced.
	SaveFigureFile(ctx context.Context, f *FigureFile) (replaced bool, err error)
	// FigureFiles returns the files of exactly period p, by tenant.
	FigureFiles(ctx context.Context, p Period) (map[int64]FigureFile, error)
}

// FigureFile is a ward's signed figure file as the city received it.
type FigureFile struct {
	ID             int64
	TenantID       int64
	Period         Period
	Data           []byte
	ImportedAt     time.Time
	ImportedBy     int64
	ImportedByName string
}

// canSeeCity: the city's roll-up, tenants and imports.
func canSeeCity(a Actor) bool { return a.Role == RoleCity || a.Role == RoleSystem }

// Tenant field limits.
const (
	maxTenantCode = 16
	maxTenantName = 200
)

// ValidTenantCode reports whether code is 1–16 letters, digits or '-'
// (a commune code is five digits, e.g. "11506").
func ValidTenantCode(code string) bool {
	if code == "" || len(code) > maxTenantCode {
		return false
	}
	for _, r := range code {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
			return false
		}
	}
	return true
}

func validTenantText(s string, required bool) bool {
	if s == "" {
		return !required
	}
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= maxTenantName && strings.IndexFunc(s, unicode.IsControl) < 0
}

// ParsePublicKey decodes a ward's base64 ed25519 public key.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("program: not a base64 ed25519 public key")
	}
	return ed25519.PublicKey(b), nil
}

// cleanTenant trims t's code, name and province and reports those that
// are invalid.
func cleanTenant(t *Tenant) FieldErrors {
	t.Code, t.Name, t.Province = strings.TrimSpace(t.Code), strings.TrimSpace(t.Name), strings.TrimSpace(t.Province)
	fe := FieldErrors{}
	if !ValidTenantCode(t.Code) {
		fe["code"] = "city.err.code"
	}
	if !validTenantText(t.Name, true) {
		fe["name"] = "city.err.name"
	}
	if !validTenantText(t.Province, false) {
		fe["province"] = "city.err.province"
	}
	return fe
}

func (s *Service) tenants() (TenantStore, error) { return storeAs[TenantStore](s) }

// Tenants lists the tenants: every one for the city, the actor's own for
// a ward role that sees the ward.
func (s *Service) Tenants(ctx context.Context, a Actor) ([]Tenant, error) {
	st, err := s.tenants()
	if err != nil {
		return nil, err
	}
	if canSeeCity(a) || a.Role == RoleWardAdmin && tenantOf(a) == DefaultTenant {
		return st.Tenants(ctx)
	}
	if !canSeeWard(a) && !canRecordActivities(a) {
		return nil, ErrForbidden
	}
	t, err := st.Tenant(ctx, tenantOf(a))
	if err != nil {
		return nil, err
	}
	return []Tenant{*t}, nil
}

// Tenant returns the actor's own tenant (any staff role), or any tenant
// for the city.
func (s *Service) Tenant(ctx context.Context, a Actor, id int64) (*Tenant, error) {
	st, err := s.tenants()
	if err != nil {
		return nil, err
	}
	if !canSeeCity(a) && id != tenantOf(a) {
		return nil, ErrNotFound
	}
	return st.Tenant(ctx, id)
}

// CreateTenant adds a ward (the city or the console). Its key may be
// empty and registered later.
func (s *Service) CreateTenant(ctx context.Context, a Actor, t *Tenant) error {
	if !canSeeCity(a) {
		return ErrForbidden
	}
	st, err := s.tenants()
	if err != nil {
		return err
	}
	t.PublicKey = strings.TrimSpace(t.PublicKey)
	fe := cleanTenant(t)
	if t.PublicKey != "" {
		if _, err := ParsePublicKey(t.PublicKey); err != nil {
			fe["key"] = "city.err.key"
		}
	}
	if len(fe) > 0 {
		return fe
	}
	t.CreatedAt = s.now()
	if err := st.CreateTenant(ctx, t); err != nil {
		if errors.Is(err, ErrConflict) {
			return FieldErrors{"code": "city.err.code_taken"}
		}
		return fmt.Errorf("creating tenant %s: %w", t.Code, err)
	}
	s.audit(ctx, a, "tenant.create", "tenant", t.ID, "code="+t.Code)
	return nil
}

// SetTenantKey registers (or replaces) the public key a ward signs its
// figure files with. It returns the tenant and whether a key was replaced.
func (s *Service) SetTenantKey(ctx context.Context, a Actor, id int64, key string) (*Tenant, bool, error) {
	if !canSeeCity(a) {
		return nil, false, ErrForbidden
	}
	st, err := s.tenants()
	if err != nil {
		return nil, false, err
	}
	pub, err := ParsePublicKey(key)
	if err != nil {
		return nil, false, FieldErrors{"key": "city.err.key"}
	}
	t, err := st.Tenant(ctx, id)
	if err != nil {
		return nil, false, err
	}
	replaced := t.PublicKey != ""
	t.PublicKey = base64.StdEncoding.EncodeToString(pub)
	if err := st.UpdateTenant(ctx, t); err != nil {
		return nil, false, fmt.Errorf("registering the key of tenant %d: %w", id, err)
	}
	action := "tenant.key_register"
	if replaced {
		action = "tenant.key_replace"
	}
	// The detail names the key by its first characters: enough to compare
	// with what the ward reads on its page, nothing secret (it is public).
	s.audit(ctx, a, action, "tenant", id, "code="+t.Code+" key="+t.PublicKey[:8]+"…")
	return t, replaced, nil
}

// EnsureWardName fills the name of the deployment's own tenant from the
// configuration (ward.name) when it is still empty.
func (s *Service) EnsureWardName(ctx context.Context, name string) error {
	st, err := s.tenants()
	if err != nil {
		return err
	}
	t, err := st.Tenant(ctx, DefaultTenant)
	if err != nil {
		return fmt.Errorf("reading the default tenant: %w", err)
	}
	name = strings.TrimSpace(name)
	if t.Name != "" || name == "" {
		return nil
	}
	t.Name = name
	return st.UpdateTenant(ctx, t)
}

// tenantRef names a tenant in figures; the configured ward for the
// default tenant when the store has no tenant table or no name.
func (s *Service) tenantRef(ctx context.Context, tenant int64) TenantRef {
	if st, err := s.tenants(); err == nil {
		if t, err := st.Tenant(ctx, tenant); err == nil && t.Name != "" {
			return TenantRef{Code: t.Code, Name: t.Name}
		} else if err == nil && tenant == DefaultTenant {
			return TenantRef{Code: t.Code, Name: s.opt.Ward.Name}
		}
	}
	if tenant == DefaultTenant {
		return s.opt.Ward
	}
	return TenantRef{Code: fmt.Sprint(tenant)}
}

// UpdateTenant changes a ward's code, name and province (the console, or
// the city): the deployment's own ward gets its real commune code so.
func (s *Service) UpdateTenant(ctx context.Context, a Actor, t *Tenant) error {
	if !canSeeCity(a) {
		return ErrForbidden
	}
	st, err := s.tenants()
	if err != nil {
		return err
	}
	if fe := cleanTenant(t); len(fe) > 0 {
		return fe
	}
	if err := st.UpdateTenant(ctx, t); err != nil {
		if errors.Is(err, ErrConflict) {
			return FieldErrors{"code": "city.err.code_taken"}
		}
		return fmt.Errorf("updating tenant %d: %w", t.ID, err)
	}
	s.audit(ctx, a, "tenant.update", "tenant", t.ID, "code="+t.Code)
	return nil
}
