-- Schools' and the ward's aggregates (internal/family school_stats.go).
-- The DNS server keeps only a device's last-seen time; this table keeps
-- "device d was seen in the week starting at week" (ms of Monday 00:00,
-- Asia/Ho_Chi_Minh), written by family.RecordCoverage, so that devices
-- covered can be counted for past weeks.
CREATE TABLE family_device_weeks (
	device_id BIGINT NOT NULL REFERENCES family_devices (id) ON DELETE CASCADE,
	week BIGINT NOT NULL,
	PRIMARY KEY (week, device_id)
);
-- Alerts and DNS aggregates are joined to profiles by label.
CREATE INDEX alerts_profile_ts ON alerts (profile, ts);
