-- One-time recovery codes for two-step sign-in (internal/auth). Only the
-- SHA-256 of a code is kept (hex). A code is used once: used_at is set in
-- the same statement that checks it is still 0. Issuing a new set deletes
-- the old one.
CREATE TABLE recovery_codes (
	id {{ID}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (user_id, code_hash)
);
