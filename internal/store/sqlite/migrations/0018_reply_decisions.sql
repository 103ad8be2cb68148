-- Moderation decides on replies: who moved a reply out of pending, and when.
ALTER TABLE replies ADD COLUMN decided_at TIMESTAMP;
ALTER TABLE replies ADD COLUMN decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN decided_by_name TEXT NOT NULL DEFAULT '';
