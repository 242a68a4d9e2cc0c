-- In-portal notices about case events (internal/notify), one row per
-- recipient. The texts hold no personal data: code, category, risk level,
-- deadline. A notice goes with its case when the case is purged.
CREATE TABLE notices (
	id {{ID}},
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	text_vi TEXT NOT NULL,
	text_en TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	read_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notices_user ON notices (user_id, read_at, id);
CREATE INDEX notices_case ON notices (case_id);
