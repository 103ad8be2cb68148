-- Federation: remote actors that interact, followers, reactions kept as
-- keyed hashes only, and hashes of processed activity ids.
CREATE TABLE remote_actors (
	id             TEXT PRIMARY KEY,
	inbox          TEXT NOT NULL,
	shared_inbox   TEXT NOT NULL DEFAULT '',
	key_id         TEXT NOT NULL,
	public_key_pem TEXT NOT NULL,
	fetched_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE followers (
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	actor_id   TEXT NOT NULL,
	follow_id  TEXT NOT NULL,
	inbox      TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (org_id, actor_id)
);
CREATE INDEX followers_actor ON followers (actor_id);

CREATE TABLE reactions (
	key        TEXT PRIMARY KEY,
	post_id    TEXT NOT NULL,
	kind       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX reactions_post ON reactions (post_id, kind);

CREATE TABLE seen_activities (
	hash    TEXT PRIMARY KEY,
	seen_at TIMESTAMPTZ NOT NULL
);
