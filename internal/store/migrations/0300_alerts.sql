-- Early-warning alerts: what the portal lists for staff and what was sent
-- to contacts and the webhook. No message text is kept here except the
-- snippet rules allow (a DNS alert's domain, the start of a report's text).
CREATE TABLE alerts (
	id {{ID}},
	ts BIGINT NOT NULL,
	rule TEXT NOT NULL,
	source TEXT NOT NULL,
	profile TEXT NOT NULL,
	category TEXT NOT NULL,
	level TEXT NOT NULL,
	signals INTEGER NOT NULL,
	folded INTEGER NOT NULL,
	digest INTEGER NOT NULL,
	snippet TEXT NOT NULL,
	reasons TEXT NOT NULL,
	case_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX alerts_ts ON alerts (ts);
