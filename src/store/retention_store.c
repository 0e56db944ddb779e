#include "store/retention_store.h"

#include "base/err.h"
#include "store/query.h"

/* --- durations --- */

json_t *retention_store_tenant(struct db *db, int64_t tenant_id, int *err)
{
	return q_row(db, err,
	             "SELECT id, siret, name, communes, conservation_accorde, conservation_refus, "
	             "conservation_corps_api, conservation_traces_api, conservation_journal_acces "
	             "FROM tenants WHERE id = ?",
	             "i", tenant_id);
}

json_t *retention_store_tenants(struct db *db)
{
	return q_rows(db, "SELECT id FROM tenants ORDER BY id", "");
}

int retention_store_tenant_update(struct db *db, int64_t tenant_id, int accorde, int refus,
                                  int corps_api, int traces_api, int acces)
{
	return q_exec(db,
	              "UPDATE tenants SET conservation_accorde = ?, conservation_refus = ?, "
	              "conservation_corps_api = nullif(CAST(? AS BIGINT), 0), "
	              "conservation_traces_api = ?, conservation_journal_acces = ? WHERE id = ?",
	              "iiiiii", (int64_t)accorde, (int64_t)refus, (int64_t)corps_api,
	              (int64_t)traces_api, (int64_t)acces, tenant_id);
}

json_t *retention_store_aid_types(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT id, code, label, active, conservation_accorde, conservation_refus "
	              "FROM aid_types WHERE tenant_id = ? ORDER BY lower(label), id",
	              "i", tenant_id);
}

int retention_store_aid_update(struct db *db, int64_t tenant_id, int64_t aid_type_id, int accorde,
                               int refus)
{
	int64_t n = 0;
	int rc =
	    q_count(db, &n,
	            "UPDATE aid_types SET conservation_accorde = nullif(CAST(? AS BIGINT), 0), "
	            "conservation_refus = nullif(CAST(? AS BIGINT), 0) WHERE tenant_id = ? AND "
	            "id = ? RETURNING id",
	            "iiii", (int64_t)accorde, (int64_t)refus, tenant_id, aid_type_id);
	if (rc != 0)
		return rc;
	return n ? 0 : CAS_ENOTFOUND;
}

/* --- legal holds --- */

int retention_store_hold_insert(struct db *db, int64_t tenant_id, const struct hold_row *h,
                                int64_t *id)
{
	int64_t held = 0;
	int rc =
	    q_int(db, &held,
	          "SELECT count(*) FROM legal_holds WHERE tenant_id = ? AND dossier_id = ? AND "
	          "lifted_at IS NULL",
	          "ii", tenant_id, h->dossier_id);
	if (rc < 0)
		return rc;
	if (held)
		return CAS_ECONFLICT;
	rc = q_int(
	    db, id,
	    "INSERT INTO legal_holds (tenant_id, dossier_id, kind, motif, created_by, "
	    "created_by_label, created_at) VALUES (?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), "
	    "?, ?) RETURNING id",
	    "iittiti", tenant_id, h->dossier_id, h->kind, h->motif, h->user_id, h->label, h->at);
	return rc == 1 ? 0 : rc < 0 ? rc : CAS_EDB;
}

int retention_store_hold_lift(struct db *db, int64_t tenant_id, const struct hold_row *h)
{
	int64_t n = 0;
	int rc =
	    q_count(db, &n,
	            "UPDATE legal_holds SET lifted_by = nullif(CAST(? AS BIGINT), 0), "
	            "lifted_by_label = ?, lifted_at = ?, lift_motif = ? WHERE tenant_id = ? AND "
	            "dossier_id = ? AND lifted_at IS NULL RETURNING id",
	            "ititii", h->user_id, h->label, h->at, h->motif, tenant_id, h->dossier_id);
	if (rc != 0)
		return rc;
	return n ? 0 : CAS_ENOTFOUND;
}

json_t *retention_store_holds_of(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	return q_rows(
	    db,
	    "SELECT id, kind, motif, created_by_label, created_at, lifted_by_label, "
	    "lifted_at, lift_motif FROM legal_holds WHERE tenant_id = ? AND dossier_id = ? "
	    "ORDER BY id DESC",
	    "ii", tenant_id, dossier_id);
}

json_t *retention_store_holds_active(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT h.id, h.dossier_id, d.numero, h.kind, h.motif, h.created_by_label, "
	              "h.created_at, d.state, d.state_since, d.decision, d.aid_type_id FROM "
	              "legal_holds h JOIN dossiers d ON d.id = h.dossier_id AND "
	              "d.tenant_id = h.tenant_id WHERE h.tenant_id = ? AND h.lifted_at IS NULL "
	              "ORDER BY d.numero, h.id",
	              "i", tenant_id);
}

/* --- closed dossiers --- */

json_t *retention_store_dossier(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(db, err,
	             "SELECT d.id, d.numero, d.state, d.state_since, d.decision, d.aid_type_id, "
	             "a.label AS aide FROM dossiers d JOIN aid_types a ON a.id = d.aid_type_id "
	             "WHERE d.tenant_id = ? AND d.id = ?",
	             "ii", tenant_id, dossier_id);
}

json_t *retention_store_closed(struct db *db, int64_t tenant_id, int64_t closed_before,
                               int64_t after_id, int limit, int only_free)
{
	return q_rows(
	    db,
	    "SELECT d.id, d.numero, d.aid_type_id, a.label AS aide, d.decision, d.state_since, "
	    "CASE WHEN EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = d.tenant_id AND "
	    "h.dossier_id = d.id AND h.lifted_at IS NULL) THEN 1 ELSE 0 END AS held, "
	    "CASE WHEN EXISTS (SELECT 1 FROM consultations c WHERE c.tenant_id = d.tenant_id AND "
	    "c.dossier_id = d.id AND c.corps_efface_le IS NULL) THEN 1 ELSE 0 END AS bodies "
	    "FROM dossiers d JOIN aid_types a ON a.id = d.aid_type_id WHERE d.tenant_id = ? AND "
	    "d.state = 'cloture' AND coalesce(d.state_since, d.updated_at) < ? AND d.id > ? AND "
	    "(CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id "
	    "= d.tenant_id AND h.dossier_id = d.id AND h.lifted_at IS NULL)) ORDER BY d.id LIMIT ?",
	    "iiiii", tenant_id, closed_before, after_id, (int64_t)only_free, (int64_t)limit);
}

/* --- purge runs --- */

int retention_store_run_open(struct db *db, int64_t tenant_id, int64_t *id, json_t **counts)
{
	int err = 0;
	*counts = NULL;
	json_t *row = q_row(db, &err,
	                    "SELECT id, counts FROM purge_runs WHERE tenant_id = ? AND finished_at "
	                    "IS NULL ORDER BY id DESC LIMIT 1",
	                    "i", tenant_id);
	if (!row)
		return err == CAS_ENOTFOUND ? 0 : err;
	*id = json_integer_value(json_object_get(row, "id"));
	*counts = json_loads(json_string_value(json_object_get(row, "counts")), 0, NULL);
	if (!json_is_object(*counts)) {
		json_decref(*counts);
		*counts = json_object();
	}
	json_decref(row);
	return 1;
}

int retention_store_run_create(struct db *db, int64_t tenant_id, int64_t now, const char *by,
                               int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO purge_runs (tenant_id, started_at, started_by) VALUES (?, ?, ?) "
	          "RETURNING id",
	          "iit", tenant_id, now, by);
	return rc == 1 ? 0 : rc < 0 ? rc : CAS_EDB;
}

int retention_store_run_save(struct db *db, int64_t tenant_id, int64_t id, const char *counts)
{
	return q_exec(db,
	              "UPDATE purge_runs SET counts = ?, batches = batches + 1 WHERE tenant_id = ? "
	              "AND id = ?",
	              "tii", counts, tenant_id, id);
}

int retention_store_run_finish(struct db *db, int64_t tenant_id, int64_t id, int64_t now,
                               int64_t audit_id)
{
	return q_exec(db,
	              "UPDATE purge_runs SET finished_at = ?, audit_id = nullif(CAST(? AS BIGINT), "
	              "0) WHERE tenant_id = ? AND id = ?",
	              "iiii", now, audit_id, tenant_id, id);
}

int retention_store_last_audit(struct db *db, int64_t tenant_id, int64_t *id)
{
	return q_int(db, id, "SELECT max(id) AS id FROM audit_log WHERE tenant_id = ?", "i",
	             tenant_id);
}

json_t *retention_store_runs(struct db *db, int64_t tenant_id, int limit)
{
	return q_rows(db,
	              "SELECT id, started_at, finished_at, batches, counts, started_by FROM "
	              "purge_runs WHERE tenant_id = ? ORDER BY id DESC LIMIT ?",
	              "ii", tenant_id, (int64_t)limit);
}

/* --- statistics --- */

int retention_store_stats_insert(struct db *db, int64_t tenant_id, const struct stats_row *s)
{
	return q_exec(db,
	              "INSERT INTO dossier_stats (tenant_id, aid_type_id, mois, issue, "
	              "montant_demande, montant_accorde, montant_verse, type_foyer, tranche_qf, "
	              "commune, purged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	              "iittiiittti", tenant_id, s->aid_type_id, s->mois, s->issue, s->demande,
	              s->accorde, s->verse, s->type_foyer, s->tranche_qf, s->commune, s->at);
}

json_t *retention_store_stats_totals(struct db *db, int64_t tenant_id)
{
	return q_rows(db,
	              "SELECT s.aid_type_id, a.label AS aide, count(*) AS dossiers, "
	              "sum(CASE WHEN s.issue = 'accorde' THEN 1 ELSE 0 END) AS accordes, "
	              "sum(s.montant_accorde) AS montant_accorde, sum(s.montant_verse) AS "
	              "montant_verse FROM dossier_stats s JOIN aid_types a ON a.id = s.aid_type_id "
	              "WHERE s.tenant_id = ? GROUP BY s.aid_type_id, a.label ORDER BY a.label",
	              "i", tenant_id);
}
