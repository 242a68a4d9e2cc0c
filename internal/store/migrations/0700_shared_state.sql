-- What every process of a deployment must agree on (issue 10).
-- Sign-in failures per key ("acct:<email>", "ip:<addr>", "parent:…"):
-- five wrong passwords spread over several web processes lock the account
-- as five on one do. Times in ms.
CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	last_failure BIGINT NOT NULL,
	locked_until BIGINT NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_failure);
-- An evidence image sealed in the database (PostgreSQL deployments, where
-- several processes on several machines must read it); NULL when it is a
-- file in the uploads directory (SQLite).
ALTER TABLE case_evidence ADD COLUMN data {{BLOB}};
-- The last alert of each rule, profile (and category) raised by any
-- process: the alert throttle every process shares (alert.Claimer).
CREATE TABLE alert_claims (
	key TEXT PRIMARY KEY,
	last_at BIGINT NOT NULL
);
