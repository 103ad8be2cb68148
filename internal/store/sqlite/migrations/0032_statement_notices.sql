-- The notice a statement of reasons followed (Digital Services Act,
-- Art. 16 and 17); empty for a decision on the organisation's initiative.
ALTER TABLE moderation_statements ADD COLUMN notice_id TEXT NOT NULL DEFAULT '';
