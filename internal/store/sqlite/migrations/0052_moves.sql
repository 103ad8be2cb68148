-- Moving followers. An organisation that moved out names the account it
-- moved to, and since when; a Move naming an organisation as the new
-- account of one of its earlier accounts is recorded, so that staff see
-- the follows that arrived since.
ALTER TABLE orgs ADD COLUMN moved_to TEXT NOT NULL DEFAULT '';
ALTER TABLE orgs ADD COLUMN moved_at TIMESTAMP;

CREATE TABLE org_moves_in (
	activity_id TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL REFERENCES orgs (id),
	from_actor  TEXT NOT NULL,
	received_at TIMESTAMP NOT NULL
);
CREATE INDEX org_moves_in_org ON org_moves_in (org_id, received_at);
CREATE INDEX followers_org_created ON followers (org_id, created_at);
