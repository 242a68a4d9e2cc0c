-- Cases (Decree 56/2017 Arts. 24–32). What lists and dashboards need is in
-- plain columns; the child's identity, the narrative, the suspect and the
-- reporter (Sensitive) and every free-text note are sealed with AES-256-GCM
-- into BLOB columns: a database administrator reads none of it.
CREATE TABLE cases (
	id {{ID}},
	code TEXT NOT NULL UNIQUE,
	version BIGINT NOT NULL,
	status TEXT NOT NULL,
	urgent INTEGER NOT NULL,
	category TEXT NOT NULL,
	risk_level TEXT NOT NULL,
	channel TEXT NOT NULL,
	source_id BIGINT NOT NULL,
	received_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT NOT NULL,
	occurred_at BIGINT NOT NULL,
	assignee_id BIGINT NOT NULL,
	school_id BIGINT NOT NULL,
	age_band TEXT NOT NULL,
	suggested_category TEXT NOT NULL,
	suggested_level TEXT NOT NULL,
	sensitive {{BLOB}} NOT NULL,
	detail {{BLOB}} NOT NULL
);
CREATE INDEX cases_received ON cases (received_at, id);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_assignee ON cases (assignee_id);

-- Append-only history; the note is sealed.
CREATE TABLE case_steps (
	id {{ID}},
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	actor_id BIGINT NOT NULL,
	actor_name TEXT NOT NULL,
	actor_role TEXT NOT NULL,
	action TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status TEXT NOT NULL,
	note {{BLOB}} NOT NULL
);
CREATE INDEX case_steps_case ON case_steps (case_id, id);

-- Referrals to other agencies; notes and override reason are sealed.
CREATE TABLE case_referrals (
	id {{ID}},
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	agency_kind TEXT NOT NULL,
	org_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	consent INTEGER NOT NULL,
	referred_at BIGINT NOT NULL,
	referred_by BIGINT NOT NULL,
	responded_at BIGINT NOT NULL,
	responded_by BIGINT NOT NULL,
	revoked_at BIGINT NOT NULL,
	revoked_by BIGINT NOT NULL,
	notes {{BLOB}} NOT NULL
);
CREATE INDEX case_referrals_case ON case_referrals (case_id);
CREATE INDEX case_referrals_kind ON case_referrals (agency_kind, org_id, status);

-- One row per deadline notice sent, so each is sent once across processes.
CREATE TABLE case_notices (
	key TEXT PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	deadline TEXT NOT NULL,
	due BIGINT NOT NULL,
	sent_at BIGINT NOT NULL
);

-- What remains of a purged case: no personal data. The code stays taken.
CREATE TABLE case_deletions (
	case_id BIGINT PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	category TEXT NOT NULL,
	channel TEXT NOT NULL,
	risk_level TEXT NOT NULL,
	received_at BIGINT NOT NULL,
	closed_at BIGINT NOT NULL,
	deleted_at BIGINT NOT NULL,
	reason TEXT NOT NULL
);

-- Evidence images, re-encoded (metadata stripped) and sealed on disk under
-- a random name; the row knows the file, never the uploaded name.
CREATE TABLE case_evidence (
	id {{ID}},
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	file TEXT NOT NULL UNIQUE,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_evidence_case ON case_evidence (case_id);

-- Where reports come from: a QR poster at a school, a cultural house, a
-- residential group.
CREATE TABLE report_sources (
	id {{ID}},
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	address TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by BIGINT NOT NULL
);
