-- Failed staff log-ins, counted for the whole installation so that every
-- node shares the counts. A key is a keyed hash (HMAC under the
-- installation's login_key setting) of the account, the client address or
-- both: no e-mail address or IP address is stored. A count belongs to the
-- window that began at its first failure; the retention sweep deletes rows
-- whose window has ended.
CREATE TABLE login_failures (
	key      TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	since    TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_since ON login_failures (since);
