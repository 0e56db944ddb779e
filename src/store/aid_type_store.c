#include "store/aid_type_store.h"

#include "store/query.h"

#define COLS "id, code, label, description, active"

int aid_type_store_insert(struct db *db, int64_t tenant_id, const char *code, const char *label,
                          const char *description, int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO aid_types (tenant_id, code, label, description, active) "
	               "VALUES (?, ?, ?, ?, 1) RETURNING id",
	               "ittt", tenant_id, code, label, description);
	return rc < 0 ? rc : 0;
}

json_t *aid_type_store_get(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err, "SELECT " COLS " FROM aid_types WHERE tenant_id = ? AND id = ?", "ii",
	             tenant_id, id);
}

json_t *aid_type_store_by_code(struct db *db, int64_t tenant_id, const char *code, int *err)
{
	return q_row(db, err, "SELECT " COLS " FROM aid_types WHERE tenant_id = ? AND code = ?",
	             "it", tenant_id, code);
}

json_t *aid_type_store_list(struct db *db, int64_t tenant_id, int active_only)
{
	return q_rows(db,
	              "SELECT " COLS " FROM aid_types WHERE tenant_id = ? AND active >= ? "
	              "ORDER BY label, id",
	              "ii", tenant_id, (int64_t)(active_only ? 1 : 0));
}

json_t *aid_type_store_page(struct db *db, int64_t tenant_id, int64_t after_id, int limit)
{
	return q_rows(db,
	              "SELECT " COLS " FROM aid_types WHERE tenant_id = ? AND id > ? "
	              "ORDER BY id LIMIT ?",
	              "iii", tenant_id, after_id, (int64_t)limit);
}

int aid_type_store_set_active(struct db *db, int64_t tenant_id, int64_t id, int active)
{
	return q_exec(db, "UPDATE aid_types SET active = ? WHERE tenant_id = ? AND id = ?", "iii",
	              (int64_t)(active ? 1 : 0), tenant_id, id);
}

#define DETAIL_COLS                                                                                \
	COLS ", deliberation_numero, deliberation_date, categorie, champs_declares, pieces"

int aid_type_store_insert_full(struct db *db, int64_t tenant_id, const char *code,
                               const struct aid_type_fields *f, int64_t *id)
{
	int rc =
	    q_int(db, id,
	          "INSERT INTO aid_types (tenant_id, code, label, description, active, "
	          "deliberation_numero, deliberation_date, categorie, champs_declares, "
	          "pieces) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?) RETURNING id",
	          "itttttttt", tenant_id, code, f->label, f->description, f->deliberation_numero,
	          f->deliberation_date, f->categorie, f->champs_declares, f->pieces);
	return rc < 0 ? rc : 0;
}

json_t *aid_type_store_detail(struct db *db, int64_t tenant_id, int64_t id, int *err)
{
	return q_row(db, err,
	             "SELECT " DETAIL_COLS " FROM aid_types WHERE tenant_id = ? AND id = ?", "ii",
	             tenant_id, id);
}

int aid_type_store_update(struct db *db, int64_t tenant_id, int64_t id,
                          const struct aid_type_fields *f)
{
	return q_exec(db,
	              "UPDATE aid_types SET label = ?, description = ?, deliberation_numero = ?, "
	              "deliberation_date = ?, categorie = ?, champs_declares = ?, pieces = ? "
	              "WHERE tenant_id = ? AND id = ?",
	              "tttttttii", f->label, f->description, f->deliberation_numero,
	              f->deliberation_date, f->categorie, f->champs_declares, f->pieces, tenant_id,
	              id);
}
