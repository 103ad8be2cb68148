-- Blocked accounts and servers, per organisation or ('' as org_id) for the
-- whole installation.
CREATE TABLE moderation_blocks (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL,
	kind       TEXT NOT NULL,
	target     TEXT NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	UNIQUE (org_id, kind, target)
);
CREATE INDEX moderation_blocks_target ON moderation_blocks (target);
