#include "store/audit_store.h"

#include "store/query.h"

json_t *audit_store_list(struct db *db, int64_t tenant_id, const char *object_type,
                         int64_t object_id, int64_t before_id, int limit)
{
	return q_rows(db,
	              "SELECT id, actor_label, action, object_type, object_id, changes, at "
	              "FROM audit_log WHERE coalesce(tenant_id, 0) = ? "
	              "AND (CAST(? AS TEXT) IS NULL OR object_type = ?) "
	              "AND (CAST(? AS BIGINT) = 0 OR object_id = ?) "
	              "AND (CAST(? AS BIGINT) = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
	              "ittiiiii", tenant_id, object_type, object_type, object_id, object_id,
	              before_id, before_id, (int64_t)limit);
}
