-- Posts brought in from another platform (a Facebook Page export): the
-- platform they came from, shown modestly with the post, and one row per
-- item of the export, so that importing the same export again adds
-- nothing, even after the post was purged (its row stays, naming a post
-- that is gone). An attachment without alt text is an imported image held back
-- from every public surface until staff describe it.
ALTER TABLE posts ADD COLUMN imported_from TEXT NOT NULL DEFAULT '';

CREATE TABLE post_imports (
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	source      TEXT NOT NULL,
	source_key  TEXT NOT NULL,
	post_id     TEXT NOT NULL,
	imported_at TIMESTAMP NOT NULL,
	PRIMARY KEY (org_id, source, source_key)
);
CREATE INDEX post_imports_post ON post_imports (post_id);
