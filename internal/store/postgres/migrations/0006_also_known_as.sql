-- Earlier Fediverse accounts of an organisation, so that their followers can move to Plein.
ALTER TABLE orgs ADD COLUMN also_known_as TEXT NOT NULL DEFAULT '[]';
