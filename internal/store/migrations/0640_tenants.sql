-- Tenancy (issue 9): one tenant is one ward or commune of a city
-- deployment. Tenant 1 is the deployment's own ward, created here so every
-- row written before tenancy existed belongs to it; its name is filled
-- from ward.name at start when empty. The public key is the ward's ed25519
-- key (base64) that signs the figure files it sends the city.
CREATE TABLE tenants (
	id {{ID}},
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	province TEXT NOT NULL DEFAULT '',
	public_key TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
-- The first row of a fresh table takes id 1 on both engines; no explicit
-- id, so PostgreSQL's identity sequence stays in step.
INSERT INTO tenants (code, name, province, public_key, created_at) VALUES ('1', '', '', '', 0);

ALTER TABLE users ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX users_tenant ON users (tenant_id);
ALTER TABLE cases ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1;
CREATE INDEX cases_tenant ON cases (tenant_id, received_at);
ALTER TABLE report_sources ADD COLUMN tenant_id BIGINT NOT NULL DEFAULT 1;

-- Signed figure files a city imported from wards that are not tenants of
-- this database (or are, and sent one anyway): the file as received, kept
-- whole so its signature can be checked again. One file per ward and
-- period; a second replaces the first. Periods are unix seconds.
CREATE TABLE figure_files (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	period_from BIGINT NOT NULL,
	period_to BIGINT NOT NULL,
	data TEXT NOT NULL,
	imported_at BIGINT NOT NULL,
	imported_by BIGINT NOT NULL,
	imported_by_name TEXT NOT NULL DEFAULT '',
	UNIQUE (tenant_id, period_from, period_to)
);
