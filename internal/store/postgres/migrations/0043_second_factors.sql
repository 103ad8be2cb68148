-- Second factors of staff accounts: an authenticator app (TOTP) with its
-- recovery codes, and passkeys (WebAuthn); the challenges of log-ins and
-- registrations in progress; when the second-factor policy began to apply
-- to an account; and which organisations require a second factor.
CREATE TABLE totp_factors (
	user_id      TEXT PRIMARY KEY REFERENCES users (id),
	secret       TEXT NOT NULL, -- sealed with the installation's key
	last_step    BIGINT NOT NULL DEFAULT 0, -- the last time step used: each code once
	created_at   TIMESTAMPTZ NOT NULL,
	confirmed_at TIMESTAMPTZ -- NULL while being set up
);

CREATE TABLE recovery_codes (
	user_id   TEXT NOT NULL REFERENCES users (id),
	code_hash TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	used_at   TIMESTAMPTZ,
	PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE passkeys (
	id           TEXT PRIMARY KEY, -- the credential id, base64url
	user_id      TEXT NOT NULL REFERENCES users (id),
	name         TEXT NOT NULL,
	credential   TEXT NOT NULL, -- the public key and its counters, as JSON
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ
);
CREATE INDEX passkeys_user ON passkeys (user_id);

CREATE TABLE auth_challenges (
	id         TEXT PRIMARY KEY, -- the SHA-256 of the token the browser holds
	user_id    TEXT NOT NULL DEFAULT '',
	purpose    TEXT NOT NULL,
	data       TEXT NOT NULL DEFAULT '',
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX auth_challenges_expiry ON auth_challenges (expires_at);

CREATE TABLE second_factor_grace (
	user_id TEXT PRIMARY KEY REFERENCES users (id),
	since   TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_security (
	org_id                TEXT PRIMARY KEY REFERENCES orgs (id),
	require_second_factor BOOLEAN NOT NULL DEFAULT FALSE
);
