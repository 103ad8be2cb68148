-- Staff answers to citizens' questions, deleted with their question.
CREATE TABLE question_answers (
	id          TEXT PRIMARY KEY,
	question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
	author      TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TIMESTAMP NOT NULL,
	sent_at     TIMESTAMP
);
CREATE INDEX question_answers_question ON question_answers (question_id, created_at);
