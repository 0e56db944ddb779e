#include "app/audit.h"

#include <stdlib.h>

#include "app/actor.h"
#include "base/json_alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/audit_store.h"

int audit_write_in(struct db *db, const struct actor *who, int64_t tenant_id, const char *action,
                   const char *object_type, int64_t object_id, json_t *changes)
{
	char *text = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = audit_store_insert(db, tenant_id, who->user_id, who->label, action, object_type,
	                            object_id, text ? text : "{}", clock_now());
	json_free_text(text);
	json_decref(changes);
	return rc;
}

int audit_write(struct db *db, const struct actor *who, const char *action, const char *object_type,
                int64_t object_id, json_t *changes)
{
	return audit_write_in(db, who, who->tenant_id, action, object_type, object_id, changes);
}

void audit_diff(json_t *changes, json_t *before, json_t *after)
{
	const char *key;
	json_t *nv;
	json_object_foreach(after, key, nv)
	{
		json_t *ov = before ? json_object_get(before, key) : NULL;
		if (ov && json_equal(ov, nv))
			continue;
		json_object_set_new(changes, key, json_pack("[OO]", ov ? ov : json_null(), nv));
	}
}

json_t *audit_list(struct db *db, const struct actor *who, const char *object_type,
                   int64_t object_id, int64_t before_id, int limit, int *err)
{
	if (!perm_allows(who->role, PERM_AUDIT_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows =
	    audit_store_list(db, who->tenant_id, object_type, object_id, before_id, limit);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}
