-- Core schema: organisations, staff, posts with revisions, media, settings.
CREATE TABLE orgs (
	id           TEXT PRIMARY KEY,
	handle       TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	avatar_id    TEXT NOT NULL DEFAULT '',
	links        TEXT NOT NULL DEFAULT '[]',
	language     TEXT NOT NULL,
	time_zone    TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	updated_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_former_handles (
	handle TEXT PRIMARY KEY,
	org_id TEXT NOT NULL REFERENCES orgs (id),
	until  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE memberships (
	org_id  TEXT NOT NULL REFERENCES orgs (id),
	user_id TEXT NOT NULL REFERENCES users (id),
	role    TEXT NOT NULL,
	PRIMARY KEY (org_id, user_id)
);

CREATE TABLE media (
	id           TEXT PRIMARY KEY,
	org_id       TEXT NOT NULL REFERENCES orgs (id),
	content_type TEXT NOT NULL,
	width        INTEGER NOT NULL,
	height       INTEGER NOT NULL,
	variants     TEXT NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE posts (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL REFERENCES orgs (id),
	state      TEXT NOT NULL,
	text       TEXT NOT NULL,
	summary    TEXT NOT NULL DEFAULT '',
	language   TEXT NOT NULL,
	pinned     BOOLEAN NOT NULL DEFAULT FALSE,
	publish_at TIMESTAMPTZ,
	created_at TIMESTAMPTZ NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	deleted_at TIMESTAMPTZ,
	revisions  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_org_order ON posts (org_id, state, publish_at);

CREATE TABLE post_attachments (
	post_id  TEXT NOT NULL REFERENCES posts (id),
	position INTEGER NOT NULL,
	media_id TEXT NOT NULL REFERENCES media (id),
	alt      TEXT NOT NULL,
	PRIMARY KEY (post_id, position)
);

CREATE TABLE post_revisions (
	post_id    TEXT NOT NULL REFERENCES posts (id),
	number     INTEGER NOT NULL,
	text       TEXT NOT NULL,
	summary    TEXT NOT NULL DEFAULT '',
	language   TEXT NOT NULL,
	editor_id  TEXT NOT NULL DEFAULT '',
	editor     TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (post_id, number)
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE change_version (
	id      INTEGER PRIMARY KEY,
	version BIGINT NOT NULL
);
INSERT INTO change_version (id, version) VALUES (1, 0);
