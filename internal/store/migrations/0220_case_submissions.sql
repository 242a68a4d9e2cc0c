-- Idempotency keys of report submissions (the public form's hidden key, the
-- API's Idempotency-Key header), written in the case's own transaction so
-- that a retried or doubled submission never makes a second case. Only
-- digests are kept: neither the key nor the content can be read back.
CREATE TABLE case_submissions (
	key_digest TEXT PRIMARY KEY,
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	content_digest TEXT NOT NULL
);
CREATE INDEX case_submissions_case ON case_submissions (case_id);
