-- Complaints of authors about the refusal or removal of their reply
-- (Digital Services Act, Art. 20): one per statement of reasons, with its
-- outcome, who decided it and why.
CREATE TABLE moderation_complaints (
	id              TEXT PRIMARY KEY,
	org_id          TEXT NOT NULL,
	statement_id    TEXT NOT NULL UNIQUE,
	reply_id        TEXT NOT NULL,
	source          TEXT NOT NULL,
	author          TEXT NOT NULL,
	content         TEXT NOT NULL,
	lang            TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL,
	received_at     TIMESTAMPTZ NOT NULL,
	decided_at      TIMESTAMPTZ,
	decided_by      TEXT NOT NULL DEFAULT '',
	decided_by_name TEXT NOT NULL DEFAULT '',
	explanation     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX moderation_complaints_org ON moderation_complaints (org_id, state, received_at);
