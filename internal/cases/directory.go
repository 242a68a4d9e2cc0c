package cases

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// The directory of organisations lives in this package, not in a package
// of its own, because the workflow is what needs it: a referral names its
// receiving organisation by id, and only the directory can tell an
// organisation that exists (and whether anyone there can be told) from a
// typed number. Keeping it here keeps "refer to an unknown id" impossible
// without another interface between two domain packages.

// Organisation is an agency the ward works with: a school, the ward police,
// the women's or youth union, the health station, the city's social
// services. User accounts of roles police, school and org belong to one.
type Organisation struct {
	ID        int64
	Name      string
	Kind      string // one of OrgKinds
	Phone     string
	Email     string
	Address   string
	Contact   string // the contact person
	Active    bool   // inactive organisations receive no new referral
	CreatedAt time.Time
	UpdatedAt time.Time
}

// OrgKinds are the kinds of organisation in the directory: every agency
// kind but Tổng đài 111, which is handed off, not referred to by account.
func OrgKinds() []string {
	return []string{AgencySchool, AgencyPolice, AgencyWomensUnion, AgencyYouthUnion,
		AgencyHealth, AgencyCitySocial, AgencyOther}
}

// RoleForOrgKind is the role of the user accounts of an organisation of
// kind: police, school, or org for the unions, the health station and the
// others.
func RoleForOrgKind(kind string) string { return roleForAgency(kind) }

// Directory keeps the organisations. internal/store implements it.
type Directory interface {
	// CreateOrganisation inserts o and sets o.ID.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// UpdateOrganisation writes every field of o but ID and CreatedAt;
	// ErrOrgNotFound when there is no such organisation.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
	// Organisation returns one organisation, or ErrOrgNotFound.
	Organisation(ctx context.Context, id int64) (*Organisation, error)
	// Organisations returns every organisation, by kind then name.
	Organisations(ctx context.Context) ([]Organisation, error)
}

// ErrOrgNotFound: no organisation with that id in the directory.
var ErrOrgNotFound = errors.New("organisation not found")

// Organisations returns the directory, by kind then name. Every staff role
// with case scope may read it (the contacts are the agencies' public
// ones).
func (s *Service) Organisations(ctx context.Context, a Actor) ([]Organisation, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	if s.dir == nil {
		return nil, nil
	}
	os, err := s.dir.Organisations(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the directory: %w", err)
	}
	return os, nil
}

// Organisation returns one organisation of the directory; ErrOrgNotFound
// when there is none.
func (s *Service) Organisation(ctx context.Context, a Actor, id int64) (*Organisation, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !hasCaseScope(a.Role) {
		return nil, ErrForbidden
	}
	return s.org(ctx, id)
}

func (s *Service) org(ctx context.Context, id int64) (*Organisation, error) {
	if s.dir == nil || id <= 0 {
		return nil, ErrOrgNotFound
	}
	o, err := s.dir.Organisation(ctx, id)
	if err != nil {
		if errors.Is(err, ErrOrgNotFound) {
			return nil, ErrOrgNotFound
		}
		return nil, fmt.Errorf("reading organisation %d: %w", id, err)
	}
	return o, nil
}

// unknownOrg is the error for an organisation id not in the directory.
func unknownOrg(field string, id int64) *ValidationError {
	return invalid(field,
		fmt.Sprintf("Không có tổ chức #%d trong danh bạ: hãy chọn tổ chức trong danh sách.", id),
		fmt.Sprintf("There is no organisation #%d in the directory: choose one from the list.", id))
}

// CheckOrganisation is what the account form asks before a user of role
// is attached to organisation id: it must exist, be active and be of a
// kind whose accounts have that role. id 0 is accepted only for roles that
// need no organisation.
func (s *Service) CheckOrganisation(ctx context.Context, role string, id int64) error {
	needs := role == RoleSchool || role == RoleOrg || role == RoleTeacher
	if id == 0 {
		if needs {
			return invalid("OrgID", "Tài khoản nhà trường hoặc tổ chức phải thuộc một tổ chức trong danh bạ.",
				"A school or organisation account must belong to an organisation of the directory.")
		}
		return nil
	}
	if role != RoleSchool && role != RoleOrg && role != RolePolice && role != RoleTeacher {
		return invalid("OrgID", "Vai trò này không thuộc tổ chức nào.", "This role belongs to no organisation.")
	}
	o, err := s.org(ctx, id)
	if errors.Is(err, ErrOrgNotFound) {
		return unknownOrg("OrgID", id)
	}
	if err != nil {
		return err
	}
	if !o.Active {
		return invalid("OrgID", "Tổ chức này đã ngừng hoạt động trong danh bạ.", "This organisation is inactive in the directory.")
	}
	want := role
	if role == RoleTeacher {
		want = RoleSchool // a teacher belongs to a school, like the school's own account
	}
	if roleForAgency(o.Kind) != want {
		return invalid("OrgID", "Vai trò không khớp với loại tổ chức (ví dụ: tài khoản nhà trường phải thuộc một trường).",
			"The role does not match the kind of organisation (a school account must belong to a school).")
	}
	return nil
}

// Maximum lengths of directory fields, in bytes.
const (
	maxOrgName    = 200
	maxOrgContact = 200
	maxOrgPhone   = 40
)

// cleanOrg validates o in place.
func cleanOrg(o *Organisation) error {
	if err := cleanAll([]textField{{"Name", &o.Name, maxOrgName, false}, {"Phone", &o.Phone, maxOrgPhone, false},
		{"Email", &o.Email, maxShort, false}, {"Address", &o.Address, maxOrgContact, false},
		{"Contact", &o.Contact, maxOrgContact, false}}); err != nil {
		return err
	}
	if o.Name == "" {
		return invalid("Name", "Vui lòng nhập tên tổ chức.", "Please enter the organisation's name.")
	}
	if !slices.Contains(OrgKinds(), o.Kind) {
		return invalid("Kind", "Vui lòng chọn loại tổ chức.", "Please choose the kind of organisation.")
	}
	if o.Phone != "" {
		digits := 0
		for _, r := range o.Phone {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune(" .-+()", r):
			default:
				return invalid("Phone", "Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, gạch ngang, + và ngoặc.",
					"A phone number has digits, spaces, dots, dashes, + and brackets only.")
			}
		}
		if digits < 3 || digits > 15 {
			return invalid("Phone", "Số điện thoại phải có từ 3 đến 15 chữ số.", "A phone number has 3 to 15 digits.")
		}
	}
	if o.Email != "" {
		if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email {
			return invalid("Email", "Địa chỉ e-mail không hợp lệ.", "Invalid e-mail address.")
		}
	}
	return nil
}

// SaveOrganisation adds o to the directory (o.ID 0) or updates it. Only
// ward admins change the directory; every change is audited.
func (s *Service) SaveOrganisation(ctx context.Context, a Actor, o Organisation) (*Organisation, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if a.Role != RoleWardAdmin {
		return nil, ErrForbidden
	}
	if s.dir == nil {
		return nil, errors.New("cases: no directory configured")
	}
	if err := cleanOrg(&o); err != nil {
		return nil, err
	}
	now := s.clock()
	action := "org.update"
	if o.ID == 0 {
		o.CreatedAt, o.UpdatedAt = now, now
		if err := s.dir.CreateOrganisation(ctx, &o); err != nil {
			return nil, fmt.Errorf("adding organisation: %w", err)
		}
		action = "org.create"
	} else {
		old, err := s.org(ctx, o.ID)
		if errors.Is(err, ErrOrgNotFound) {
			return nil, unknownOrg("ID", o.ID)
		}
		if err != nil {
			return nil, err
		}
		o.CreatedAt, o.UpdatedAt = old.CreatedAt, now
		if err := s.dir.UpdateOrganisation(ctx, &o); err != nil {
			return nil, fmt.Errorf("updating organisation %d: %w", o.ID, err)
		}
		if old.Active != o.Active {
			action = map[bool]string{true: "org.activate", false: "org.deactivate"}[o.Active]
		}
	}
	if err := s.audit.Record(ctx, a, action, 0, fmt.Sprintf("org %d %s (%s)", o.ID, o.Name, o.Kind)); err != nil {
		s.log.ErrorContext(ctx, "audit failed", "org", o.ID, "err", err)
	}
	return &o, nil
}

// SetOrganisationActive activates or deactivates organisation id.
func (s *Service) SetOrganisationActive(ctx context.Context, a Actor, id int64, active bool) (*Organisation, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if a.Role != RoleWardAdmin {
		return nil, ErrForbidden
	}
	o, err := s.org(ctx, id)
	if errors.Is(err, ErrOrgNotFound) {
		return nil, unknownOrg("ID", id)
	}
	if err != nil {
		return nil, err
	}
	o.Active = active
	return s.SaveOrganisation(ctx, a, *o)
}

// ValidateOrganisation cleans and checks o as SaveOrganisation does, for
// the console, which writes the directory without a staff actor.
func ValidateOrganisation(o *Organisation) error { return cleanOrg(o) }
