-- Core tables: settings, and the DNS query aggregates and events.
CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- Hourly counts per profile, category (or service, or "" when nothing
-- matched) and action. Names that children looked up are not kept here.
CREATE TABLE dns_hourly (
	hour BIGINT NOT NULL,
	profile TEXT NOT NULL,
	category TEXT NOT NULL,
	action TEXT NOT NULL,
	queries BIGINT NOT NULL,
	PRIMARY KEY (hour, profile, category, action)
);

-- Blocked and flagged queries only, kept for the profile's retention.
CREATE TABLE dns_events (
	id {{ID}},
	ts BIGINT NOT NULL,
	profile TEXT NOT NULL,
	client TEXT NOT NULL,
	name TEXT NOT NULL,
	category TEXT NOT NULL,
	action TEXT NOT NULL,
	schedule TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dns_events_profile_ts ON dns_events (profile, ts);
