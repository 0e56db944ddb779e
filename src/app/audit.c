#include "app/audit.h"

#include <stdlib.h>

#include "app/actor.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/audit_store.h"

int audit_write(struct db *db, const struct actor *who, const char *action,
		const char *object_type, int64_t object_id, json_t *changes)
{
	char *text = json_dumps(changes ? changes : json_object(), JSON_COMPACT | JSON_SORT_KEYS);
	int64_t actor_id = who->user_id;
	int rc = audit_store_insert(db, who->tenant_id, actor_id, who->label, action, object_type,
				    object_id, text ? text : "{}", clock_now());
	free(text);
	json_decref(changes);
	return rc;
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
	json_t *rows = audit_store_list(db, who->tenant_id, object_type, object_id, before_id, limit);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}
