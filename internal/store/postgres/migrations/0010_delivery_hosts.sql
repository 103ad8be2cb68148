-- Servers whose deliveries keep failing: counted, and paused for a while
-- so that their queued deliveries wait instead of trying again and again.
CREATE TABLE delivery_hosts (
	host          TEXT PRIMARY KEY,
	failures      INTEGER NOT NULL,
	first_failure TIMESTAMPTZ NOT NULL,
	last_failure  TIMESTAMPTZ NOT NULL,
	paused_until  TIMESTAMPTZ
);
