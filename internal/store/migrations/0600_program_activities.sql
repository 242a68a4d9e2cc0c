-- Programme activities (internal/program, issue 9): each activity with its
-- places and participant lines in child tables, so that the list filters
-- by school and group with plain indexed SQL on both engines (JSON columns
-- would need each engine's JSON functions). The attendees' names (adults'
-- sign-in sheets) are sealed with the case key; day is the local midnight
-- of the activity's date in milliseconds. Every row carries its tenant.

CREATE TABLE program_activities (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	day BIGINT NOT NULL,
	end_day BIGINT NOT NULL DEFAULT 0,
	organiser TEXT NOT NULL DEFAULT '',
	topic TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	copies BIGINT NOT NULL DEFAULT 0,
	total BIGINT NOT NULL DEFAULT 0,
	attendees_count BIGINT NOT NULL DEFAULT 0,
	attendees {{BLOB}},
	created_by BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX program_activities_day ON program_activities (tenant_id, day);
CREATE INDEX program_activities_kind ON program_activities (tenant_id, kind, day);

CREATE TABLE program_activity_places (
	activity_id BIGINT NOT NULL REFERENCES program_activities (id) ON DELETE CASCADE,
	tenant_id BIGINT NOT NULL,
	pos INTEGER NOT NULL,
	kind TEXT NOT NULL,
	org_id BIGINT NOT NULL DEFAULT 0,
	name TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (activity_id, pos)
);
CREATE INDEX program_activity_places_org ON program_activity_places (tenant_id, org_id);

CREATE TABLE program_activity_participants (
	activity_id BIGINT NOT NULL REFERENCES program_activities (id) ON DELETE CASCADE,
	tenant_id BIGINT NOT NULL,
	pos INTEGER NOT NULL,
	grp TEXT NOT NULL,
	school_id BIGINT NOT NULL DEFAULT 0,
	level TEXT NOT NULL DEFAULT '',
	grade INTEGER NOT NULL DEFAULT 0,
	headcount BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (activity_id, pos)
);
CREATE INDEX program_activity_participants_school ON program_activity_participants (tenant_id, school_id);
CREATE INDEX program_activity_participants_group ON program_activity_participants (tenant_id, grp);

-- A school's pupils at one level in one school year (2025 = 2025–2026).
CREATE TABLE program_enrolment (
	tenant_id BIGINT NOT NULL,
	school_id BIGINT NOT NULL,
	school_year INTEGER NOT NULL,
	level TEXT NOT NULL,
	pupils BIGINT NOT NULL,
	updated_by BIGINT NOT NULL DEFAULT 0,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (tenant_id, school_id, school_year, level)
);
