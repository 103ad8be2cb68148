-- Organisations' connections to their Bluesky accounts, and what became
-- of each post there.
CREATE TABLE bluesky_accounts (
	org_id      TEXT PRIMARY KEY REFERENCES orgs (id),
	pds         TEXT NOT NULL,
	handle      TEXT NOT NULL,
	did         TEXT NOT NULL,
	password    TEXT NOT NULL, -- the app password sealed with the installation's key
	edit_policy TEXT NOT NULL DEFAULT 'reply',
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE bluesky_posts (
	post_id    TEXT PRIMARY KEY REFERENCES posts (id),
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	state      TEXT NOT NULL,
	uri        TEXT NOT NULL DEFAULT '',
	cid        TEXT NOT NULL DEFAULT '',
	replies    TEXT NOT NULL DEFAULT '', -- corrections posted as replies: "uri cid", one a line
	version    TIMESTAMP,
	error      TEXT NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0,
	updated_at TIMESTAMP NOT NULL
);
