/* Reading the verifications of a dossier (see verify.h): one verification
 * with its two consultations and the comparison with the declared
 * household, the list, and the latest DGFiP answer for the evaluation. */
#include <string.h>

#include "app/actor.h"
#include "app/consult_caf.h"
#include "app/consultations.h"
#include "app/verify.h"
#include "base/err.h"
#include "domain/caf_compare.h"
#include "domain/situation_compare.h"
#include "store/consultation_store.h"
#include "store/verification_store.h"

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int can_read(const struct actor *who, int *err)
{
	if (perm_allows(who->role, PERM_DOSSIER_DETAIL))
		return 1;
	*err = CAS_EPERM;
	return 0;
}

/* Puts the verification's consultations under "caf" and "dgfip". */
static int add_consultations(struct db *db, const struct actor *who, int64_t dossier_id, json_t *v)
{
	int64_t vid = json_integer_value(json_object_get(v, "id"));
	json_t *list = verification_store_consultations(db, who->tenant_id, dossier_id, vid);
	if (!list)
		return CAS_EDB;
	json_object_set_new(v, "caf", json_null());
	json_object_set_new(v, "dgfip", json_null());
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		int err;
		json_t *full = consultation_get(db, who, dossier_id,
		                                json_integer_value(json_object_get(c, "id")), &err);
		if (!full)
			continue;
		int dgfip = strcmp(str(c, "api"), VERIFY_API_IMPOTS) == 0;
		json_object_set_new(v, dgfip ? "dgfip" : "caf", full);
	}
	json_decref(list);
	return 0;
}

static const json_t *answer_of(const json_t *v, const char *side)
{
	const json_t *c = json_object_get(v, side);
	return json_is_true(json_object_get(c, "ok")) ? json_object_get(c, "reponse") : NULL;
}

/* The comparison with the household as it is now. */
static int add_comparison(struct db *db, int64_t tenant, int64_t dossier_id, json_t *v)
{
	int err;
	json_t *ctx = consultation_store_context(db, tenant, dossier_id, &err);
	if (!ctx)
		return err;
	json_t *members = consultation_store_members(
	    db, tenant, json_integer_value(json_object_get(ctx, "household_id")));
	if (!members)
		members = json_array();
	json_t *addr = json_pack("{s:s, s:s, s:s}", "adresse", str(ctx, "adresse"), "code_postal",
	                         str(ctx, "code_postal"), "commune", str(ctx, "commune"));
	const json_t *caf = answer_of(v, "caf");
	json_object_set_new(v, "comparaison",
	                    situation_compare(caf, answer_of(v, "dgfip"), members, addr));
	json_object_set_new(v, "caf_foyer", caf ? caf_compare(caf, members, addr) : json_null());
	json_object_set_new(v, "membres", members);
	json_object_set_new(v, "adresse_declaree", addr);
	json_decref(ctx);
	return 0;
}

json_t *verification_get(struct db *db, const struct actor *who, int64_t dossier_id, int64_t id,
                         int *err)
{
	if (!can_read(who, err))
		return NULL;
	json_t *v = verification_store_get(db, who->tenant_id, dossier_id, id, err);
	if (!v)
		return NULL;
	int rc = add_consultations(db, who, dossier_id, v);
	if (rc == 0)
		rc = add_comparison(db, who->tenant_id, dossier_id, v);
	if (rc != 0) {
		json_decref(v);
		*err = rc;
		return NULL;
	}
	*err = 0;
	return v;
}

json_t *verification_list(struct db *db, const struct actor *who, int64_t dossier_id, int limit,
                          int *err)
{
	if (!can_read(who, err))
		return NULL;
	json_t *rows = verification_store_list(db, who->tenant_id, dossier_id, limit);
	if (!rows) {
		*err = CAS_EDB;
		return NULL;
	}
	size_t i, j;
	json_t *v, *c;
	json_array_foreach(rows, i, v)
	{
		json_object_del(v, "spi_hash");
		json_t *list = verification_store_consultations(
		    db, who->tenant_id, dossier_id, json_integer_value(json_object_get(v, "id")));
		json_array_foreach(list, j, c)
		{
			int dgfip = strcmp(str(c, "api"), VERIFY_API_IMPOTS) == 0;
			const char *kind = *str(c, "error_kind") ? str(c, "error_kind") : "ok";
			json_object_set_new(v, dgfip ? "dgfip_kind" : "caf_kind",
			                    json_string(kind));
			json_object_set_new(v, dgfip ? "dgfip_ok" : "caf_ok",
			                    json_boolean(strcmp(kind, "ok") == 0));
			json_object_set(v, dgfip ? "dgfip_id" : "caf_id", json_object_get(c, "id"));
		}
		json_decref(list);
	}
	*err = 0;
	return rows;
}

json_t *verification_latest_dgfip(struct db *db, int64_t tenant_id, int64_t dossier_id)
{
	json_t *list = consultation_store_list(db, tenant_id, dossier_id, 50);
	json_t *found = NULL;
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		if (strcmp(str(c, "api"), VERIFY_API_IMPOTS) != 0 ||
		    !json_is_null(json_object_get(c, "error_kind")))
			continue;
		json_t *resp = json_loads(str(c, "response"), 0, NULL);
		if (!resp)
			continue;
		found = json_pack("{s:O, s:O, s:o}", "id", json_object_get(c, "id"), "at",
		                  json_object_get(c, "at"), "reponse", resp);
		break;
	}
	json_decref(list);
	return found;
}
