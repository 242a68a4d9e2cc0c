-- The directory of organisations cases are referred to (schools, ward
-- police, unions, health station, city social services), with their public
-- contacts. Accounts of roles school, org and police name one by users.org_id.
CREATE TABLE organisations (
	id {{ID}},
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	phone TEXT NOT NULL,
	email TEXT NOT NULL,
	address TEXT NOT NULL,
	contact TEXT NOT NULL,
	active INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind, name);

-- Typed facts of a history step, instead of English sentences in the
-- sealed note. typed = 0 marks rows written before this migration: the
-- case store converts their notes at start-up (it holds the key) and sets 1.
ALTER TABLE case_steps ADD COLUMN assignee_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_steps ADD COLUMN org_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_steps ADD COLUMN agency_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE case_steps ADD COLUMN referral_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_steps ADD COLUMN referral_from TEXT NOT NULL DEFAULT '';
ALTER TABLE case_steps ADD COLUMN referral_to TEXT NOT NULL DEFAULT '';
ALTER TABLE case_steps ADD COLUMN consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_steps ADD COLUMN parts TEXT NOT NULL DEFAULT '';
ALTER TABLE case_steps ADD COLUMN fields TEXT NOT NULL DEFAULT '';
ALTER TABLE case_steps ADD COLUMN typed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX case_steps_untyped ON case_steps (typed);

-- Who was told of a referral when it was made.
ALTER TABLE case_referrals ADD COLUMN delivery TEXT NOT NULL DEFAULT '';
ALTER TABLE case_referrals ADD COLUMN delivered_accounts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_referrals ADD COLUMN delivered_emails INTEGER NOT NULL DEFAULT 0;
