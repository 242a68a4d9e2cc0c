package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"manglanh/internal/cases"
)

// Sealer encrypts and authenticates small blobs (internal/secret's
// AES-256-GCM sealer satisfies it). Open must fail on anything Seal did not
// produce with the same key.
type Sealer interface {
	Seal(plain []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// CaseStore keeps cases, their evidence images and report sources. It is a
// view of a Store with the key that seals the sensitive columns: without a
// Sealer there is no CaseStore, so nothing can be written in clear by
// mistake. It is safe for concurrent use.
type CaseStore struct {
	db      *Store
	sealer  Sealer
	uploads string
	now     func() time.Time
}

var _ cases.Store = (*CaseStore)(nil)

// Cases returns the case store sealing with sealer and keeping evidence
// files under uploadsDir (created 0700 when missing; it must not be a
// served directory). It first finishes or undoes the evidence writes a
// crash interrupted (see stageEvidence).
func (s *Store) Cases(sealer Sealer, uploadsDir string) (*CaseStore, error) {
	if sealer == nil {
		return nil, errors.New("store: case store needs a sealer: case content is encrypted at rest")
	}
	if uploadsDir == "" {
		return nil, errors.New("store: case store needs an uploads directory")
	}
	if err := mkdirPrivate(uploadsDir); err != nil {
		return nil, err
	}
	cs := &CaseStore{db: s, sealer: sealer, uploads: uploadsDir, now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	renamed, removed, err := cs.sweepUploads(ctx)
	if err != nil {
		return nil, err
	}
	if renamed+removed > 0 {
		s.log.InfoContext(ctx, "evidence writes interrupted by a crash finished", "renamed", renamed, "removed", removed)
	}
	if n, err := cs.convertLegacySteps(ctx); err != nil {
		return nil, fmt.Errorf("converting case history: %w", err)
	} else if n > 0 {
		s.log.InfoContext(ctx, "case history notes converted to typed fields", "steps", n)
	}
	if n, err := cs.ensureLegacyOrgs(ctx); err != nil {
		return nil, fmt.Errorf("adding organisation ids typed before the directory: %w", err)
	} else if n > 0 {
		s.log.InfoContext(ctx, "organisation ids typed before the directory added to it", "organisations", n)
	}
	return cs, nil
}

// detail is the sealed part of a case besides Sensitive: every record
// whose free text may name people.
type detail struct {
	Place            string                 `json:"place,omitempty"`
	SuggestedReasons string                 `json:"suggested_reasons,omitempty"`
	Assessment       *cases.Assessment      `json:"assessment,omitempty"`
	Emergency        *cases.EmergencyAction `json:"emergency,omitempty"`
	NeedsAssessment  *cases.NeedsAssessment `json:"needs_assessment,omitempty"`
	Plan             *cases.Plan            `json:"plan,omitempty"`
	Approval         *cases.Approval        `json:"approval,omitempty"`
	Review           *cases.Review          `json:"review,omitempty"`
	ClosureNote      string                 `json:"closure_note,omitempty"`
}

// referralNotes is the sealed part of a referral.
type referralNotes struct {
	OverrideReason string `json:"override_reason,omitempty"`
	Note           string `json:"note,omitempty"`
	ResponseNote   string `json:"response_note,omitempty"`
}

func (cs *CaseStore) seal(v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding case content: %w", err)
	}
	out, err := cs.sealer.Seal(plain)
	if err != nil {
		return nil, fmt.Errorf("sealing case content: %w", err)
	}
	return out, nil
}

func (cs *CaseStore) open(sealed []byte, v any) error {
	plain, err := cs.sealer.Open(sealed)
	if err != nil {
		return fmt.Errorf("opening sealed case content: %w", err)
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("decoding case content: %w", err)
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// CreateCase writes the evidence files, then inserts c, its steps,
// referrals and evidence rows in one transaction, then moves the files into
// place: the case is visible with all its images or not at all, even
// across a crash (see stageEvidence).
func (cs *CaseStore) CreateCase(ctx context.Context, c *cases.Case, evidence []cases.EvidenceItem) error {
	sens, err := cs.seal(c.Sensitive)
	if err != nil {
		return err
	}
	det, err := cs.seal(detailOf(c))
	if err != nil {
		return err
	}
	steps, refs := cloneSteps(c.Steps), cloneReferrals(c.Referrals)
	ev, err := cs.stageEvidence(evidence, cs.now().UTC().Truncate(time.Millisecond))
	if err != nil {
		return fmt.Errorf("creating case: %w", err)
	}
	var id int64
	err = cs.db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM case_deletions WHERE code = $1", c.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return cases.ErrCodeTaken
		}
		id, err = insertID(ctx, tx, `INSERT INTO cases (code, version, status, urgent, category, risk_level,
			channel, source_id, received_at, updated_at, closed_at, occurred_at, assignee_id, school_id,
			age_band, suggested_category, suggested_level, sensitive, detail, tenant_id)
			VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			c.Code, string(c.Status), b2i(c.Urgent), c.Category, c.RiskLevel, c.Channel, c.SourceID,
			ms(c.ReceivedAt), ms(c.UpdatedAt), ms(c.ClosedAt), ms(c.OccurredAt), c.AssigneeID, c.SchoolID,
			c.AgeBand, c.SuggestedCategory, c.SuggestedLevel, sens, det, userTenant(c.TenantID))
		if err != nil {
			if IsUniqueViolation(err) {
				return cases.ErrCodeTaken
			}
			return err
		}
		if err := insertSubmission(ctx, tx, id, c.Submission); err != nil {
			return err
		}
		if err := cs.insertSteps(ctx, tx, id, steps); err != nil {
			return err
		}
		if err := cs.writeReferrals(ctx, tx, id, refs); err != nil {
			return err
		}
		return insertEvidence(ctx, tx, id, ev)
	})
	if err != nil {
		cs.discardUncommitted(ctx, ev, errors.Is(err, cases.ErrCodeTaken) || errors.Is(err, errSubmissionTaken))
		if errors.Is(err, cases.ErrCodeTaken) {
			return err
		}
		if errors.Is(err, errSubmissionTaken) {
			return cs.duplicateSubmission(ctx, c.Submission)
		}
		return fmt.Errorf("creating case: %w", err)
	}
	c.ID, c.Version, c.Steps, c.Referrals = id, 1, steps, refs
	if err := cs.publishEvidence(ev); err != nil {
		// The case is committed and its images readable under their
		// temporary names; the next start-up sweep renames them.
		cs.db.log.ErrorContext(ctx, "evidence files not moved into place", "case", id, "err", err)
	}
	return nil
}

func detailOf(c *cases.Case) detail {
	return detail{Place: c.Place, SuggestedReasons: c.SuggestedReasons, Assessment: c.Assessment,
		Emergency: c.Emergency, NeedsAssessment: c.NeedsAssessment, Plan: c.Plan, Approval: c.Approval,
		Review: c.Review, ClosureNote: c.ClosureNote}
}

func cloneSteps(s []cases.Step) []cases.Step { return append([]cases.Step(nil), s...) }
func cloneReferrals(r []cases.Referral) []cases.Referral {
	return append([]cases.Referral(nil), r...)
}

// insertSteps inserts the steps whose ID is 0 and sets their IDs in place.
func (cs *CaseStore) insertSteps(ctx context.Context, tx *sql.Tx, caseID int64, steps []cases.Step) error {
	for i := range steps {
		st := &steps[i]
		if st.ID != 0 {
			continue
		}
		note, err := cs.seal(st.Note)
		if err != nil {
			return err
		}
		st.ID, err = insertID(ctx, tx, `INSERT INTO case_steps (case_id, at, actor_id, actor_name, actor_role,
			action, from_status, to_status, note, assignee_id, org_id, agency_kind, referral_id, referral_from,
			referral_to, consent, parts, fields, typed)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1)`,
			caseID, ms(st.At), st.ActorID, st.ActorName, st.ActorRole, string(st.Action), string(st.From),
			string(st.To), note, st.AssigneeID, st.OrgID, st.AgencyKind, st.ReferralID, string(st.ReferralFrom),
			string(st.ReferralTo), b2i(st.Consent), joinParts(st.Parts), strings.Join(st.Fields, ","))
		if err != nil {
			return fmt.Errorf("inserting step: %w", err)
		}
	}
	return nil
}

// writeReferrals inserts referrals whose ID is 0 (setting the ID) and
// updates the others.
func (cs *CaseStore) writeReferrals(ctx context.Context, tx *sql.Tx, caseID int64, refs []cases.Referral) error {
	for i := range refs {
		r := &refs[i]
		notes, err := cs.seal(referralNotes{OverrideReason: r.OverrideReason, Note: r.Note, ResponseNote: r.ResponseNote})
		if err != nil {
			return err
		}
		if r.ID == 0 {
			r.ID, err = insertID(ctx, tx, `INSERT INTO case_referrals (case_id, agency_kind, org_id, status,
				consent, referred_at, referred_by, responded_at, responded_by, revoked_at, revoked_by, notes,
				delivery, delivered_accounts, delivered_emails)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
				caseID, r.AgencyKind, r.OrgID, string(r.Status), b2i(r.ConsentRecorded), ms(r.ReferredAt),
				r.ReferredByID, ms(r.RespondedAt), r.RespondedByID, ms(r.RevokedAt), r.RevokedByID, notes,
				string(r.Delivery), r.DeliveredAccounts, r.DeliveredEmails)
			if err != nil {
				return fmt.Errorf("inserting referral: %w", err)
			}
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE case_referrals SET agency_kind = $1, org_id = $2, status = $3,
			consent = $4, referred_at = $5, referred_by = $6, responded_at = $7, responded_by = $8,
			revoked_at = $9, revoked_by = $10, notes = $11, delivery = $12, delivered_accounts = $13,
			delivered_emails = $14 WHERE id = $15 AND case_id = $16`,
			r.AgencyKind, r.OrgID, string(r.Status), b2i(r.ConsentRecorded), ms(r.ReferredAt), r.ReferredByID,
			ms(r.RespondedAt), r.RespondedByID, ms(r.RevokedAt), r.RevokedByID, notes, string(r.Delivery),
			r.DeliveredAccounts, r.DeliveredEmails, r.ID, caseID)
		if err != nil {
			return fmt.Errorf("updating referral %d: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("updating referral %d: not a referral of case %d", r.ID, caseID)
		}
	}
	return nil
}

const caseColumns = `c.id, c.code, c.version, c.status, c.urgent, c.category, c.risk_level, c.channel,
	c.source_id, c.received_at, c.updated_at, c.closed_at, c.occurred_at, c.assignee_id, c.school_id,
	c.age_band, c.suggested_category, c.suggested_level, c.tenant_id, c.detail`

type scanner interface{ Scan(...any) error }

// scanCase reads caseColumns (and, with sens, the sensitive column after
// them) and opens the sealed detail.
func (cs *CaseStore) scanCase(row scanner, withSensitive bool) (*cases.Case, error) {
	var c cases.Case
	var status string
	var urgent int
	var recv, upd, closed, occ int64
	var det, sens []byte
	dest := []any{&c.ID, &c.Code, &c.Version, &status, &urgent, &c.Category, &c.RiskLevel, &c.Channel,
		&c.SourceID, &recv, &upd, &closed, &occ, &c.AssigneeID, &c.SchoolID, &c.AgeBand,
		&c.SuggestedCategory, &c.SuggestedLevel, &c.TenantID, &det}
	if withSensitive {
		dest = append(dest, &sens)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, cases.ErrNotFound
		}
		return nil, err
	}
	c.Status, c.Urgent = cases.Status(status), urgent != 0
	c.ReceivedAt, c.UpdatedAt, c.ClosedAt, c.OccurredAt = fromMS(recv), fromMS(upd), fromMS(closed), fromMS(occ)
	var d detail
	if err := cs.open(det, &d); err != nil {
		return nil, fmt.Errorf("case %d: %w", c.ID, err)
	}
	c.Place, c.SuggestedReasons, c.Assessment, c.Emergency = d.Place, d.SuggestedReasons, d.Assessment, d.Emergency
	c.NeedsAssessment, c.Plan, c.Approval, c.Review, c.ClosureNote = d.NeedsAssessment, d.Plan, d.Approval, d.Review, d.ClosureNote
	if withSensitive {
		if err := cs.open(sens, &c.Sensitive); err != nil {
			return nil, fmt.Errorf("case %d: %w", c.ID, err)
		}
	}
	return &c, nil
}

// GetCase returns case id with everything.
func (cs *CaseStore) GetCase(ctx context.Context, id int64) (*cases.Case, error) {
	return cs.getBy(ctx, "c.id = $1", id)
}

// GetCaseByCode returns the case with tracking code (exact).
func (cs *CaseStore) GetCaseByCode(ctx context.Context, code string) (*cases.Case, error) {
	return cs.getBy(ctx, "c.code = $1", code)
}

func (cs *CaseStore) getBy(ctx context.Context, where string, arg any) (*cases.Case, error) {
	row := cs.db.read.QueryRowContext(ctx, "SELECT "+caseColumns+", c.sensitive FROM cases c WHERE "+where, arg)
	c, err := cs.scanCase(row, true)
	if err != nil {
		if errors.Is(err, cases.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("reading case: %w", err)
	}
	if c.Steps, err = cs.steps(ctx, c.ID); err != nil {
		return nil, err
	}
	refs, err := cs.referrals(ctx, []int64{c.ID})
	if err != nil {
		return nil, err
	}
	c.Referrals = refs[c.ID]
	return c, nil
}

func (cs *CaseStore) steps(ctx context.Context, caseID int64) ([]cases.Step, error) {
	rows, err := cs.db.read.QueryContext(ctx, `SELECT id, at, actor_id, actor_name, actor_role, action,
		from_status, to_status, note, assignee_id, org_id, agency_kind, referral_id, referral_from, referral_to,
		consent, parts, fields FROM case_steps WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("reading steps of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []cases.Step
	for rows.Next() {
		var st cases.Step
		var at int64
		var action, from, to, refFrom, refTo, parts, fields string
		var consent int
		var note []byte
		if err := rows.Scan(&st.ID, &at, &st.ActorID, &st.ActorName, &st.ActorRole, &action, &from, &to, &note,
			&st.AssigneeID, &st.OrgID, &st.AgencyKind, &st.ReferralID, &refFrom, &refTo, &consent, &parts, &fields); err != nil {
			return nil, err
		}
		st.At, st.Action, st.From, st.To = fromMS(at), cases.Action(action), cases.Status(from), cases.Status(to)
		st.ReferralFrom, st.ReferralTo, st.Consent = cases.ReferralStatus(refFrom), cases.ReferralStatus(refTo), consent != 0
		st.Parts, st.Fields = splitParts(parts), splitList(fields)
		if err := cs.open(note, &st.Note); err != nil {
			return nil, fmt.Errorf("step %d: %w", st.ID, err)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// referrals returns the referrals of the given cases, oldest first.
func (cs *CaseStore) referrals(ctx context.Context, ids []int64) (map[int64][]cases.Referral, error) {
	out := map[int64][]cases.Referral{}
	if len(ids) == 0 {
		return out, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = fmt.Sprintf("$%d", i+1), id
	}
	rows, err := cs.db.read.QueryContext(ctx, `SELECT id, case_id, agency_kind, org_id, status, consent,
		referred_at, referred_by, responded_at, responded_by, revoked_at, revoked_by, notes, delivery,
		delivered_accounts, delivered_emails
		FROM case_referrals WHERE case_id IN (`+strings.Join(ph, ",")+`) ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("reading referrals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r cases.Referral
		var caseID, refAt, respAt, revAt int64
		var status, delivery string
		var consent int
		var notes []byte
		if err := rows.Scan(&r.ID, &caseID, &r.AgencyKind, &r.OrgID, &status, &consent, &refAt, &r.ReferredByID,
			&respAt, &r.RespondedByID, &revAt, &r.RevokedByID, &notes, &delivery, &r.DeliveredAccounts,
			&r.DeliveredEmails); err != nil {
			return nil, err
		}
		r.Delivery = cases.DeliveryState(delivery)
		r.Status, r.ConsentRecorded = cases.ReferralStatus(status), consent != 0
		r.ReferredAt, r.RespondedAt, r.RevokedAt = fromMS(refAt), fromMS(respAt), fromMS(revAt)
		var n referralNotes
		if err := cs.open(notes, &n); err != nil {
			return nil, fmt.Errorf("referral %d: %w", r.ID, err)
		}
		r.OverrideReason, r.Note, r.ResponseNote = n.OverrideReason, n.Note, n.ResponseNote
		out[caseID] = append(out[caseID], r)
	}
	return out, rows.Err()
}

// UpdateCase writes c if its version is current, appends new steps and
// writes referrals, all in one transaction.
func (cs *CaseStore) UpdateCase(ctx context.Context, c *cases.Case) error {
	sens, err := cs.seal(c.Sensitive)
	if err != nil {
		return err
	}
	det, err := cs.seal(detailOf(c))
	if err != nil {
		return err
	}
	steps, refs := cloneSteps(c.Steps), cloneReferrals(c.Referrals)
	err = cs.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE cases SET version = version + 1, status = $1, urgent = $2,
			category = $3, risk_level = $4, channel = $5, source_id = $6, received_at = $7, updated_at = $8,
			closed_at = $9, occurred_at = $10, assignee_id = $11, school_id = $12, age_band = $13,
			suggested_category = $14, suggested_level = $15, sensitive = $16, detail = $17
			WHERE id = $18 AND version = $19`,
			string(c.Status), b2i(c.Urgent), c.Category, c.RiskLevel, c.Channel, c.SourceID, ms(c.ReceivedAt),
			ms(c.UpdatedAt), ms(c.ClosedAt), ms(c.OccurredAt), c.AssigneeID, c.SchoolID, c.AgeBand,
			c.SuggestedCategory, c.SuggestedLevel, sens, det, c.ID, c.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			var one int
			if err := tx.QueryRowContext(ctx, "SELECT 1 FROM cases WHERE id = $1", c.ID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return cases.ErrNotFound
			}
			return cases.ErrConflict
		}
		if err := cs.insertSteps(ctx, tx, c.ID, steps); err != nil {
			return err
		}
		return cs.writeReferrals(ctx, tx, c.ID, refs)
	})
	if err != nil {
		if errors.Is(err, cases.ErrNotFound) || errors.Is(err, cases.ErrConflict) {
			return err
		}
		return fmt.Errorf("updating case %d: %w", c.ID, err)
	}
	c.Version++
	c.Steps, c.Referrals = steps, refs
	return nil
}

// ListCases returns the cases f selects, newest first, without Sensitive
// and Steps.
func (cs *CaseStore) ListCases(ctx context.Context, f cases.Filter) ([]*cases.Case, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ph[i] = arg(string(st))
		}
		where = append(where, "c.status IN ("+strings.Join(ph, ",")+")")
	}
	if f.OpenOnly {
		where = append(where, "c.status <> "+arg(string(cases.StatusClosed)))
	}
	if f.Category != "" {
		where = append(where, "c.category = "+arg(f.Category))
	}
	if f.Urgent {
		where = append(where, "c.urgent = 1")
	}
	if f.AssigneeID != 0 {
		where = append(where, "c.assignee_id = "+arg(f.AssigneeID))
	}
	if f.TenantID != 0 {
		where = append(where, "c.tenant_id = "+arg(f.TenantID))
	}
	if !f.ClosedBefore.IsZero() {
		where = append(where, "c.status = "+arg(string(cases.StatusClosed))+" AND c.closed_at > 0 AND c.closed_at < "+arg(ms(f.ClosedBefore)))
	}
	if !f.ReceivedFrom.IsZero() {
		where = append(where, "c.received_at >= "+arg(ms(f.ReceivedFrom)))
	}
	if !f.ReceivedTo.IsZero() {
		where = append(where, "c.received_at < "+arg(ms(f.ReceivedTo)))
	}
	if f.ReferredKind != "" {
		q := "EXISTS (SELECT 1 FROM case_referrals r WHERE r.case_id = c.id AND r.agency_kind = " + arg(f.ReferredKind) +
			" AND r.status IN ('pending', 'accepted', 'done')"
		if f.ReferredOrgID != 0 {
			q += " AND r.org_id = " + arg(f.ReferredOrgID)
		}
		where = append(where, q+")")
	}
	q := "SELECT " + caseColumns + " FROM cases c"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	offset := f.Offset
	if offset < 0 {
		offset = 0
	}
	q += " ORDER BY c.received_at DESC, c.id DESC LIMIT " + itoa(f.Limit) + fmt.Sprintf(" OFFSET %d", offset)
	rows, err := cs.db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing cases: %w", err)
	}
	var out []*cases.Case
	var ids []int64
	for rows.Next() {
		c, err := cs.scanCase(rows, false)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("listing cases: %w", err)
		}
		out = append(out, c)
		ids = append(ids, c.ID)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing cases: %w", err)
	}
	refs, err := cs.referrals(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range out {
		c.Referrals = refs[c.ID]
	}
	return out, nil
}

// ClaimNotice records n unless its key exists, atomically on both engines.
func (cs *CaseStore) ClaimNotice(ctx context.Context, n cases.Notice) (bool, error) {
	res, err := cs.db.write.ExecContext(ctx, `INSERT INTO case_notices (key, case_id, kind, deadline, due, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
		n.Key, n.CaseID, string(n.Kind), string(n.Deadline), ms(n.Due), ms(n.SentAt))
	if err != nil {
		return false, fmt.Errorf("claiming notice: %w", err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// ReleaseNotice forgets the notice with key.
func (cs *CaseStore) ReleaseNotice(ctx context.Context, key string) error {
	if _, err := cs.db.write.ExecContext(ctx, "DELETE FROM case_notices WHERE key = $1", key); err != nil {
		return fmt.Errorf("releasing notice: %w", err)
	}
	return nil
}

// DeleteCase deletes case id with its steps, referrals, notices and
// evidence rows and stores rec, in one transaction; the evidence files are
// removed after the commit.
func (cs *CaseStore) DeleteCase(ctx context.Context, id int64, rec cases.DeletionRecord) error {
	var files []string
	err := cs.db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT file FROM case_evidence WHERE case_id = $1", id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f string
			if err := rows.Scan(&f); err != nil {
				rows.Close()
				return err
			}
			files = append(files, f)
		}
		rows.Close()
		for _, q := range []string{"DELETE FROM case_evidence WHERE case_id = $1", "DELETE FROM case_notices WHERE case_id = $1",
			"DELETE FROM case_referrals WHERE case_id = $1", "DELETE FROM case_steps WHERE case_id = $1"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM cases WHERE id = $1", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return cases.ErrNotFound
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_deletions (case_id, code, category, channel, risk_level,
			received_at, closed_at, deleted_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, rec.Code, rec.Category, rec.Channel, rec.RiskLevel, ms(rec.ReceivedAt), ms(rec.ClosedAt),
			ms(rec.DeletedAt), rec.Reason)
		return err
	})
	if err != nil {
		if errors.Is(err, cases.ErrNotFound) {
			return err
		}
		return fmt.Errorf("deleting case %d: %w", id, err)
	}
	for _, f := range files {
		if err := cs.removeFile(f); err != nil {
			cs.db.log.ErrorContext(ctx, "evidence file not removed", "case", id, "err", err)
		}
	}
	return nil
}
