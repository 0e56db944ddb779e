#include "store/budget_store.h"

#include <string.h>

#include "base/err.h"
#include "store/db.h"
#include "store/query.h"

int budget_store_set(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                     int64_t montant, int64_t updated_by, int64_t now)
{
	return q_exec(
	    db,
	    "INSERT INTO budget_envelopes (tenant_id, aid_type_id, annee, montant_alloue, "
	    "updated_by, updated_at) VALUES (?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?) "
	    "ON CONFLICT (aid_type_id, annee) DO UPDATE SET montant_alloue = "
	    "excluded.montant_alloue, updated_by = excluded.updated_by, updated_at = "
	    "excluded.updated_at",
	    "iiiiii", tenant_id, aid_type_id, (int64_t)annee, montant, updated_by, now);
}

int budget_store_allocated(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                           int64_t *alloue)
{
	int rc = q_int(db, alloue,
	               "SELECT montant_alloue FROM budget_envelopes WHERE tenant_id = ? AND "
	               "aid_type_id = ? AND annee = ?",
	               "iii", tenant_id, aid_type_id, (int64_t)annee);
	return rc < 0 ? rc : rc == 0 ? CAS_ENOTFOUND : 0;
}

#define COMMITTED                                                                                  \
	"SELECT coalesce(sum(d.montant_accorde), 0) FROM dossiers d WHERE d.tenant_id = ? AND "    \
	"d.aid_type_id = ? AND d.decision = 'accorde' AND d.decided_at >= ? AND d.decided_at < ?"

int budget_store_committed(struct db *db, int64_t tenant_id, int64_t aid_type_id, int64_t from,
                           int64_t to, int64_t *out)
{
	int rc = q_int(db, out, COMMITTED, "iiii", tenant_id, aid_type_id, from, to);
	return rc < 0 ? rc : 0;
}

json_t *budget_store_year(struct db *db, int64_t tenant_id, int64_t aid_type_id, int annee,
                          int64_t from, int64_t to)
{
	return q_rows(
	    db,
	    "SELECT a.id AS aid_type_id, a.code, a.label, a.active, e.montant_alloue AS alloue, "
	    "(SELECT coalesce(sum(d.montant_accorde), 0) FROM dossiers d WHERE d.tenant_id = "
	    "a.tenant_id AND d.aid_type_id = a.id AND d.decision = 'accorde' AND d.decided_at >= ? "
	    "AND d.decided_at < ?) AS engage, "
	    "(SELECT coalesce(sum(y.montant), 0) FROM payments y JOIN dossiers d ON d.id = "
	    "y.dossier_id AND d.tenant_id = y.tenant_id WHERE y.tenant_id = a.tenant_id AND "
	    "d.aid_type_id = a.id AND d.decision = 'accorde' AND d.decided_at >= ? AND "
	    "d.decided_at < ? AND y.state IN ('paye', 'remis')) AS paye "
	    "FROM aid_types a LEFT JOIN budget_envelopes e ON e.aid_type_id = a.id AND "
	    "e.tenant_id = a.tenant_id AND e.annee = ? "
	    "WHERE a.tenant_id = ? AND (CAST(? AS BIGINT) = 0 OR a.id = ?) ORDER BY a.label, a.id",
	    "iiiiiiii", from, to, from, to, (int64_t)annee, tenant_id, aid_type_id, aid_type_id);
}

int budget_store_overrun_get(struct db *db, int64_t tenant_id, const char **mode)
{
	int err;
	json_t *row =
	    q_row(db, &err, "SELECT budget_depassement FROM tenants WHERE id = ?", "i", tenant_id);
	if (!row)
		return err ? err : CAS_EDB;
	const char *m = json_string_value(json_object_get(row, "budget_depassement"));
	*mode = m && strcmp(m, "bloquer") == 0 ? "bloquer" : "avertir";
	json_decref(row);
	return 0;
}

int budget_store_overrun_set(struct db *db, int64_t tenant_id, const char *mode)
{
	return q_exec(db, "UPDATE tenants SET budget_depassement = ? WHERE id = ?", "ti", mode,
	              tenant_id);
}
