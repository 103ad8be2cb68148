-- What a staff member sees of each of their logins: the browser and
-- system it was made with, reduced to a short name such as "Firefox on
-- Linux", and how they logged in ("password" or "oidc"). No address.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN via TEXT NOT NULL DEFAULT '';
