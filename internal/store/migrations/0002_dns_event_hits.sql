-- A blocked-query detail now stands for every identical query (same profile,
-- client, name, category, schedule) in one flush window: hits says how many.
-- Older rows were one query each.
ALTER TABLE dns_events ADD COLUMN hits BIGINT NOT NULL DEFAULT 1;
