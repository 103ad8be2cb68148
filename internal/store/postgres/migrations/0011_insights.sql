-- Insights: aggregate daily counts only. A day is written 'YYYY-MM-DD' (UTC).
CREATE TABLE insight_counts (
	org_id  TEXT NOT NULL,
	post_id TEXT NOT NULL,
	day     TEXT NOT NULL,
	metric  TEXT NOT NULL,
	value   BIGINT NOT NULL,
	PRIMARY KEY (org_id, day, metric, post_id)
);

CREATE TABLE insight_referrers (
	org_id TEXT NOT NULL,
	day    TEXT NOT NULL,
	host   TEXT NOT NULL,
	visits BIGINT NOT NULL,
	PRIMARY KEY (org_id, day, host)
);

-- The estimate of distinct visitors of a day; the sketch behind it is
-- deleted when the day is over (it holds no identifier, only register
-- maxima of hashes under a salt that was never stored).
CREATE TABLE insight_visitors (
	org_id   TEXT NOT NULL,
	day      TEXT NOT NULL,
	estimate BIGINT NOT NULL,
	sketch   BYTEA,
	PRIMARY KEY (org_id, day)
);

-- Likes and boosts whose keyed hashes reached their retention limit.
CREATE TABLE reaction_totals (
	post_id TEXT NOT NULL,
	kind    TEXT NOT NULL,
	total   BIGINT NOT NULL,
	PRIMARY KEY (post_id, kind)
);

CREATE INDEX reactions_created ON reactions (created_at);
CREATE INDEX replies_received ON replies (received_at);
CREATE INDEX remote_actors_fetched ON remote_actors (fetched_at);
CREATE INDEX seen_activities_at ON seen_activities (seen_at);
CREATE INDEX audit_log_at ON audit_log (at);
