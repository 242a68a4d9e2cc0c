-- Append-only, hash-chained audit log (internal/audit). Rows are never
-- updated or deleted by the application; audit_head holds the last sequence
-- number and hash and is moved in the same transaction as each insert, under
-- a row lock, so the chain never forks and a cut tail is noticed.
CREATE TABLE audit_log (
	id {{ID}},
	seq BIGINT NOT NULL UNIQUE,
	ts BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	detail TEXT NOT NULL,
	ip TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
