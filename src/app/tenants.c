#include "app/tenants.h"

#include <ctype.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/utf8.h"
#include "domain/cog.h"
#include "domain/siret.h"
#include "store/db.h"
#include "store/tenant_store.h"

static int colour_ok(const char *c)
{
	if (strlen(c) != 7 || c[0] != '#')
		return 0;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)c[i]))
			return 0;
	return 1;
}

/* "75056, 75101" -> "75056,75101" in out; 0 or a French message. */
static const char *normalise_communes(const char *in, char *out, size_t outsz)
{
	char code[8];
	size_t o = 0, n = 0;
	const char *why = NULL;
	for (const char *p = in;; p++) {
		if (*p == ',' || *p == ' ' || *p == '\0') {
			if (n) {
				code[n] = '\0';
				if (cog_commune_check(code, &why) != 0)
					return why;
				if (o + n + 2 > outsz)
					return "Trop de communes.";
				o += (size_t)snprintf(out + o, outsz - o, "%s%s", o ? "," : "",
				                      code);
				n = 0;
			}
			if (*p == '\0')
				break;
			continue;
		}
		if (n == 5)
			return "Un code INSEE de commune comporte 5 caractères.";
		code[n++] = (char)toupper((unsigned char)*p);
	}
	return o ? NULL : "Indiquez au moins un code INSEE de commune.";
}

/* The fields a CCAS's settings share with its creation; siret (NULL on an
 * update, where it does not change) receives the normalised SIRET. */
static void validate(json_t *in, json_t *errors, char *siret, char *communes, size_t csz)
{
	const char *why = NULL;
	const char *name = input_str(in, "name");
	if (!*name || utf8_strlen(name) > 160)
		json_object_set_new(
		    errors, "name",
		    json_string("Indiquez le nom du CCAS (160 caractères au plus)."));
	if (siret && siret_check(input_str(in, "siret"), &why) != 0)
		json_object_set_new(errors, "siret", json_string(why));
	else if (siret)
		siret_normalise(input_str(in, "siret"), siret);
	why = normalise_communes(input_str(in, "communes"), communes, csz);
	if (why)
		json_object_set_new(errors, "communes", json_string(why));
	const char *colour = input_str(in, "colour");
	if (*colour && !colour_ok(colour))
		json_object_set_new(
		    errors, "colour",
		    json_string("La couleur s'écrit #rrggbb (par exemple #1b5e8c)."));
}

int tenant_create(struct db *db, const struct actor *who, json_t *in, int64_t *id, json_t **errors)
{
	char siret[15] = "", communes[512] = "";
	*errors = NULL;
	if (!perm_allows(who->role, PERM_TENANTS_ADMIN))
		return CAS_EPERM;
	json_t *errs = json_object();
	validate(in, errs, siret, communes, sizeof(communes));
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	const char *colour = *input_str(in, "colour") ? input_str(in, "colour") : "#1b5e8c";
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	rc = tenant_store_insert(db, input_str(in, "name"), siret, communes, colour, clock_now(),
	                         id);
	if (rc == CAS_ECONFLICT)
		*errors = json_pack("{s:s}", "siret", "Un CCAS avec ce SIRET existe déjà.");
	if (rc == 0)
		rc =
		    audit_write(db, who, "creation", "tenant", *id,
		                json_pack("{s:[ns], s:[ns], s:[ns]}", "name", input_str(in, "name"),
		                          "siret", siret, "communes", communes));
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc == CAS_ECONFLICT ? CAS_EINVAL : rc;
}

json_t *tenant_list(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_TENANTS_ADMIN)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *rows = tenant_store_list(db);
	*err = rows ? 0 : CAS_EDB;
	return rows;
}

json_t *tenant_get_own(struct db *db, const struct actor *who, int *err)
{
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id) {
		*err = CAS_EPERM;
		return NULL;
	}
	return tenant_store_get(db, who->tenant_id, err);
}

/* Writes the new settings and their audit entry; inside a transaction. */
static int update_in_tx(struct db *db, const struct actor *who, json_t *after)
{
	int rc;
	json_t *before = tenant_store_get(db, who->tenant_id, &rc);
	if (!before)
		return rc;
	if (!*input_str(after, "colour"))
		json_object_set(after, "colour", json_object_get(before, "colour"));
	rc = tenant_store_update(db, who->tenant_id, input_str(after, "name"),
	                         input_str(after, "communes"), input_str(after, "colour"));
	json_t *changes = json_object();
	audit_diff(changes, before, after);
	json_decref(before);
	if (rc != 0 || !json_object_size(changes)) {
		json_decref(changes);
		return rc;
	}
	return audit_write(db, who, "modification", "tenant", who->tenant_id, changes);
}

int tenant_update(struct db *db, const struct actor *who, json_t *in, json_t **errors)
{
	char communes[512] = "";
	*errors = NULL;
	if (!perm_allows(who->role, PERM_SETTINGS_ADMIN) || !who->tenant_id)
		return CAS_EPERM;
	json_t *errs = json_object();
	validate(in, errs, NULL, communes, sizeof(communes));
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	json_t *after = json_pack("{s:s, s:s, s:s}", "name", input_str(in, "name"), "communes",
	                          communes, "colour", input_str(in, "colour"));
	int rc = db_begin(db);
	if (rc != 0) {
		json_decref(after);
		return rc;
	}
	rc = update_in_tx(db, who, after);
	json_decref(after);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
