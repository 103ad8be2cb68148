-- Each organisation's choices for its inbox: the roles that may read it
-- (empty: admins and moderators), how long questions and complaints are
-- kept (0: the installation's default), and whether the team gets an
-- e-mail notice of new questions.
CREATE TABLE inbox_settings (
	org_id               TEXT PRIMARY KEY REFERENCES orgs (id),
	readers              TEXT NOT NULL DEFAULT '',
	retention_hours      BIGINT NOT NULL DEFAULT 0,
	complaint_hours      BIGINT NOT NULL DEFAULT 0,
	notify               BOOLEAN NOT NULL DEFAULT TRUE
);
