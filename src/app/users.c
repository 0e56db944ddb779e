#include "app/users.h"

#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/auth.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "store/db.h"
#include "store/session_store.h"
#include "store/user_store.h"

static int may_manage(const struct actor *who, int64_t tenant_id)
{
	if (who->role == ROLE_SYSTEME)
		return 1;
	if (who->role == ROLE_PLATEFORME)
		return tenant_id != 0;
	return perm_allows(who->role, PERM_USERS_ADMIN) && tenant_id == who->tenant_id;
}

static int email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	return at && at != e && strchr(at, '.') && !strchr(at + 1, '@') && strlen(e) <= 254 &&
	       !strpbrk(e, " <>\"'");
}

static void validate(json_t *in, int64_t tenant_id, json_t *errors)
{
	if (!email_ok(input_str(in, "email")))
		json_object_set_new(errors, "email",
		                    json_string("Indiquez une adresse électronique valide."));
	const char *name = input_str(in, "name");
	if (!*name || strlen(name) > 120)
		json_object_set_new(errors, "name",
		                    json_string("Indiquez le nom (120 caractères au plus)."));
	int role = role_from_code(input_str(in, "role"));
	int ok = tenant_id ? role_is_tenant_role(role) : role == ROLE_PLATEFORME;
	if (!ok)
		json_object_set_new(errors, "role", json_string("Choisissez un rôle de la liste."));
	const char *why = auth_password_problem(input_str(in, "password"));
	if (why)
		json_object_set_new(errors, "password", json_string(why));
}

int user_create(struct db *db, const struct actor *who, int64_t tenant_id, json_t *in, int64_t *id,
                json_t **errors)
{
	*errors = NULL;
	if (!may_manage(who, tenant_id))
		return CAS_EPERM;
	json_t *errs = json_object();
	validate(in, tenant_id, errs);
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(input_str(in, "password"), hash) != 0)
		return CAS_ENOMEM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = user_store_insert(db, tenant_id, input_str(in, "email"), input_str(in, "name"),
	                       input_str(in, "role"), hash, clock_now(), id);
	if (rc == CAS_ECONFLICT)
		*errors = json_pack("{s:s}", "email", "Un compte existe déjà avec cette adresse.");
	if (rc == 0)
		rc = audit_write_in(db, who, tenant_id, "creation", "user", *id,
		                    json_pack("{s:[ns], s:[ns], s:[ns]}", "email",
		                              input_str(in, "email"), "name", input_str(in, "name"),
		                              "role", input_str(in, "role")));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc == CAS_ECONFLICT ? CAS_EINVAL : rc;
}

json_t *user_list(struct db *db, const struct actor *who, int64_t tenant_id, int *err)
{
	if (!may_manage(who, tenant_id) && who->role != ROLE_SYSTEME) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = user_store_list(db, tenant_id);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

int user_set_password(struct db *db, const struct actor *who, const char *email,
                      const char *password, const char **why)
{
	*why = auth_password_problem(password);
	if (*why)
		return CAS_EINVAL;
	int rc;
	json_t *u = user_store_auth_by_email(db, email, &rc);
	if (!u)
		return rc;
	int64_t id = json_integer_value(json_object_get(u, "id"));
	int64_t tenant = json_integer_value(json_object_get(u, "tenant_id"));
	json_decref(u);
	if (!may_manage(who, tenant) && who->user_id != id)
		return CAS_ENOTFOUND;
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, hash) != 0)
		return CAS_ENOMEM;
	rc = db_begin(db);
	if (rc == 0)
		rc = user_store_set_password(db, id, hash);
	if (rc == 0)
		rc = session_store_delete_user(db, id);
	if (rc == 0)
		rc = audit_write_in(db, who, tenant, "mot_de_passe", "user", id, NULL);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int user_reset_password(struct db *db, const struct actor *who, int64_t user_id,
                        const char *password, json_t **errors)
{
	*errors = NULL;
	if (!may_manage(who, who->tenant_id))
		return CAS_EPERM;
	int rc;
	json_t *u = user_store_get(db, who->tenant_id, user_id, &rc);
	if (!u)
		return rc;
	json_decref(u);
	const char *why = auth_password_problem(password);
	if (why) {
		*errors = json_pack("{s:s}", "password", why);
		return CAS_EINVAL;
	}
	char hash[PASSWORD_HASH_SIZE];
	if (password_hash(password, hash) != 0)
		return CAS_ENOMEM;
	rc = db_begin(db);
	if (rc == 0)
		rc = user_store_set_password(db, user_id, hash);
	if (rc == 0)
		rc = session_store_delete_user(db, user_id);
	if (rc == 0)
		rc = audit_write(db, who, "mot_de_passe", "user", user_id, json_object());
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int user_set_active(struct db *db, const struct actor *who, int64_t user_id, int active)
{
	if (!perm_allows(who->role, PERM_USERS_ADMIN) || who->user_id == user_id)
		return CAS_EPERM;
	int rc;
	json_t *u = user_store_get(db, who->tenant_id, user_id, &rc);
	if (!u)
		return rc;
	json_t *changes = json_object();
	json_object_set_new(changes, "active",
	                    json_pack("[Oi]", json_object_get(u, "active"), active));
	json_decref(u);
	rc = db_begin(db);
	if (rc == 0)
		rc = user_store_set_active(db, who->tenant_id, user_id, active);
	if (rc == 0 && !active)
		rc = session_store_delete_user(db, user_id);
	if (rc == 0)
		rc = audit_write(db, who, active ? "reactivation" : "desactivation", "user",
		                 user_id, changes);
	else
		json_decref(changes);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
