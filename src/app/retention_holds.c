/* Legal holds (gel de la conservation): a dispute keeps a dossier beyond
 * its retention, with a reason, an author and a date; and the retention of
 * one dossier as its page shows it. */
#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/input.h"
#include "app/perm.h"
#include "app/retention.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/utf8.h"
#include "store/db.h"
#include "store/retention_store.h"

#define HOLD_MOTIF_MAX 1000

static int kind_ok(const char *k)
{
	return strcmp(k, "contentieux") == 0 || strcmp(k, "recours") == 0 ||
	       strcmp(k, "autre") == 0;
}

static void check_motif(json_t *in, const char *field, const char *message, json_t *errs)
{
	const char *m = input_str(in, field);
	if (!*m)
		input_error(errs, field, message);
	else if (utf8_strlen(m) > HOLD_MOTIF_MAX)
		input_error(errs, field, "1 000 caractères au plus.");
}

/* Checks the dossier is the actor's, inside the transaction. */
static int dossier_exists(struct db *db, const struct actor *who, int64_t dossier_id)
{
	int err = 0;
	json_t *d = retention_store_dossier(db, who->tenant_id, dossier_id, &err);
	json_decref(d);
	return d ? 0 : err ? err : CAS_EDB;
}

static int finish(struct db *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int set_in_tx(struct db *db, const struct actor *who, int64_t dossier_id,
                     const struct hold_row *h, json_t **errors)
{
	int64_t id = 0;
	int rc = dossier_exists(db, who, dossier_id);
	if (rc == 0)
		rc = retention_store_hold_insert(db, who->tenant_id, h, &id);
	if (rc == CAS_ECONFLICT) {
		*errors =
		    json_pack("{s:s}", "gel_type",
		              "La conservation de ce dossier est déjà gelée : levez d'abord le "
		              "gel en cours pour en poser un autre.");
		return CAS_EINVAL;
	}
	if (rc == 0)
		rc = audit_write(
		    db, who, "gel_conservation", "dossier", dossier_id,
		    json_pack("{s:[ns], s:[ns]}", "gel", h->kind, "motif_gel", h->motif));
	return rc;
}

int retention_hold_set(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                       json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_LEGAL_HOLD))
		return CAS_EPERM;
	json_t *errs = json_object();
	if (!kind_ok(input_str(in, "gel_type")))
		input_error(errs, "gel_type",
		            "Choisissez la raison du gel : contentieux, recours ou autre.");
	check_motif(in, "gel_motif",
	            "Indiquez le motif du gel (par exemple le numéro de la requête au tribunal).",
	            errs);
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	struct hold_row h = {dossier_id,
	                     input_str(in, "gel_type"),
	                     input_str(in, "gel_motif"),
	                     who->user_id,
	                     who->label,
	                     clock_now()};
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	return finish(db, set_in_tx(db, who, dossier_id, &h, errors));
}

static int lift_in_tx(struct db *db, const struct actor *who, int64_t dossier_id,
                      const struct hold_row *h)
{
	json_t *active = NULL;
	int rc = dossier_exists(db, who, dossier_id);
	if (rc == 0) {
		json_t *all = retention_store_holds_of(db, who->tenant_id, dossier_id);
		json_t *first = json_array_get(all, 0);
		if (first && json_is_null(json_object_get(first, "lifted_at")))
			active = json_incref(first);
		json_decref(all);
		rc = all ? 0 : CAS_EDB;
	}
	if (rc == 0)
		rc = retention_store_hold_lift(db, who->tenant_id, h);
	if (rc == 0)
		rc = audit_write(
		    db, who, "levee_gel", "dossier", dossier_id,
		    json_pack("{s:[sn], s:[ns]}", "gel",
		              active ? json_string_value(json_object_get(active, "kind")) : "",
		              "levee_motif", h->motif));
	json_decref(active);
	return rc;
}

int retention_hold_lift(struct db *db, const struct actor *who, int64_t dossier_id, json_t *in,
                        json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_LEGAL_HOLD))
		return CAS_EPERM;
	json_t *errs = json_object();
	check_motif(in, "levee_motif",
	            "Indiquez pourquoi le gel est levé (par exemple : jugement rendu, recours "
	            "rejeté).",
	            errs);
	if (json_object_size(errs)) {
		*errors = errs;
		return CAS_EINVAL;
	}
	json_decref(errs);
	struct hold_row h = {dossier_id,   NULL,       input_str(in, "levee_motif"),
	                     who->user_id, who->label, clock_now()};
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	return finish(db, lift_in_tx(db, who, dossier_id, &h));
}

/* --- the dossier page --- */

static json_t *fr_date_of(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);
	if (!json_is_integer(v))
		return json_null();
	char out[FR_DATETIME_SIZE];
	fr_date(json_integer_value(v), out);
	return json_string(out);
}

static json_t *hold_view(json_t *h, int details)
{
	const char *kind = json_string_value(json_object_get(h, "kind"));
	json_t *v = json_pack("{s:s, s:s, s:o}", "kind", kind ? kind : "", "kind_label",
	                      retention_hold_label(kind), "depuis", fr_date_of(h, "created_at"));
	if (!details)
		return v;
	json_object_set(v, "motif", json_object_get(h, "motif"));
	json_object_set(v, "par", json_object_get(h, "created_by_label"));
	if (json_is_integer(json_object_get(h, "lifted_at"))) {
		json_object_set_new(v, "leve_le", fr_date_of(h, "lifted_at"));
		json_object_set(v, "leve_par", json_object_get(h, "lifted_by_label"));
		json_object_set(v, "levee_motif", json_object_get(h, "lift_motif"));
	}
	return v;
}

/* The purge date of a closed dossier, into out ("" while open). */
static void purge_date(struct db *db, const struct actor *who, json_t *d, char out[11])
{
	struct retention_table t;
	char closed[11];
	out[0] = '\0';
	const char *state = json_string_value(json_object_get(d, "state"));
	if (!state || strcmp(state, "cloture") != 0 || retention_table_load(db, who->tenant_id, &t))
		return;
	retention_date_of(json_integer_value(json_object_get(d, "state_since")), closed);
	retention_purge_date(
	    retention_rules_for(&t, json_integer_value(json_object_get(d, "aid_type_id"))), closed,
	    json_string_value(json_object_get(d, "decision")), out);
	retention_table_free(&t);
}

static void add_holds(json_t *out, json_t *holds, int details)
{
	json_t *history = json_array();
	size_t i;
	json_t *h;
	json_array_foreach(holds, i, h)
	{
		if (json_is_null(json_object_get(h, "lifted_at")))
			json_object_set_new(out, "gel", hold_view(h, details));
		else if (details)
			json_array_append_new(history, hold_view(h, 1));
	}
	json_object_set_new(out, "historique", history);
	json_object_set_new(out, "has_historique", json_boolean(json_array_size(history) > 0));
	if (!json_object_get(out, "gel"))
		json_object_set_new(out, "gel", json_null());
}

json_t *retention_dossier(struct db *db, const struct actor *who, int64_t dossier_id, int64_t now,
                          int *err)
{
	if (!perm_allows(who->role, PERM_DOSSIER_READ)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *d = retention_store_dossier(db, who->tenant_id, dossier_id, err);
	json_t *holds = d ? retention_store_holds_of(db, who->tenant_id, dossier_id) : NULL;
	if (!holds) {
		json_decref(d);
		*err = *err ? *err : CAS_EDB;
		return NULL;
	}
	char date[11], today[11];
	purge_date(db, who, d, date);
	retention_date_of(now, today);
	int can_hold = perm_allows(who->role, PERM_LEGAL_HOLD);
	int details = can_hold || perm_allows(who->role, PERM_DOSSIER_DETAIL);
	json_t *out = json_pack("{s:b, s:b, s:s, s:n}", "can_hold", can_hold, "details", details,
	                        "purge_iso", date, "purge_le");
	if (*date) {
		char fr[11];
		snprintf(fr, sizeof(fr), "%.2s/%.2s/%.4s", date + 8, date + 5, date);
		json_object_set_new(out, "purge_le", json_string(fr));
		json_object_set_new(out, "echue", json_boolean(retention_due(date, today)));
	}
	add_holds(out, holds, details);
	json_decref(holds);
	json_decref(d);
	*err = 0;
	return out;
}
