-- Citizens' questions from the contact form. They are personal data, kept
-- for the retention of questions (default one year) and then deleted.
CREATE TABLE questions (
	id          TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	reference   TEXT NOT NULL UNIQUE,
	topic       TEXT NOT NULL,
	name        TEXT NOT NULL DEFAULT '',
	reply_to    TEXT NOT NULL,
	text        TEXT NOT NULL,
	lang        TEXT NOT NULL,
	state       TEXT NOT NULL,
	sensitive   TEXT NOT NULL DEFAULT '',
	received_at TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX questions_inbox ON questions (org_id, state, received_at);
CREATE INDEX questions_received ON questions (received_at);
CREATE INDEX questions_reply_to ON questions (org_id, reply_to, received_at);
