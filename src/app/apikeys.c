#include "app/apikeys.h"

#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/utf8.h"
#include "store/db.h"
#include "store/session_store.h"

#define LABEL_MAX_CHARS 120

/* Keys belong to a tenant and record the account that made them. */
static int may_manage(const struct actor *who)
{
	return perm_allows(who->role, PERM_APIKEYS_ADMIN) && who->tenant_id != 0 &&
	       who->user_id != 0;
}

static json_t *validate(json_t *in)
{
	json_t *errors = json_object();
	const char *label = input_str(in, "label");
	if (!*label || utf8_strlen(label) > LABEL_MAX_CHARS)
		json_object_set_new(
		    errors, "label",
		    json_string("Indiquez un libellé (120 caractères au plus), par "
		                "exemple le nom du logiciel qui utilisera la clé."));
	if (!role_is_tenant_role(role_from_code(input_str(in, "role"))))
		json_object_set_new(errors, "role", json_string("Choisissez un rôle de la liste."));
	if (json_object_size(errors))
		return errors;
	json_decref(errors);
	return NULL;
}

static void make_key(char key[APIKEY_SIZE], char prefix[APIKEY_PREFIX_LEN + 1], char hash[65])
{
	char token[RANDOM_TOKEN_SIZE];
	random_token(token, sizeof(token));
	snprintf(key, APIKEY_SIZE, "cas_%s", token);
	sodium_memzero(token, sizeof(token));
	snprintf(prefix, APIKEY_PREFIX_LEN + 1, "%s", key);
	sha256_hex(key, strlen(key), hash);
}

int apikey_create(struct db *db, const struct actor *who, json_t *in, int64_t *id,
                  char key[APIKEY_SIZE], json_t **errors)
{
	*errors = NULL;
	key[0] = '\0';
	if (!may_manage(who))
		return CAS_EPERM;
	*errors = validate(in);
	if (*errors)
		return CAS_EINVAL;
	char prefix[APIKEY_PREFIX_LEN + 1], hash[65];
	make_key(key, prefix, hash);
	const char *label = input_str(in, "label"), *role = input_str(in, "role");
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = apikey_store_insert(db, who->tenant_id, label, role, prefix, hash, who->user_id,
	                         clock_now(), id);
	if (rc == 0)
		rc = audit_write(db, who, "creation", "api_key", *id,
		                 json_pack("{s:[ns], s:[ns], s:[ns]}", "label", label, "role", role,
		                           "prefix", prefix));
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc != 0)
		sodium_memzero(key, APIKEY_SIZE);
	return rc;
}

json_t *apikey_list(struct db *db, const struct actor *who, int *err)
{
	if (!may_manage(who)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = apikey_store_list(db, who->tenant_id);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

int apikey_revoke(struct db *db, const struct actor *who, int64_t id)
{
	if (!may_manage(who))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = apikey_store_revoke(db, who->tenant_id, id, clock_now());
	if (rc == 0)
		rc = audit_write(db, who, "revocation", "api_key", id,
		                 json_pack("{s:[bb]}", "revoquee", 0, 1));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
