-- A child's requests to allow a blocked site ("Xin bố mẹ cho phép trang
-- này"). At most one pending request per profile and domain: the partial
-- unique index makes a second press of the button return the first.
CREATE TABLE allow_requests (
	id {{ID}},
	profile_id BIGINT NOT NULL,
	domain TEXT NOT NULL,
	category TEXT NOT NULL,
	status TEXT NOT NULL,
	until_ts BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	decided_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX allow_requests_one_pending ON allow_requests (profile_id, domain) WHERE status = 'pending';
CREATE INDEX allow_requests_profile ON allow_requests (profile_id, created_at);
