package cases

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// Limits of a submission (idempotency) key. The public form draws 22
// characters of base64url; an API client's key must be hard to guess too,
// since it is what lets a retry get the earlier tracking code back.
const (
	MinSubmissionKey = 16
	MaxSubmissionKey = 128
)

// ErrSubmissionReused: a submission key came again with other content. The
// earlier case is not revealed.
var ErrSubmissionReused = errors.New("submission key already used for another report")

// Submission is what the store keeps of an idempotency key: digests only,
// so that neither the key nor the content can be read back from it.
type Submission struct {
	KeyDigest     string // hex SHA-256 of the key
	ContentDigest string // hex SHA-256 of the report's content
}

// DuplicateSubmissionError is returned by Store.CreateCase when a case with
// the same Submission.KeyDigest exists (committed, possibly by a
// concurrent request). Nothing of the new case was kept.
type DuplicateSubmissionError struct {
	CaseID      int64
	SameContent bool // the stored ContentDigest equals the new one
}

// Error implements error.
func (e *DuplicateSubmissionError) Error() string {
	return fmt.Sprintf("submission already recorded as case %d", e.CaseID)
}

// validateSubmissionKey accepts "" (no key) or MinSubmissionKey to
// MaxSubmissionKey printable ASCII characters.
func validateSubmissionKey(k string) error {
	if k == "" {
		return nil
	}
	bad := len(k) < MinSubmissionKey || len(k) > MaxSubmissionKey
	for i := 0; i < len(k) && !bad; i++ {
		bad = k[i] < 0x21 || k[i] > 0x7e
	}
	if bad {
		return invalid("SubmissionKey",
			fmt.Sprintf("Khoá gửi (Idempotency-Key) phải có từ %d đến %d ký tự ASCII, không có dấu cách.", MinSubmissionKey, MaxSubmissionKey),
			fmt.Sprintf("The submission key (Idempotency-Key) must be %d to %d ASCII characters without spaces.", MinSubmissionKey, MaxSubmissionKey))
	}
	return nil
}

// newSubmission digests in's key and content. The content digest covers
// what the submitter sent (not the risk engine's suggestion, which may
// change between retries), images by their bytes.
func newSubmission(in Intake) *Submission {
	key := sha256.Sum256([]byte(in.SubmissionKey))
	images := make([]string, len(in.Evidence))
	for i, e := range in.Evidence {
		sum := sha256.Sum256(e.Data)
		images[i] = e.ContentType + ":" + hex.EncodeToString(sum[:])
	}
	content, _ := json.Marshal(struct {
		Category, Channel, Place, AgeBand string
		SourceID, SchoolID                int64
		Urgent                            bool
		OccurredAt                        int64
		Sensitive                         Sensitive
		Images                            []string
	}{in.Category, in.Channel, in.Place, in.AgeBand, in.SourceID, in.SchoolID, in.Urgent,
		in.OccurredAt.UnixMilli(), in.Sensitive, images})
	sum := sha256.Sum256(content)
	return &Submission{KeyDigest: hex.EncodeToString(key[:]), ContentDigest: hex.EncodeToString(sum[:])}
}
