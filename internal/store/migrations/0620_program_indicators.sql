-- Programme indicators (issue 9): Decision 830's targets as editable data,
-- per tenant, seeded with program.DefaultIndicators on the tenant's first
-- read. measure is a key of program's measure catalogue.
CREATE TABLE program_indicators (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	code TEXT NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	measure TEXT NOT NULL,
	unit TEXT NOT NULL,
	target DOUBLE PRECISION NOT NULL,
	position INTEGER NOT NULL,
	version BIGINT NOT NULL DEFAULT 1,
	updated_at BIGINT NOT NULL,
	UNIQUE (tenant_id, code)
);
