-- The index that sending reads by starts with the state rather than the
-- organisation, so that a look-up by organisation and address can only use
-- the unique index on (org_id, email_hash). On a table without statistics
-- yet, such as during the first import of subscribers, PostgreSQL chose the
-- index starting with org_id and read every subscription of the
-- organisation for each address, which made an import of n addresses take
-- time in proportion to n squared.
DROP INDEX subscriptions_sending;
CREATE INDEX subscriptions_sending ON subscriptions (state, org_id, frequency, id);
