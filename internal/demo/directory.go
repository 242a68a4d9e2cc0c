package demo

import (
	"context"
	"fmt"
	"time"

	"manglanh/internal/cases"
	"manglanh/internal/program"
)

// Organisations is the demo ward's directory: schools, the ward police,
// the unions, the health station and the city's social services, with
// made-up contacts. The demo creates no accounts, so a referral to any of
// them shows "Chưa ai nhận được" until an account is added for it with
// `manglanh user add --org N`.
func Organisations() []cases.Organisation {
	return []cases.Organisation{
		{Name: "Công an phường Mẫu", Kind: cases.AgencyPolice, Phone: "0225 3 800 113", Address: "Số 2 đường Trung tâm", Contact: "Đại uý Phạm Văn Hùng, phó trưởng công an phường"},
		{Name: "Trường THCS Mẫu", Kind: cases.AgencySchool, Phone: "0225 3 800 201", Email: "thcs.mau@example.edu.vn", Address: "Tổ dân phố 3", Contact: "Cô Nguyễn Thị Hạnh, phó hiệu trưởng"},
		{Name: "Trường Tiểu học Mẫu", Kind: cases.AgencySchool, Phone: "0225 3 800 202", Address: "Tổ dân phố 5", Contact: "Thầy Lê Văn Bình, hiệu trưởng"},
		{Name: "Trường Mầm non Hoa Sen", Kind: cases.AgencySchool, Phone: "0225 3 800 203", Address: "Tổ dân phố 1"},
		{Name: "Hội Liên hiệp Phụ nữ phường", Kind: cases.AgencyWomensUnion, Phone: "0225 3 800 301", Contact: "Bà Trần Thị Lan, chủ tịch Hội"},
		{Name: "Đoàn Thanh niên phường", Kind: cases.AgencyYouthUnion, Phone: "0225 3 800 302", Contact: "Anh Đỗ Minh Quân, bí thư Đoàn"},
		{Name: "Trạm y tế phường", Kind: cases.AgencyHealth, Phone: "0225 3 800 115", Address: "Số 10 đường Trung tâm"},
		{Name: "Phòng Văn hoá – Xã hội thành phố (bảo vệ trẻ em)", Kind: cases.AgencyCitySocial, Phone: "0225 3 700 400", Email: "treem@example.gov.vn"},
	}
}

// schoolLevels are the levels the demo's schools teach: the kindergarten
// is in the directory but outside T1 (primary and lower-secondary schools).
var schoolLevels = map[string][]string{
	"Trường THCS Mẫu":        {program.LevelLowerSecondary},
	"Trường Tiểu học Mẫu":    {program.LevelPrimary},
	"Trường Mầm non Hoa Sen": {program.LevelPreschool},
}

// SchoolLevelStore records the levels a school teaches; SeedDirectory uses
// it when the store has it.
type SchoolLevelStore interface {
	SetSchoolLevels(ctx context.Context, id int64, levels []string) error
}

// OrganisationStore is where SeedDirectory writes; internal/store's Store
// implements it.
type OrganisationStore interface {
	Organisations(ctx context.Context) ([]cases.Organisation, error)
	CreateOrganisation(ctx context.Context, o *cases.Organisation) error
}

// SeedDirectory adds the demo directory when the directory is empty, and
// reports how many it added (0 when the ward already has its own).
func SeedDirectory(ctx context.Context, d OrganisationStore, now time.Time) (int, error) {
	have, err := d.Organisations(ctx)
	if err != nil || len(have) > 0 {
		return 0, err
	}
	for i, o := range Organisations() {
		o.Active, o.CreatedAt, o.UpdatedAt = true, now, now
		if err := d.CreateOrganisation(ctx, &o); err != nil {
			return i, fmt.Errorf("adding demo organisation %q: %w", o.Name, err)
		}
		if ls, ok := d.(SchoolLevelStore); ok && schoolLevels[o.Name] != nil {
			if err := ls.SetSchoolLevels(ctx, o.ID, schoolLevels[o.Name]); err != nil {
				return i, fmt.Errorf("recording the levels of %q: %w", o.Name, err)
			}
		}
	}
	return len(Organisations()), nil
}
