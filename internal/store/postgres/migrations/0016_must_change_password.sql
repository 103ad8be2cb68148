-- Whether a staff account must choose its own password at its next
-- log-in: set when an administrator creates the account or resets its
-- password, cleared when its owner changes it. Accounts made before this
-- keep the password their owner has.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
