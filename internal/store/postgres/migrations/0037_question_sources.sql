-- Questions from the Fediverse (direct messages to an organisation) beside
-- those from the contact form, with the sender's actor and Note to answer;
-- who a question is assigned to, and whether it is a complaint (kept
-- longer). Internal notes of the staff on a question go with it.
ALTER TABLE questions ADD COLUMN source TEXT NOT NULL DEFAULT 'form';
ALTER TABLE questions ADD COLUMN actor_id TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN note_id TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN complaint BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX questions_expiry ON questions (org_id, complaint, received_at);
CREATE TABLE question_notes (
	id          TEXT PRIMARY KEY,
	question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
	author      TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX question_notes_question ON question_notes (question_id, created_at);
