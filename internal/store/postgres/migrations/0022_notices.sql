-- Notices that content may be illegal or against the rules (Digital
-- Services Act, Art. 16): Fediverse Flag activities.
CREATE TABLE moderation_notices (
	id          TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL,
	source      TEXT NOT NULL,
	reporter    TEXT NOT NULL DEFAULT '',
	objects     TEXT NOT NULL,
	content     TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL,
	received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX moderation_notices_org ON moderation_notices (org_id, state, received_at);
