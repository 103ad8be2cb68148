-- Notices sent with the public report form (Digital Services Act,
-- Art. 16): the ground the reporter chose, the law they named, their
-- optional name and e-mail address, the form's language, and the reference
-- the receipt gives.
ALTER TABLE moderation_notices ADD COLUMN ground TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_notices ADD COLUMN law TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_notices ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_notices ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_notices ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_notices ADD COLUMN reference TEXT NOT NULL DEFAULT '';
