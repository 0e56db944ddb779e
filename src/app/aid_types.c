#include "app/aid_types.h"

#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/err.h"
#include "base/utf8.h"
#include "store/aid_type_store.h"
#include "store/db.h"

#define CODE_MAX        40
#define LABEL_MAX       120  /* characters */
#define DESCRIPTION_MAX 2000 /* characters */

static int may_read(const struct actor *who)
{
	return perm_allows(who->role, PERM_DOSSIER_READ) || perm_allows(who->role, PERM_AIDS_ADMIN);
}

static int code_ok(const char *c)
{
	size_t n = strlen(c);
	if (n < 2 || n > CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_' ||
		      c[i] == '-'))
			return 0;
	return 1;
}

static void validate(json_t *in, json_t *errors)
{
	if (!code_ok(input_str(in, "code")))
		json_object_set_new(
		    errors, "code",
		    json_string("Le code comporte de 2 à 40 caractères : lettres "
		                "minuscules sans accent, chiffres, « _ » ou « - »."));
	const char *label = input_str(in, "label");
	if (!*label || utf8_strlen(label) > LABEL_MAX)
		json_object_set_new(
		    errors, "label",
		    json_string("Indiquez le libellé de l'aide (120 caractères au plus)."));
	if (utf8_strlen(input_str(in, "description")) > DESCRIPTION_MAX)
		json_object_set_new(
		    errors, "description",
		    json_string("La description comporte 2 000 caractères au plus."));
}

int aid_type_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                    json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	json_t *errs = json_object();
	validate(in, errs);
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	const char *code = input_str(in, "code"), *label = input_str(in, "label");
	const char *description = input_str(in, "description");
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = aid_type_store_insert(db, who->tenant_id, code, label, description, id);
	if (rc == CAS_ECONFLICT)
		*errors = json_pack("{s:s}", "code", "Une aide de ce catalogue a déjà ce code.");
	if (rc == 0)
		rc = audit_write(db, who, "creation", "aid_type", *id,
		                 json_pack("{s:[ns], s:[ns], s:[ns]}", "code", code, "label", label,
		                           "description", description));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc == CAS_ECONFLICT ? CAS_EINVAL : rc;
}

json_t *aid_type_list(struct db *db, const struct actor *who, int active_only, int *err)
{
	if (!may_read(who)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = aid_type_store_list(db, who->tenant_id, active_only);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

json_t *aid_type_page(struct db *db, const struct actor *who, int64_t after_id, int limit, int *err)
{
	if (!may_read(who)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = aid_type_store_page(db, who->tenant_id, after_id, limit + 1);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

int aid_type_set_active(struct db *db, const struct actor *who, int64_t id, int active)
{
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	int rc;
	json_t *t = aid_type_store_get(db, who->tenant_id, id, &rc);
	if (!t)
		return rc;
	int64_t was = json_integer_value(json_object_get(t, "active"));
	json_decref(t);
	active = active ? 1 : 0;
	if (was == active)
		return 0;
	rc = db_begin(db);
	if (rc == 0)
		rc = aid_type_store_set_active(db, who->tenant_id, id, active);
	if (rc == 0)
		rc = audit_write(
		    db, who, active ? "reactivation" : "desactivation", "aid_type", id,
		    json_pack("{s:[II]}", "active", (json_int_t)was, (json_int_t)active));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
