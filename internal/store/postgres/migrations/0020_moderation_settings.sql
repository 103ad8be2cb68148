-- Per organisation: whether replies are shown after approval or never.
CREATE TABLE moderation_settings (
	org_id        TEXT PRIMARY KEY,
	reply_display TEXT NOT NULL DEFAULT 'approved'
);
