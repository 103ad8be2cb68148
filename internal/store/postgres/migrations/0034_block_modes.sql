-- A block either suspends (every activity refused, follows ended) or only
-- hides replies (each refused automatically when it arrives).
ALTER TABLE moderation_blocks ADD COLUMN mode TEXT NOT NULL DEFAULT 'suspend';
