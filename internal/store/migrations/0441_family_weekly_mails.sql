-- What happened to each weekly summary e-mail: one row per profile, week
-- and parent, written after the SMTP conversation ended, so the portal
-- says "sent" only for a message the relay accepted.
CREATE TABLE family_weekly_mails (
	profile_id BIGINT NOT NULL,
	week TEXT NOT NULL,
	parent_id BIGINT NOT NULL,
	status TEXT NOT NULL,
	error TEXT NOT NULL,
	at BIGINT NOT NULL,
	PRIMARY KEY (profile_id, week, parent_id)
);
