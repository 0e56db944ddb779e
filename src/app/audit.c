#include "app/audit.h"

#include <stdlib.h>

#include "app/actor.h"
#include "base/json_alloc.h"
#include "base/clock.h"
#include "base/err.h"
#include "store/audit_chain.h"
#include "store/audit_store.h"
#include "store/db.h"

/* Appends under the tenant's chain lock, in the caller's transaction or in
 * one of its own: two writers never link to the same head. */
static int append_locked(struct db *db, struct audit_entry *e)
{
	int own = !db_in_transaction(db);
	int rc = own ? db_begin(db) : 0;
	if (rc == 0)
		rc = db_lock(db, DB_LOCK_AUDIT(e->tenant_id));
	if (rc == 0)
		rc = audit_chain_append(db, e, NULL);
	if (own && rc == 0)
		return db_commit(db);
	if (own)
		db_rollback(db);
	return rc;
}

int audit_write_in(struct db *db, const struct actor *who, int64_t tenant_id, const char *action,
                   const char *object_type, int64_t object_id, json_t *changes)
{
	char *text = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    .tenant_id = tenant_id,
	    .at = clock_now(),
	    .actor_id = who->user_id,
	    .actor_label = who->label,
	    .action = action,
	    .object_type = object_type,
	    .object_id = object_id,
	    .changes = text ? text : "{}",
	};
	int rc = append_locked(db, &e);
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
