#include "app/aid_scopes.h"

#include <string.h>

#include "app/audit.h"
#include "app/perm.h"
#include "base/err.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Whether list, separated by any of seps, holds code. */
static int has_word(const char *list, const char *code, const char *seps)
{
	size_t n = strlen(code);
	for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
		if ((p == list || strchr(seps, p[-1])) && (p[n] == '\0' || strchr(seps, p[n])))
			return 1;
	return 0;
}

json_t *aid_scopes_read(struct db *db, const struct actor *who, int64_t aid_type_id,
                        const struct aid_scopes_kind *kind, int *err)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *aid = kind->load(db, who->tenant_id, aid_type_id, err);
	if (!aid)
		return NULL;
	json_t *choices = kind->choices();
	size_t i;
	json_t *c;
	json_array_foreach(choices, i, c)
	{
		json_object_set_new(
		    c, "checked",
		    json_boolean(has_word(str(aid, "scopes"), str(c, "code"), kind->seps)));
	}
	json_object_set_new(aid, "choices", choices);
	return aid;
}

/* Stores scopes and writes the audit entry of changes (stolen; none when
 * empty) in one transaction. */
static int write_scopes(struct db *db, const struct actor *who, int64_t aid_type_id,
                        const struct aid_scopes_kind *kind, const char *scopes, json_t *changes)
{
	int rc = db_begin(db);
	if (rc == 0)
		rc = kind->store(db, who->tenant_id, aid_type_id, scopes);
	if (rc == 0 && json_object_size(changes))
		rc = audit_write(db, who, "modification", "aid_type", aid_type_id,
		                 json_incref(changes));
	json_decref(changes);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int aid_scopes_update(struct db *db, const struct actor *who, int64_t aid_type_id,
                      const struct aid_scopes_kind *kind, json_t *in, json_t **errors)
{
	char scopes[768];
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc;
	json_t *before = kind->load(db, who->tenant_id, aid_type_id, &rc);
	if (!before)
		return rc;
	const char *why = kind->parse(in, scopes, kind->max);
	if (why) {
		json_decref(before);
		*errors = json_pack("{s:s}", "scopes", why);
		return CAS_EINVAL;
	}
	json_t *changes = json_object();
	json_t *b = json_pack("{s:s}", kind->audit_field, str(before, "scopes"));
	json_t *after = json_pack("{s:s}", kind->audit_field, scopes);
	audit_diff(changes, b, after);
	json_decref(after);
	json_decref(b);
	json_decref(before);
	return write_scopes(db, who, aid_type_id, kind, scopes, changes);
}
