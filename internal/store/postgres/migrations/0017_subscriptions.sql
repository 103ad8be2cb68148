-- E-mail subscriptions. The address is personal data; every lookup goes by
-- email_hash, a keyed hash of the address in lower case.
CREATE TABLE subscriptions (
	id           TEXT PRIMARY KEY,
	org_id       TEXT NOT NULL REFERENCES orgs (id),
	tag          TEXT NOT NULL DEFAULT '',
	email        TEXT NOT NULL,
	email_hash   TEXT NOT NULL,
	frequency    TEXT NOT NULL,
	lang         TEXT NOT NULL,
	state        TEXT NOT NULL,
	soft_bounces INTEGER NOT NULL DEFAULT 0,
	consent      TEXT NOT NULL DEFAULT '',
	consent_at   TIMESTAMPTZ,
	created_at   TIMESTAMPTZ NOT NULL,
	confirmed_at TIMESTAMPTZ,
	digested_at  TIMESTAMPTZ,
	suspended_at TIMESTAMPTZ,
	UNIQUE (org_id, email_hash)
);
CREATE INDEX subscriptions_sending ON subscriptions (org_id, state, frequency, id);
CREATE INDEX subscriptions_created ON subscriptions (state, created_at);

-- Addresses that ended their subscription, as keyed hashes only: an import
-- does not bring them back, and a complaint is not followed by more mail.
CREATE TABLE mail_suppressions (
	org_id     TEXT NOT NULL,
	email_hash TEXT NOT NULL,
	reason     TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (org_id, email_hash)
);

-- The next time a message about a key (a keyed hash of an address) may be
-- sent, so that a subscribe form cannot flood an inbox.
CREATE TABLE mail_reservations (
	key   TEXT PRIMARY KEY,
	until TIMESTAMPTZ NOT NULL
);

-- Sendings that were divided into batch jobs, so that it happens once.
CREATE TABLE mail_fanouts (
	item       TEXT PRIMARY KEY,
	created_at TIMESTAMPTZ NOT NULL
);

-- One row per message to one subscriber.
CREATE TABLE mail_outbox (
	subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
	item            TEXT NOT NULL,
	org_id          TEXT NOT NULL,
	post_id         TEXT NOT NULL DEFAULT '',
	message_id      TEXT NOT NULL UNIQUE,
	state           TEXT NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	done_at         TIMESTAMPTZ,
	PRIMARY KEY (subscription_id, item)
);
CREATE INDEX mail_outbox_item ON mail_outbox (item, subscription_id);
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
