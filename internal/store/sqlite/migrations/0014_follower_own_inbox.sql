-- Whether a follower's delivery inbox is its own rather than its server's
-- shared inbox: an own inbox that answers 410 Gone ends the follow, a
-- shared one does not. Follows kept before count as own only where the
-- stored actor shows it.
ALTER TABLE followers ADD COLUMN own_inbox BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE followers SET own_inbox = TRUE WHERE EXISTS (SELECT 1 FROM remote_actors a
	WHERE a.id = followers.actor_id AND a.inbox = followers.inbox AND a.shared_inbox <> followers.inbox);
CREATE INDEX followers_inbox ON followers (inbox);
