-- The header image of an organisation, the banner across the top of its page, and its alt text.
ALTER TABLE orgs ADD COLUMN header_id TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN header_alt TEXT NOT NULL DEFAULT '';
