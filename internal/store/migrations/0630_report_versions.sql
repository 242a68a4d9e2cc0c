-- The periodic report's versions (internal/program/reports.go): the
-- document's header fields, the officer's narratives (JSON by section
-- key), the figures as computed when saved (JSON, manglanh.figures/1) and
-- the chairman's approval. A version is never updated except to record
-- its approval. Times are unix milliseconds; period_from/period_to the
-- half-open period's bounds.
CREATE TABLE report_versions (
	id {{ID}},
	tenant_id BIGINT NOT NULL,
	period_from BIGINT NOT NULL,
	period_to BIGINT NOT NULL,
	version INTEGER NOT NULL,
	number TEXT NOT NULL,
	place TEXT NOT NULL,
	doc_date BIGINT NOT NULL,
	title TEXT NOT NULL,
	basis TEXT NOT NULL,
	recipients TEXT NOT NULL,
	signature TEXT NOT NULL,
	narratives TEXT NOT NULL,
	figures TEXT NOT NULL,
	status TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_by_name TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	approved_by BIGINT NOT NULL DEFAULT 0,
	approved_by_name TEXT NOT NULL DEFAULT '',
	approved_at BIGINT NOT NULL DEFAULT 0,
	UNIQUE (tenant_id, period_from, period_to, version)
);
CREATE INDEX report_versions_tenant ON report_versions (tenant_id, id);
