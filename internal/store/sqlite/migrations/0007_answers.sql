-- Posts that answer a citizen's reply: the reply answered and its author, mentioned.
ALTER TABLE posts ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN mention TEXT NOT NULL DEFAULT '';
