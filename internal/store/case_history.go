package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"manglanh/internal/cases"
)

func joinParts(ps []cases.HandOffPart) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, ",")
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func splitParts(s string) []cases.HandOffPart {
	var out []cases.HandOffPart
	for _, p := range splitList(s) {
		out = append(out, cases.HandOffPart(p))
	}
	return out
}

// legacyStep is what a step written before migration 0210 said in its
// note, read back into typed fields.
type legacyStep struct {
	assignee, org, referral int64
	kind, from, to          string
	consent                 bool
}

// parseLegacyNote reads the fixed English sentences the cases service
// wrote into the notes of assignment and referral steps before the history
// had typed fields. It is the conversion of migration 0210 and nothing
// else reads these sentences. ok is false for a note that is not one of
// them (it is then kept as written).
func parseLegacyNote(action cases.Action, note string) (l legacyStep, ok bool) {
	var err error
	switch action {
	case cases.ActionAssign:
		_, err = fmt.Sscanf(note, "assignee %d", &l.assignee)
	case cases.ActionRefer:
		_, err = fmt.Sscanf(note, "referred to %s %d (consent %t)", &l.kind, &l.org, &l.consent)
		l.to = string(cases.ReferralPending)
	case cases.ActionReferralUpdate:
		_, err = fmt.Sscanf(note, "referral %d %s -> %s", &l.referral, &l.from, &l.to)
	default:
		return l, false
	}
	return l, err == nil
}

// convertLegacySteps gives the steps written before migration 0210 their
// typed fields: it opens each untyped assignment or referral note (only
// the case store holds the key), parses it, writes the fields and an
// empty note, and marks the row typed. A referral update also learns its
// referral's organisation. Rows of other actions are only marked. It is
// idempotent and safe to run from several processes: each row is updated
// only while still untyped. It returns the number of notes converted.
func (cs *CaseStore) convertLegacySteps(ctx context.Context) (int, error) {
	rows, err := cs.db.read.QueryContext(ctx, `SELECT s.id, s.action, s.note FROM case_steps s
		WHERE s.typed = 0 AND s.action IN ($1, $2, $3) ORDER BY s.id`,
		string(cases.ActionAssign), string(cases.ActionRefer), string(cases.ActionReferralUpdate))
	if err != nil {
		return 0, err
	}
	type todo struct {
		id     int64
		action cases.Action
		note   []byte
	}
	var list []todo
	for rows.Next() {
		var t todo
		var a string
		if err := rows.Scan(&t.id, &a, &t.note); err != nil {
			rows.Close()
			return 0, err
		}
		t.action = cases.Action(a)
		list = append(list, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	empty, err := cs.seal("")
	if err != nil {
		return 0, err
	}
	for _, t := range list {
		var note string
		if err := cs.open(t.note, &note); err != nil {
			return n, fmt.Errorf("step %d: %w", t.id, err)
		}
		l, ok := parseLegacyNote(t.action, note)
		if !ok {
			continue // marked typed below, the note kept as written
		}
		err := cs.db.tx(ctx, func(tx *sql.Tx) error {
			if l.referral != 0 {
				// The sentence named the referral only: its organisation is
				// on the referral row.
				err := tx.QueryRowContext(ctx, "SELECT agency_kind, org_id FROM case_referrals WHERE id = $1", l.referral).Scan(&l.kind, &l.org)
				if err != nil && err != sql.ErrNoRows {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `UPDATE case_steps SET assignee_id = $1, org_id = $2, agency_kind = $3,
				referral_id = $4, referral_from = $5, referral_to = $6, consent = $7, note = $8, typed = 1
				WHERE id = $9 AND typed = 0`,
				l.assignee, l.org, l.kind, l.referral, l.from, l.to, b2i(l.consent), empty, t.id)
			return err
		})
		if err != nil {
			return n, fmt.Errorf("converting step %d: %w", t.id, err)
		}
		n++
	}
	if _, err := cs.db.write.ExecContext(ctx, "UPDATE case_steps SET typed = 1 WHERE typed = 0"); err != nil {
		return n, err
	}
	return n, nil
}
