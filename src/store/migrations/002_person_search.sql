-- Person search: every way of finding or listing a person is an index range
-- within the tenant: the nom d'usage (most persons have none, hence partial
-- indexes, which also keep the planner's statistics meaningful), the
-- phonetic keys, the orders of the list (name then prénoms, creation) and of
-- the API's cursor pagination (id). persons_nom is replaced by an index that
-- also serves the name order.
DROP INDEX persons_nom;
DROP INDEX persons_nom_usage;
CREATE INDEX persons_nom_prenom ON persons(tenant_id, nom_fold, prenom_fold, id);
CREATE INDEX persons_nom_usage ON persons(tenant_id, nom_usage_fold)
	WHERE nom_usage_fold IS NOT NULL;
CREATE INDEX persons_usage_phon ON persons(tenant_id, nom_usage_phon)
	WHERE nom_usage_phon IS NOT NULL;
CREATE INDEX persons_created ON persons(tenant_id, created_at, id);
CREATE INDEX persons_tenant_id ON persons(tenant_id, id);
