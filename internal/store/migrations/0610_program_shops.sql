-- Internet and game shops (issue 9): the registry, inspections, the
-- violations found (a Decree 174/2026 catalogue code with the fine range
-- copied when recorded) and the actions taken. Times in milliseconds.
CREATE TABLE program_shops (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	kind TEXT NOT NULL,
	name TEXT NOT NULL,
	address TEXT NOT NULL,
	owner TEXT NOT NULL,
	phone TEXT NOT NULL,
	certificate TEXT NOT NULL,
	cert_issued BIGINT NOT NULL,
	cert_expires BIGINT NOT NULL,
	opens TEXT NOT NULL,
	closes TEXT NOT NULL,
	machines BIGINT NOT NULL,
	active BIGINT NOT NULL,
	notes TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version BIGINT NOT NULL
);
CREATE INDEX program_shops_tenant ON program_shops (tenant_id, name);
CREATE TABLE program_inspections (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	shop_id BIGINT NOT NULL REFERENCES program_shops (id),
	date BIGINT NOT NULL,
	team TEXT NOT NULL,
	findings TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX program_inspections_tenant ON program_inspections (tenant_id, date);
CREATE TABLE program_violations (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	inspection_id BIGINT NOT NULL REFERENCES program_inspections (id),
	shop_id BIGINT NOT NULL,
	article TEXT NOT NULL,
	description TEXT NOT NULL,
	fine_min_vnd BIGINT NOT NULL,
	fine_max_vnd BIGINT NOT NULL
);
CREATE INDEX program_violations_inspection ON program_violations (tenant_id, inspection_id);
CREATE TABLE program_actions (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	violation_id BIGINT NOT NULL REFERENCES program_violations (id),
	kind TEXT NOT NULL,
	date BIGINT NOT NULL,
	fine_vnd BIGINT NOT NULL,
	follow_up BIGINT NOT NULL,
	note TEXT NOT NULL,
	created_by BIGINT NOT NULL
);
CREATE INDEX program_actions_violation ON program_actions (tenant_id, violation_id);
