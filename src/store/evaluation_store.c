#include "store/evaluation_store.h"

#include "store/query.h"

#define HEAD                                                                                       \
	"e.id, e.dossier_id, e.rule_version_id, v.numero AS version_numero, v.aid_type_id, "       \
	"e.date_reference, e.issue, e.montant_centimes, e.created_by, "                            \
	"coalesce(u.display_name, e.created_by_label) AS created_by_label, e.created_at"
#define FROM                                                                                       \
	" FROM evaluations e JOIN rule_versions v ON v.id = e.rule_version_id "                    \
	"LEFT JOIN users u ON u.id = e.created_by "

int evaluation_store_insert(struct db *db, int64_t tenant_id, const struct evaluation_row *e,
                            int64_t now, int64_t *id)
{
	int rc = q_int(
	    db, id,
	    "INSERT INTO evaluations (tenant_id, dossier_id, rule_version_id, date_reference, "
	    "inputs, result, issue, montant_centimes, created_by, created_by_label, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN CAST(? AS BIGINT) < 0 THEN NULL ELSE "
	    "CAST(? AS BIGINT) END, nullif(CAST(? AS BIGINT), 0), ?, ?) RETURNING id",
	    "iiittttiiiti", tenant_id, e->dossier_id, e->rule_version_id, e->date_reference,
	    e->inputs, e->result, e->issue, e->montant_centimes, e->montant_centimes, e->created_by,
	    e->created_by_label, now);
	return rc < 0 ? rc : 0;
}

json_t *evaluation_store_latest(struct db *db, int64_t tenant_id, int64_t dossier_id, int *err)
{
	return q_row(db, err,
	             "SELECT " HEAD ", e.inputs, e.result" FROM
	             "WHERE e.tenant_id = ? AND e.dossier_id = ? ORDER BY e.id DESC LIMIT 1",
	             "ii", tenant_id, dossier_id);
}
