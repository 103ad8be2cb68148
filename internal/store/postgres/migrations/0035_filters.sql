-- Keyword filters per organisation: a word or phrase, and whether a reply
-- that contains it is held for review or refused automatically.
CREATE TABLE moderation_filters (
	id         TEXT PRIMARY KEY,
	org_id     TEXT NOT NULL,
	phrase     TEXT NOT NULL,
	action     TEXT NOT NULL,
	created_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (org_id, phrase)
);
-- Which filters matched a reply, with the phrase as it was; gone with the
-- reply.
CREATE TABLE moderation_filter_hits (
	reply_id   TEXT NOT NULL REFERENCES replies (id) ON DELETE CASCADE,
	filter_id  TEXT NOT NULL,
	phrase     TEXT NOT NULL,
	action     TEXT NOT NULL,
	matched_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (reply_id, filter_id)
);
