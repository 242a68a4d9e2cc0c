package program

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SignedFormat is the format tag of a signed figure file.
const SignedFormat = "manglanh.figures.signed/1"

// MaxSignedFile bounds a signed figure file (a year of a ward's figures is
// a few tens of kilobytes).
const MaxSignedFile = 5 << 20

// signedFile is the file a ward sends the city. Figures is kept as the
// exact bytes that were signed: the signature covers those bytes, not a
// re-encoding of them, so no canonical JSON is needed on either side.
type signedFile struct {
	Format    string          `json:"format"`
	Ward      TenantRef       `json:"ward"`
	Key       string          `json:"key"`
	Figures   json.RawMessage `json:"figures"`
	Signature string          `json:"signature"`
}

// Reasons a signed file is refused (FileError.Reason); web shows
// "city.err.file.<reason>".
const (
	RefuseTooLarge    = "too_large"
	RefuseJSON        = "json"
	RefuseFormat      = "format"
	RefuseUnknownWard = "unknown_ward"
	RefuseKeyMismatch = "key_mismatch"
	RefuseSignature   = "signature"
	RefusePeriod      = "period"
	RefuseFigures     = "figures"
)

// FileError is a refused figure file: Reason is one of the Refuse*
// constants, Detail says what in words for the log (never a secret).
type FileError struct {
	Reason string
	Detail string
}

func (e *FileError) Error() string {
	return "program: figure file refused (" + e.Reason + "): " + e.Detail
}

func refuse(reason, format string, args ...any) error {
	return &FileError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// SignFigures signs f, the figures of one ward, with the ward's key and
// returns the file to send: the figures member holds the bytes the
// signature covers, byte for byte.
func SignFigures(f *Figures, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("program: signing key is not an ed25519 private key")
	}
	if len(f.Wards) != 1 || f.Wards[0].Code == "" {
		return nil, errors.New("program: a figure file is one ward's, with its code")
	}
	if err := ValidateFigures(f); err != nil {
		return nil, err
	}
	body, err := json.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("encoding figures: %w", err)
	}
	pub := key.Public().(ed25519.PublicKey)
	out, err := json.Marshal(signedFile{Format: SignedFormat, Ward: f.Wards[0],
		Key: base64.StdEncoding.EncodeToString(pub), Figures: body,
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, body))})
	if err != nil {
		return nil, fmt.Errorf("encoding the signed file: %w", err)
	}
	if len(out) > MaxSignedFile {
		return nil, refuse(RefuseTooLarge, "%d bytes", len(out))
	}
	return out, nil
}

// VerifyFigures checks a signed figure file and returns its figures.
// trusted gives the key registered at the city for a ward code. It
// refuses (a *FileError) a file over MaxSignedFile, bad JSON, another
// format, an unknown ward, a key other than the registered one, a bad
// signature, and figures or a period that do not validate.
func VerifyFigures(data []byte, trusted func(code string) (ed25519.PublicKey, bool)) (*Figures, error) {
	if len(data) > MaxSignedFile {
		return nil, refuse(RefuseTooLarge, "%d bytes", len(data))
	}
	var sf signedFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, refuse(RefuseJSON, "%v", err)
	}
	if dec.More() {
		return nil, refuse(RefuseJSON, "data after the file")
	}
	if sf.Format != SignedFormat {
		return nil, refuse(RefuseFormat, "format %.40q", sf.Format)
	}
	if !ValidTenantCode(sf.Ward.Code) {
		return nil, refuse(RefuseUnknownWard, "no valid ward code")
	}
	want, ok := trusted(sf.Ward.Code)
	if !ok {
		return nil, refuse(RefuseUnknownWard, "ward %s has no registered key", sf.Ward.Code)
	}
	got, err := ParsePublicKey(sf.Key)
	if err != nil || !got.Equal(want) {
		return nil, refuse(RefuseKeyMismatch, "ward %s signed with another key", sf.Ward.Code)
	}
	sig, err := base64.StdEncoding.DecodeString(sf.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize || len(sf.Figures) == 0 ||
		!ed25519.Verify(want, sf.Figures, sig) {
		return nil, refuse(RefuseSignature, "ward %s: the signature does not match the figures", sf.Ward.Code)
	}
	var f Figures
	fd := json.NewDecoder(bytes.NewReader(sf.Figures))
	fd.DisallowUnknownFields()
	if err := fd.Decode(&f); err != nil {
		return nil, refuse(RefuseFigures, "%v", err)
	}
	if f.Format != FiguresFormat {
		return nil, refuse(RefuseFormat, "figures format %.40q", f.Format)
	}
	if len(f.Wards) != 1 || f.Wards[0].Code != sf.Ward.Code {
		return nil, refuse(RefuseFigures, "the figures are not ward %s's alone", sf.Ward.Code)
	}
	if err := f.Period.Validate(); err != nil {
		return nil, refuse(RefusePeriod, "%v", err)
	}
	if err := ValidateFigures(&f); err != nil {
		return nil, refuse(RefuseFigures, "%v", err)
	}
	return &f, nil
}

// ValidateFigures reports the first count that is negative and the first
// ratio whose numerator exceeds its denominator.
func ValidateFigures(f *Figures) error {
	v := &figureCheck{}
	a := &f.Activities
	v.n("activities.total", a.Total)
	v.m("activities.by_kind", a.ByKind)
	v.m("activities.participants", a.Participants)
	v.m("activities.pupils_by_level", a.PupilsByLevel)
	for k, m := range a.ParticipantsByKind {
		v.m("activities.participants_by_kind."+k, m)
	}
	v.m("activities.copies", a.Copies)
	v.m("activities.by_place", a.ByPlace)
	v.months("activities.by_month", a.ByMonth)
	c := &f.Coverage
	v.r("coverage.pupils", c.Pupils)
	v.r("coverage.schools", c.Schools)
	for k, r := range c.ByLevel {
		v.r("coverage.by_level."+k, r)
	}
	v.n("coverage.schools_no_enrolment", c.SchoolsNoEnrolment)
	v.n("coverage.reached_no_enrolment", c.ReachedNoEnrolment)
	for k, m := range c.ReachedByKind {
		v.m("coverage.reached_by_kind."+k, m)
	}
	for _, sc := range c.BySchool {
		v.n("coverage.by_school.activities", sc.Activities)
		v.m("coverage.by_school.reached", sc.Reached)
		v.m("coverage.by_school.enrolled", sc.Enrolled)
	}
	e := &f.Cases
	for name, n := range map[string]int{"received": e.Received, "urgent": e.Urgent, "handled": e.Handled,
		"supported": e.Supported, "referred": e.Referred, "closed": e.Closed, "open_at_end": e.OpenAtEnd} {
		v.n("cases."+name, n)
	}
	v.m("cases.by_category", e.ByCategory)
	v.m("cases.by_channel", e.ByChannel)
	v.m("cases.by_level", e.ByLevel)
	for k, d := range e.Deadlines {
		v.n("cases.deadlines."+k+".met", d.Met)
		v.n("cases.deadlines."+k+".missed", d.Missed)
		v.n("cases.deadlines."+k+".open", d.Open)
	}
	v.r("cases.in_time", e.InTime)
	v.months("cases.by_month", e.ByMonth)
	sh := &f.Shops
	for name, n := range map[string]int{"registered": sh.Registered, "inspections": sh.Inspections,
		"shops_inspected": sh.ShopsInspected, "violations": sh.Violations, "handled": sh.Handled,
		"repeat_offenders": sh.RepeatOffenders} {
		v.n("shops."+name, n)
	}
	if sh.Handled > sh.Violations {
		v.fail("shops.handled exceeds shops.violations")
	}
	v.m("shops.by_article", sh.ByArticle)
	v.m("shops.by_action", sh.ByAction)
	v.n64("shops.fines_vnd", sh.FinesVND)
	v.n("alerts.raised", f.Alerts.Raised)
	v.m("alerts.by_category", f.Alerts.ByCategory)
	v.m("alerts.by_level", f.Alerts.ByLevel)
	d := &f.DNS
	v.n("dns.devices_protected", d.DevicesProtected)
	v.n("dns.profiles", d.Profiles)
	v.n64("dns.blocked", d.Blocked)
	for k, n := range d.BlockedByCategory {
		v.n64("dns.blocked_by_category."+k, n)
	}
	v.months("dns.by_month", d.ByMonth)
	for _, ir := range f.Indicators {
		if ir.Value.Num < 0 || ir.Value.Den < 0 {
			v.fail("indicator " + ir.Code + " is negative")
		}
	}
	if v.err != "" {
		return errors.New("program: figures: " + v.err)
	}
	return nil
}

type figureCheck struct{ err string }

func (v *figureCheck) fail(s string) {
	if v.err == "" {
		v.err = s
	}
}
func (v *figureCheck) n(name string, n int) {
	if n < 0 {
		v.fail(name + " is negative")
	}
}
func (v *figureCheck) n64(name string, n int64) {
	if n < 0 {
		v.fail(name + " is negative")
	}
}
func (v *figureCheck) m(name string, m map[string]int) {
	for k, n := range m {
		if n < 0 {
			v.fail(name + "." + k + " is negative")
		}
	}
}
func (v *figureCheck) r(name string, r Ratio) {
	switch {
	case r.Num < 0 || r.Den < 0:
		v.fail(name + " is negative")
	case r.Num > r.Den:
		v.fail(name + ": numerator exceeds denominator")
	}
}
func (v *figureCheck) months(name string, ms []MonthCount) {
	for _, m := range ms {
		if m.Count < 0 {
			v.fail(name + "." + m.Month + " is negative")
		}
	}
}

// LoadOrCreateSigningKey reads the ward's ed25519 key from path (the seed,
// base64, one line), creating it 0600 on first use. The key is never
// logged; its public half is what the city registers.
func LoadOrCreateSigningKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("figures key %s: not a base64 ed25519 seed", path)
		}
		return ed25519.NewKeyFromSeed(seed), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading figures key: %w", err)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateSigningKey(path) // another process created it first
	}
	if err != nil {
		return nil, fmt.Errorf("creating figures key: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(seed) + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("writing figures key: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("writing figures key: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
