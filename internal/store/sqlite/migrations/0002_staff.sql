-- Staff sessions and the audit log of staff actions.
CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id),
	csrf_token   TEXT NOT NULL,
	lang         TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
	id       TEXT PRIMARY KEY,
	org_id   TEXT NOT NULL DEFAULT '',
	actor_id TEXT NOT NULL DEFAULT '',
	actor    TEXT NOT NULL,
	action   TEXT NOT NULL,
	target   TEXT NOT NULL DEFAULT '',
	detail   TEXT NOT NULL DEFAULT '',
	at       TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_org ON audit_log (org_id, at);
