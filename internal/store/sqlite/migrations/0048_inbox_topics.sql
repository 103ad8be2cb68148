-- The topics an organisation offers on its contact form, in order, one a
-- line; empty: the one general topic.
ALTER TABLE inbox_settings ADD COLUMN topics TEXT NOT NULL DEFAULT '';
