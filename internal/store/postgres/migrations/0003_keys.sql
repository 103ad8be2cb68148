-- Signing keys of ActivityPub actors: one per organisation and one for the installation.
CREATE TABLE actor_keys (
	owner_id    TEXT PRIMARY KEY,
	private_pem TEXT NOT NULL,
	public_pem  TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
