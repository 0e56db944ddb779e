#include "store/tenant_store.h"

#include "store/query.h"

#define COLS "id, name, siret, communes, colour, created_at"

int tenant_store_insert(struct db *db, const char *name, const char *siret, const char *communes,
                        const char *colour, int64_t now, int64_t *id)
{
	int rc = q_int(db, id,
	               "INSERT INTO tenants (name, siret, communes, colour, created_at) "
	               "VALUES (?, ?, ?, ?, ?) RETURNING id",
	               "tttti", name, siret, communes, colour, now);
	return rc < 0 ? rc : 0;
}

int tenant_store_update(struct db *db, int64_t id, const char *name, const char *communes,
                        const char *colour)
{
	return q_exec(db, "UPDATE tenants SET name = ?, communes = ?, colour = ? WHERE id = ?",
	              "ttti", name, communes, colour, id);
}

json_t *tenant_store_get(struct db *db, int64_t id, int *err)
{
	return q_row(db, err, "SELECT " COLS " FROM tenants WHERE id = ?", "i", id);
}

json_t *tenant_store_by_siret(struct db *db, const char *siret, int *err)
{
	return q_row(db, err, "SELECT " COLS " FROM tenants WHERE siret = ?", "t", siret);
}

json_t *tenant_store_list(struct db *db)
{
	return q_rows(db,
	              "SELECT " COLS ", (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) "
	              "AS users FROM tenants t ORDER BY name, id",
	              "");
}
