-- Alerts raised on a family profile, routed to the profile's parent: the
-- e-mail sent (or why not) and the parent's consent to pass a critical one
-- to the ward, with the words they agreed to.
CREATE TABLE parent_alerts (
	alert_id BIGINT PRIMARY KEY,
	parent_id BIGINT NOT NULL,
	profile_id BIGINT NOT NULL,
	rule TEXT NOT NULL,
	ts BIGINT NOT NULL,
	mail_status TEXT NOT NULL,
	mail_error TEXT NOT NULL,
	mailed_at BIGINT NOT NULL DEFAULT 0,
	shared_at BIGINT NOT NULL DEFAULT 0,
	shared_consent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX parent_alerts_parent ON parent_alerts (parent_id, ts);
CREATE INDEX parent_alerts_mail ON parent_alerts (profile_id, rule, mailed_at);
