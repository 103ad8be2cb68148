-- Replies from the Fediverse to posts, held for moderation.
CREATE TABLE replies (
	id           TEXT PRIMARY KEY,
	post_id      TEXT NOT NULL,
	actor_id     TEXT NOT NULL,
	url          TEXT NOT NULL DEFAULT '',
	content_html TEXT NOT NULL,
	summary      TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL,
	published    TIMESTAMPTZ,
	received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX replies_post ON replies (post_id, state);
CREATE INDEX replies_actor ON replies (actor_id);
