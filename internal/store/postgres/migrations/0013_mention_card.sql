-- How an answer names the citizen it answers in its text: the account's
-- preferred username and the address of its profile, kept with the post
-- because remote actors are forgotten after a while.
ALTER TABLE remote_actors ADD COLUMN username TEXT NOT NULL DEFAULT '';
ALTER TABLE remote_actors ADD COLUMN url TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN mention_username TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN mention_url TEXT NOT NULL DEFAULT '';
