package program

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Where a roll-up row's figures come from.
const (
	// FromLive: the ward works in this database; its figures are computed
	// from its rows (computeFigures), whatever file it may also have sent.
	FromLive = "live"
	// FromFile: the ward is not a tenant with data here; its figures are
	// those of the signed file it sent for exactly this period.
	FromFile = "file"
	// FromNone: no data for the period ("chưa có số liệu").
	FromNone = "none"
	// FromError: the live figures could not be computed (logged).
	FromError = "error"
)

// RollUpRow is one ward of the city's table.
type RollUpRow struct {
	Tenant Tenant
	Source string // FromLive, FromFile, FromNone, FromError
	// File is the imported file for the period, if any (a live ward's file
	// is listed but not used: the row says so).
	File    *FigureFile
	Figures *Figures // nil for FromNone and FromError
	// Err is why a FromError row has no figures (for the log, not a page).
	Err error
}

// ImportResult is what ImportFigures stored.
type ImportResult struct {
	Tenant   Tenant
	Period   Period
	Replaced bool // a file for the same ward and period was replaced
	Live     bool // the ward's live data is used in the roll-up instead
}

// liveFigures computes one tenant's figures (computeFigures, or a fake in
// tests).
type liveFigures func(ctx context.Context, tenant int64, p Period) (*Figures, error)

// ImportFigures verifies a ward's signed figure file against the key
// registered for it and stores it for its ward and period, replacing an
// earlier file of the same ward and period. The city only. A refused file
// is a *FileError.
func (s *Service) ImportFigures(ctx context.Context, a Actor, data []byte) (*ImportResult, error) {
	if !canSeeCity(a) {
		return nil, ErrForbidden
	}
	st, err := s.tenants()
	if err != nil {
		return nil, err
	}
	ts, err := st.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing tenants: %w", err)
	}
	byCode := map[string]Tenant{}
	for _, t := range ts {
		byCode[t.Code] = t
	}
	f, err := VerifyFigures(data, func(code string) (ed25519.PublicKey, bool) {
		t, ok := byCode[code]
		if !ok || t.PublicKey == "" {
			return nil, false
		}
		k, err := ParsePublicKey(t.PublicKey)
		return k, err == nil
	})
	if err != nil {
		return nil, err
	}
	t := byCode[f.Wards[0].Code]
	ff := &FigureFile{TenantID: t.ID, Period: f.Period, Data: data, ImportedAt: s.now(),
		ImportedBy: a.UserID, ImportedByName: a.Name}
	replaced, err := st.SaveFigureFile(ctx, ff)
	if err != nil {
		return nil, fmt.Errorf("storing the figure file of %s: %w", t.Code, err)
	}
	live, err := st.LiveTenants(ctx)
	if err != nil {
		return nil, err
	}
	detail := "code=" + t.Code + " period=" + f.Period.In(s.loc).String()
	if replaced {
		detail += " replaced"
	}
	s.audit(ctx, a, "figures.import", "tenant", t.ID, detail)
	return &ImportResult{Tenant: t, Period: f.Period.In(s.loc), Replaced: replaced, Live: live[t.ID]}, nil
}

// In is p with both ends in loc (a file's times carry the ward's offset).
func (p Period) In(loc *time.Location) Period {
	return Period{From: p.From.In(loc), To: p.To.In(loc)}
}

// RollUp adds up every ward's figures for p: the city's total (ratios add
// numerators and denominators) and each ward's figures that had data.
func (s *Service) RollUp(ctx context.Context, a Actor, p Period) (*Figures, []Figures, error) {
	rows, total, err := s.RollUpRows(ctx, a, p)
	if err != nil {
		return nil, nil, err
	}
	var per []Figures
	for _, r := range rows {
		if r.Figures != nil {
			per = append(per, *r.Figures)
		}
	}
	return total, per, nil
}

// RollUpRows is RollUp with one row per ward, including the wards with no
// data for p, and where each row's figures come from.
func (s *Service) RollUpRows(ctx context.Context, a Actor, p Period) ([]RollUpRow, *Figures, error) {
	return s.rollUp(ctx, a, p, s.computeFigures)
}

func (s *Service) rollUp(ctx context.Context, a Actor, p Period, live liveFigures) ([]RollUpRow, *Figures, error) {
	if !canSeeCity(a) {
		return nil, nil, ErrForbidden
	}
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	st, err := s.tenants()
	if err != nil {
		return nil, nil, err
	}
	ts, err := st.Tenants(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("listing tenants: %w", err)
	}
	liveSet, err := st.LiveTenants(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("listing live tenants: %w", err)
	}
	files, err := st.FigureFiles(ctx, p)
	if err != nil {
		return nil, nil, fmt.Errorf("reading figure files: %w", err)
	}
	total := &Figures{Format: FiguresFormat, Period: p, Generated: s.now()}
	rows := make([]RollUpRow, 0, len(ts))
	for _, t := range ts {
		row := RollUpRow{Tenant: t, Source: FromNone}
		if ff, ok := files[t.ID]; ok {
			row.File = &ff
		}
		switch {
		case liveSet[t.ID]:
			f, err := live(ctx, t.ID, p)
			if err != nil {
				row.Source, row.Err = FromError, fmt.Errorf("computing the live figures of tenant %d: %w", t.ID, err)
				break
			}
			row.Source, row.Figures = FromLive, f
		case row.File != nil:
			f, err := figuresOfFile(row.File.Data)
			if err != nil {
				row.Source, row.Err = FromError, fmt.Errorf("reading the stored figure file of tenant %d: %w", t.ID, err)
				break
			}
			row.Source, row.Figures = FromFile, f
		}
		if row.Figures != nil {
			if len(row.Figures.Wards) != 1 {
				row.Figures.Wards = []TenantRef{{Code: t.Code, Name: t.Name}}
			}
			total.Add(row.Figures)
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(x, y RollUpRow) int { return strings.Compare(x.Tenant.Name, y.Tenant.Name) })
	return rows, total, nil
}

// figuresOfFile reads the figures of a file that was verified when it was
// imported (a key replaced since does not void the files already taken).
func figuresOfFile(data []byte) (*Figures, error) {
	var sf signedFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, err
	}
	var f Figures
	if err := json.NewDecoder(bytes.NewReader(sf.Figures)).Decode(&f); err != nil {
		return nil, err
	}
	return &f, nil
}

// WardFigures are the actor's ward's figures for p (the ward page that
// exports them).
func (s *Service) WardFigures(ctx context.Context, a Actor, p Period) (*Figures, error) {
	if !canSignFigures(a) {
		return nil, ErrForbidden
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return s.computeFigures(ctx, tenantOf(a), p)
}

// canSignFigures: the ward admin, the officer and the chairman send the
// ward's figures to the city.
func canSignFigures(a Actor) bool {
	return a.Role == RoleWardAdmin || a.Role == RoleOfficer || a.Role == RoleChairman
}

// ErrNoSigningKey: the deployment has no figures key configured.
var ErrNoSigningKey = errors.New("program: no figures signing key")

// SignedWardFigures computes the actor's ward's figures for p and signs
// them with the ward's key: the file to send the city, and the figures.
func (s *Service) SignedWardFigures(ctx context.Context, a Actor, p Period) ([]byte, *Figures, error) {
	f, err := s.WardFigures(ctx, a, p)
	if err != nil {
		return nil, nil, err
	}
	key, err := s.signingKey()
	if err != nil {
		return nil, nil, err
	}
	data, err := SignFigures(f, key)
	if err != nil {
		return nil, nil, err
	}
	s.audit(ctx, a, "figures.sign", "tenant", tenantOf(a), "period="+p.String())
	return data, f, nil
}

// WardPublicKey is the base64 public key the ward registers at the city.
func (s *Service) WardPublicKey(a Actor) (string, error) {
	if !canSignFigures(a) {
		return "", ErrForbidden
	}
	key, err := s.signingKey()
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)), nil
}

func (s *Service) signingKey() (ed25519.PrivateKey, error) {
	if s.opt.FiguresKey == nil {
		return nil, ErrNoSigningKey
	}
	return s.opt.FiguresKey()
}
