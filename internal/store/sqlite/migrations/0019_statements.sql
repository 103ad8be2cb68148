-- Statements of reasons (Digital Services Act, Art. 17) for every refusal
-- and removal of a reply, with the fields of the EU Transparency Database.
-- They name no person: the reply, while it is kept, leads to its author.
CREATE TABLE moderation_statements (
	id                  TEXT PRIMARY KEY,
	org_id              TEXT NOT NULL,
	reply_id            TEXT NOT NULL,
	post_id             TEXT NOT NULL,
	decision            TEXT NOT NULL,
	visibility          TEXT NOT NULL,
	ground              TEXT NOT NULL,
	law                 TEXT NOT NULL DEFAULT '',
	explanation         TEXT NOT NULL,
	category            TEXT NOT NULL,
	content_type        TEXT NOT NULL,
	content_date        TIMESTAMP NOT NULL,
	application_date    TIMESTAMP NOT NULL,
	facts               TEXT NOT NULL,
	source_type         TEXT NOT NULL,
	automated_detection BOOLEAN NOT NULL DEFAULT FALSE,
	automated_decision  TEXT NOT NULL,
	language            TEXT NOT NULL,
	decided_by          TEXT NOT NULL DEFAULT '',
	decided_by_name     TEXT NOT NULL DEFAULT '',
	created_at          TIMESTAMP NOT NULL
);
CREATE INDEX moderation_statements_org ON moderation_statements (org_id, application_date);
CREATE INDEX moderation_statements_reply ON moderation_statements (reply_id);
