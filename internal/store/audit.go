package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"manglanh/internal/audit"
)

var _ audit.Store = (*Store)(nil)

const auditColumns = "id, seq, ts, actor_id, actor_name, actor_role, action, object_type, object_id, detail, ip, prev_hash, hash"

// AppendAudit appends one entry to the audit chain. The head row is locked
// (SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction is
// IMMEDIATE and there is one writer connection), so appenders on every
// process queue up behind each other.
func (s *Store) AppendAudit(ctx context.Context, build func(int64, string) (audit.Entry, error)) (audit.Entry, error) {
	var out audit.Entry
	err := s.tx(ctx, func(tx *sql.Tx) error {
		q := "SELECT seq, hash FROM audit_head WHERE id = 1"
		if s.dialect == Postgres {
			q += " FOR UPDATE"
		}
		var seq int64
		var hash string
		if err := tx.QueryRowContext(ctx, q).Scan(&seq, &hash); err != nil {
			return fmt.Errorf("reading audit head: %w", err)
		}
		e, err := build(seq, hash)
		if err != nil {
			return err
		}
		e.ID, err = insertID(ctx, tx, `INSERT INTO audit_log (seq, ts, actor_id, actor_name, actor_role, action,
			object_type, object_id, detail, ip, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			e.Seq, ms(e.Time), e.ActorID, e.ActorName, e.ActorRole, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.IP, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("inserting audit entry: %w", err)
		}
		res, err := tx.ExecContext(ctx, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3", e.Seq, e.Hash, seq)
		if err != nil {
			return fmt.Errorf("moving audit head: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errors.New("audit head moved under a concurrent append")
		}
		out = e
		return nil
	})
	return out, err
}

// AuditEntries returns up to limit entries with id > afterID in id order.
func (s *Store) AuditEntries(ctx context.Context, afterID int64, limit int) ([]audit.Entry, error) {
	return s.queryAudit(ctx, "SELECT "+auditColumns+" FROM audit_log WHERE id > $1 ORDER BY id LIMIT "+itoa(limit), afterID)
}

// RecentAudit returns the last limit entries, newest first.
func (s *Store) RecentAudit(ctx context.Context, limit int) ([]audit.Entry, error) {
	return s.queryAudit(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY id DESC LIMIT "+itoa(limit))
}

// AuditHead returns the chain head.
func (s *Store) AuditHead(ctx context.Context) (int64, string, error) {
	var seq int64
	var hash string
	err := s.read.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash)
	return seq, hash, err
}

func (s *Store) queryAudit(ctx context.Context, q string, args ...any) ([]audit.Entry, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var ts int64
		if err := rows.Scan(&e.ID, &e.Seq, &ts, &e.ActorID, &e.ActorName, &e.ActorRole, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.Detail, &e.IP, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.Time = fromMS(ts)
		out = append(out, e)
	}
	return out, rows.Err()
}
