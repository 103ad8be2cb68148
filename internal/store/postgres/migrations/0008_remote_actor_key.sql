-- Find a stored remote actor by its key id.
CREATE INDEX remote_actors_key ON remote_actors (key_id);
