-- Digital-skills class sessions (issue 12). A session is one class
-- playing together; players are phones known by a nickname only; answers
-- one per player and question. Times in ms.
CREATE TABLE skills_sessions (
	id {{ID}},
	tenant_id BIGINT NOT NULL DEFAULT 0,
	code TEXT NOT NULL,
	school_id BIGINT NOT NULL,
	school_name TEXT NOT NULL,
	grade INTEGER NOT NULL,
	class_name TEXT NOT NULL,
	level TEXT NOT NULL,
	items TEXT NOT NULL,
	current_item INTEGER NOT NULL DEFAULT -1,
	state TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	ended_at BIGINT NOT NULL DEFAULT 0,
	activity_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX skills_sessions_code ON skills_sessions (code, state);
CREATE INDEX skills_sessions_school ON skills_sessions (tenant_id, school_id, created_at);
CREATE TABLE skills_players (
	id {{ID}},
	session_id BIGINT NOT NULL REFERENCES skills_sessions (id),
	nickname TEXT NOT NULL,
	nick_fold TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	joined_at BIGINT NOT NULL,
	UNIQUE (session_id, nick_fold)
);
CREATE INDEX skills_players_token ON skills_players (session_id, token_hash);
CREATE TABLE skills_answers (
	session_id BIGINT NOT NULL REFERENCES skills_sessions (id),
	player_id BIGINT NOT NULL REFERENCES skills_players (id),
	item INTEGER NOT NULL,
	choice INTEGER NOT NULL,
	correct INTEGER NOT NULL,
	answered_at BIGINT NOT NULL,
	PRIMARY KEY (player_id, item)
);
CREATE INDEX skills_answers_session ON skills_answers (session_id);
