-- Identities at the installation's OpenID Connect provider linked to staff
-- accounts: the issuer and the subject the provider gives the person, never
-- the e-mail address alone. An account links at most one identity per
-- issuer.
CREATE TABLE oidc_identities (
	issuer     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (issuer, subject),
	UNIQUE (user_id, issuer)
);
