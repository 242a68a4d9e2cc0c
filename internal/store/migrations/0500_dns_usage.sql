-- What the DNS server counts for families (internal/dnsserver, filter.Usage):
-- the minutes with activity of each time budget and the devices' last-seen
-- times, flushed every 10 seconds by every DNS process.
--
-- bits is a 1440-bit bitmap of a day (180 bytes; minute m of the day in the
-- profile's time zone is bit m%8 of byte m/8). Writers merge by OR, so
-- several processes and a restart never count one minute twice; minutes is
-- the popcount, for reading. key is "all", "group:<g>" or a service name.
CREATE TABLE dns_budget_usage (
	profile_id BIGINT NOT NULL,
	day TEXT NOT NULL,
	key TEXT NOT NULL,
	bits {{BLOB}} NOT NULL,
	minutes INTEGER NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (profile_id, day, key)
);
CREATE INDEX dns_budget_usage_updated ON dns_budget_usage (updated_at);

CREATE TABLE dns_device_seen (
	device_id BIGINT PRIMARY KEY,
	last_seen BIGINT NOT NULL
);
