#include "store/rule_version_store.h"

#include <string.h>

#include "base/xalloc.h"
#include "store/query.h"

#define COLS                                                                                       \
	"v.id, v.aid_type_id, v.numero, v.du, v.au, v.document, v.status, v.note, v.created_by, "  \
	"coalesce(u.display_name, v.created_by_label) AS created_by_label, v.created_at, "         \
	"v.updated_at FROM rule_versions v LEFT JOIN users u ON u.id = v.created_by "

/* Open periods end on a date after every real one. */
#define END_OF_TIME "'9999-12-31'"

int rule_version_store_insert(struct db *db, int64_t tenant_id, const struct rule_version_row *v,
                              int64_t now, int64_t *id, int64_t *numero)
{
	int rc = q_int(db, numero,
	               "SELECT coalesce(max(numero), 0) + 1 FROM rule_versions "
	               "WHERE tenant_id = ? AND aid_type_id = ?",
	               "ii", tenant_id, v->aid_type_id);
	if (rc < 0)
		return rc;
	rc = q_int(db, id,
	           "INSERT INTO rule_versions (tenant_id, aid_type_id, numero, du, au, document, "
	           "status, note, created_by, created_by_label, created_at, updated_at) "
	           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, nullif(CAST(? AS BIGINT), 0), ?, ?, ?) "
	           "RETURNING id",
	           "iiitttttitii", tenant_id, v->aid_type_id, *numero, v->du, v->au, v->document,
	           v->status, v->note ? v->note : "", v->created_by, v->created_by_label, now, now);
	return rc < 0 ? rc : 0;
}

json_t *rule_version_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, "SELECT " COLS "WHERE v.tenant_id = ? AND v.id = ?", "ii", tenant_id,
	             id);
}

json_t *rule_version_store_list(struct db *db, int64_t tenant_id, int64_t aid_type_id)
{
	return q_rows(db,
	              "SELECT " COLS "WHERE v.tenant_id = ? AND v.aid_type_id = ? "
	              "ORDER BY v.numero DESC",
	              "ii", tenant_id, aid_type_id);
}

int rule_version_store_update(struct db *db, int64_t tenant_id, int64_t id, const char *du,
                              const char *au, const char *document, const char *note, int64_t now)
{
	return q_exec(db,
	              "UPDATE rule_versions SET du = ?, au = ?, document = ?, note = ?, "
	              "updated_at = ? WHERE tenant_id = ? AND id = ?",
	              "ttttiii", du, au, document, note ? note : "", now, tenant_id, id);
}

int rule_version_store_set_status(struct db *db, int64_t tenant_id, int64_t id, const char *status,
                                  int64_t now)
{
	return q_exec(db,
	              "UPDATE rule_versions SET status = ?, updated_at = ? "
	              "WHERE tenant_id = ? AND id = ?",
	              "tiii", status, now, tenant_id, id);
}

int rule_version_store_set_au(struct db *db, int64_t tenant_id, int64_t id, const char *au,
                              int64_t now)
{
	return q_exec(db,
	              "UPDATE rule_versions SET au = ?, updated_at = ? "
	              "WHERE tenant_id = ? AND id = ?",
	              "tiii", au, now, tenant_id, id);
}

json_t *rule_version_store_at(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                              const char *date, int *err)
{
	return q_row(db, err,
	             "SELECT " COLS "WHERE v.tenant_id = ? AND v.aid_type_id = ? "
	             "AND v.status = 'actif' AND v.du <= ? AND (v.au IS NULL OR v.au >= ?) "
	             "ORDER BY v.du DESC, v.id DESC LIMIT 1",
	             "iitt", tenant_id, aid_type_id, date, date);
}

int rule_version_store_count_overlaps(struct db *db, int64_t tenant_id, int64_t aid_type_id,
                                      int64_t except_id, const char *du, const char *au, int64_t *n)
{
	int rc = q_int(db, n,
	               "SELECT count(*) FROM rule_versions WHERE tenant_id = ? "
	               "AND aid_type_id = ? AND id <> ? AND status = 'actif' "
	               "AND du <= coalesce(CAST(? AS TEXT), " END_OF_TIME ") "
	               "AND coalesce(au, " END_OF_TIME ") >= ?",
	               "iiitt", tenant_id, aid_type_id, except_id, au, du);
	return rc < 0 ? rc : 0;
}

int rule_version_store_count_uses(struct db *db, int64_t tenant_id, int64_t id, int64_t *n)
{
	int rc = q_int(db, n,
	               "SELECT count(*) FROM evaluations WHERE tenant_id = ? "
	               "AND rule_version_id = ?",
	               "ii", tenant_id, id);
	return rc < 0 ? rc : 0;
}

char *rule_store_caf_parts_get(struct db *db, int64_t tenant_id, int *err)
{
	json_t *row = q_row(db, err, "SELECT caf_parts FROM tenants WHERE id = ?", "i", tenant_id);
	if (!row)
		return NULL;
	const char *s = json_string_value(json_object_get(row, "caf_parts"));
	char *out = s ? xstrdup(s) : NULL;
	json_decref(row);
	if (err)
		*err = 0;
	return out;
}

int rule_store_caf_parts_set(struct db *db, int64_t tenant_id, const char *parts)
{
	return q_exec(db, "UPDATE tenants SET caf_parts = ? WHERE id = ?", "ti", parts, tenant_id);
}
