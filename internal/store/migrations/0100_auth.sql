-- Staff accounts and their sessions (internal/auth). Flags are 0/1
-- integers on both engines. The TOTP secret is sealed with the data
-- directory's key when one is configured.
CREATE TABLE users (
	id {{ID}},
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	org_id BIGINT NOT NULL DEFAULT 0,
	password_hash TEXT NOT NULL,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	disabled INTEGER NOT NULL DEFAULT 0,
	totp_secret {{BLOB}},
	totp_enabled INTEGER NOT NULL DEFAULT 0,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	password_changed_at BIGINT NOT NULL,
	last_login_at BIGINT NOT NULL DEFAULT 0
);

-- Only the SHA-256 of a session token is kept (hex), never the token.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stage TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
