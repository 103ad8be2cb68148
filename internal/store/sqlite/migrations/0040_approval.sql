-- Four-eyes publishing. approval_policies holds each organisation's choice
-- (no row: approval is not required); post_approvals holds what awaits an
-- approver or was returned to its author: a new post (kind 'post', whose
-- content is the post's own) or an edit of a published post (kind 'edit',
-- whose content is kept here, with its images in
-- post_approval_attachments, until it is approved).
CREATE TABLE approval_policies (
	org_id              TEXT PRIMARY KEY,
	required            BOOLEAN NOT NULL DEFAULT FALSE,
	correction_distance INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE post_approvals (
	post_id          TEXT PRIMARY KEY REFERENCES posts (id),
	org_id           TEXT NOT NULL,
	kind             TEXT NOT NULL,
	author_id        TEXT NOT NULL DEFAULT '',
	author           TEXT NOT NULL DEFAULT '',
	authors          TEXT NOT NULL DEFAULT '[]',
	submitted_at     TIMESTAMP NOT NULL,
	returned         BOOLEAN NOT NULL DEFAULT FALSE,
	note             TEXT NOT NULL DEFAULT '',
	returned_by      TEXT NOT NULL DEFAULT '',
	returned_by_name TEXT NOT NULL DEFAULT '',
	returned_at      TIMESTAMP,
	text             TEXT NOT NULL DEFAULT '',
	summary          TEXT NOT NULL DEFAULT '',
	language         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX post_approvals_org ON post_approvals (org_id, submitted_at);

CREATE TABLE post_approval_attachments (
	post_id  TEXT NOT NULL REFERENCES post_approvals (post_id),
	position INTEGER NOT NULL,
	media_id TEXT NOT NULL,
	alt      TEXT NOT NULL,
	PRIMARY KEY (post_id, position)
);
CREATE INDEX post_approval_attachments_media ON post_approval_attachments (media_id);
