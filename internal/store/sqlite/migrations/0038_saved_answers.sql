-- Answers an organisation keeps for frequent questions.
CREATE TABLE saved_answers (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	title      TEXT NOT NULL,
	text       TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_answers_org ON saved_answers (org_id, title);
