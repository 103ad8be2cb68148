-- The address (user@host) by which a post mentioned a remote actor, if any.
ALTER TABLE remote_actors ADD COLUMN acct TEXT NOT NULL DEFAULT '';
CREATE INDEX remote_actors_acct ON remote_actors (acct);
