-- Families (internal/family): parent accounts, their sessions, reset
-- links and recovery codes; profiles made in the portal, their networks
-- and devices; and policy_version, the one-row counter every write to
-- profiles, rules, networks or devices bumps in the same transaction so
-- that DNS processes reload (PostgreSQL also NOTIFYs manglanh_policy).

CREATE TABLE policy_version (
	id INTEGER PRIMARY KEY,
	version BIGINT NOT NULL
);
INSERT INTO policy_version (id, version) VALUES (1, 1);

-- A parent signs in with an e-mail or a phone (E.164); the other is NULL
-- (UNIQUE allows many NULLs on both engines).
CREATE TABLE parents (
	id {{ID}},
	email TEXT UNIQUE,
	phone TEXT UNIQUE,
	name TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	status TEXT NOT NULL,
	school_org_id BIGINT NOT NULL DEFAULT 0,
	approved_by TEXT NOT NULL DEFAULT '',
	must_change_password INTEGER NOT NULL DEFAULT 0,
	lang TEXT NOT NULL DEFAULT 'vi',
	weekly_email INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	last_login_at BIGINT NOT NULL DEFAULT 0,
	CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX parents_status ON parents (status, school_org_id, created_at);

-- Only the SHA-256 of a session token is kept.
CREATE TABLE parent_sessions (
	token_hash TEXT PRIMARY KEY,
	parent_id BIGINT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX parent_sessions_parent ON parent_sessions (parent_id);

-- E-mailed reset links: one use (used_at), one hour (expires_at); only the
-- token's SHA-256 is kept.
CREATE TABLE parent_reset_tokens (
	token_hash TEXT PRIMARY KEY,
	parent_id BIGINT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX parent_reset_tokens_parent ON parent_reset_tokens (parent_id);

CREATE TABLE parent_recovery_codes (
	id {{ID}},
	parent_id BIGINT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
	code_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	used_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (parent_id, code_hash)
);

-- Every DNS label in use by a profile or a device: one table, so that a
-- label is unique across both.
CREATE TABLE family_labels (
	label TEXT PRIMARY KEY
);

-- Rules are one JSON document, so that a save is one UPDATE: atomic.
-- parent_id is NULL for school and class profiles; child_token NULL for them.
CREATE TABLE family_profiles (
	id {{ID}},
	kind TEXT NOT NULL,
	parent_id BIGINT REFERENCES parents (id) ON DELETE CASCADE,
	org_id BIGINT NOT NULL DEFAULT 0,
	nickname TEXT NOT NULL,
	birth_year INTEGER NOT NULL DEFAULT 0,
	label TEXT NOT NULL UNIQUE,
	child_token TEXT UNIQUE,
	time_zone TEXT NOT NULL DEFAULT '',
	rules TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX family_profiles_parent ON family_profiles (parent_id);
CREATE INDEX family_profiles_org ON family_profiles (org_id, kind);

-- A school's or class's networks (IPs and CIDRs), in the order given.
CREATE TABLE family_networks (
	profile_id BIGINT NOT NULL REFERENCES family_profiles (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	cidr TEXT NOT NULL,
	PRIMARY KEY (profile_id, position)
);

-- clients is a JSON array of IPs/CIDRs (usually empty).
CREATE TABLE family_devices (
	id {{ID}},
	profile_id BIGINT NOT NULL REFERENCES family_profiles (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	label TEXT NOT NULL UNIQUE,
	clients TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL
);
CREATE INDEX family_devices_profile ON family_devices (profile_id);
