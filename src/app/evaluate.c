#include "app/evaluate.h"

#include <stdio.h>
#include <string.h>

#include "app/actor.h"
#include "app/audit.h"
#include "app/evaluate_internal.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "base/json_alloc.h"
#include "store/db.h"
#include "store/dossier_store.h"
#include "store/evaluation_store.h"
#include "store/rule_version_store.h"

/* 1 when a dossier in this state is decided (past instruction). */
static int dossier_state_decided(const char *state)
{
	static const char *const open[] = {"brouillon", "depose", "en_instruction",
	                                   "en_attente_pieces"};
	for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		if (state && strcmp(state, open[i]) == 0)
			return 0;
	return 1;
}

/* The deposit date of a dossier row (dossier_store_get) as ISO: depose_le
 * (set by the workflow at deposit), the opening date for a brouillon. */
static void dossier_deposit_date(json_t *dossier, char out[11])
{
	const char *depose = json_string_value(json_object_get(dossier, "depose_le"));
	if (depose && strlen(depose) == 10) {
		memcpy(out, depose, 11);
		return;
	}
	paris_date_iso(json_integer_value(json_object_get(dossier, "created_at")), out);
}

/* Origin of each variable: certified or deduced when the datum it comes
 * from is, declared otherwise (computed from declared data). */
static json_t *variable_origins(json_t *vars, json_t *origins)
{
	json_t *out = json_object();
	const char *name;
	json_t *v;
	json_object_foreach(vars, name, v)
	{
		const char *o = json_string_value(json_object_get(origins, name));
		if (!o && strcmp(name, "qf_caf_certifie") == 0)
			o = json_string_value(json_object_get(origins, "qf_caf"));
		json_object_set_new(out, name, json_string(o ? o : "declare"));
	}
	return out;
}

static json_t *version_brief(json_t *v)
{
	return json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(v, "id"), "numero",
	                 json_object_get(v, "numero"), "du", json_object_get(v, "du"), "au",
	                 json_object_get(v, "au"));
}

/* French sentence out of situation errors (field -> message). */
static json_t *errors_sentence(json_t *errors)
{
	char text[1024];
	size_t o = (size_t)snprintf(text, sizeof(text),
	                            "Les données du dossier ne permettent pas l'évaluation :");
	const char *k;
	json_t *m;
	json_object_foreach(errors, k, m)
	{
		if (o < sizeof(text))
			o += (size_t)snprintf(text + o, sizeof(text) - o, " %s : %s", k,
			                      json_string_value(m) ? json_string_value(m) : "");
	}
	return json_string(text);
}

static void no_version(json_t *cur, const char *date)
{
	char msg[200];
	snprintf(msg, sizeof(msg),
	         "Aucune version de la règle de cette aide n'est en vigueur au %.2s/%.2s/%.4s "
	         "(date de dépôt) : l'administrateur doit en activer une.",
	         date + 8, date + 5, date);
	json_object_set_new(cur, "version", json_null());
	json_object_set_new(cur, "result", json_null());
	json_object_set_new(cur, "message", json_string(msg));
}

static void run_version(struct db *db, int64_t tenant, json_t *version, struct built *b,
                        const char *date, json_t *cur)
{
	json_t *doc = json_loads(input_str(version, "document"), 0, NULL);
	json_t *parts = tenant_caf_parts(db, tenant);
	json_t *vars = NULL, *result = NULL, *errors = NULL;
	int rc = rule_run(doc, b->situation, parts, date, &vars, &result, &errors);
	json_decref(doc);
	json_decref(parts);
	json_object_set_new(cur, "version", version_brief(version));
	json_t *inputs = json_object_get(cur, "inputs");
	json_object_set_new(inputs, "variables", vars ? vars : json_object());
	json_object_set_new(inputs, "origines",
	                    variable_origins(json_object_get(inputs, "variables"), b->origins));
	json_object_set_new(cur, "result", rc == 0 ? result : json_null());
	if (rc != 0) {
		json_decref(result);
		json_object_set_new(cur, "message",
		                    errors ? errors_sentence(errors)
		                           : json_string("Évaluation impossible."));
	}
	json_decref(errors);
}

/* The evaluation on today's data: {version, inputs, result, message}. */
static int compute_current(struct db *db, int64_t tenant, json_t *d, const char *date, json_t **out)
{
	struct built b;
	int rc = situation_build(db, tenant, d, date, &b);
	if (rc != 0)
		return rc;
	json_t *cur =
	    json_pack("{s:{s:O, s:O}}", "inputs", "situation", b.situation, "sources", b.sources);
	int err;
	json_t *version = rule_version_store_at(
	    db, tenant, json_integer_value(json_object_get(d, "aid_type_id")), date, &err);
	if (version)
		run_version(db, tenant, version, &b, date, cur);
	else if (err == CAS_ENOTFOUND)
		no_version(cur, date);
	json_decref(version);
	built_free(&b);
	if (!version && err != CAS_ENOTFOUND) {
		json_decref(cur);
		return err;
	}
	*out = cur;
	return 0;
}

/* The stored evaluation with inputs and result as objects. */
static json_t *stored_view(json_t *row)
{
	json_t *inputs = json_loads(input_str(row, "inputs"), 0, NULL);
	json_t *result = json_loads(input_str(row, "result"), 0, NULL);
	json_object_set_new(row, "inputs", inputs ? inputs : json_object());
	json_object_set_new(row, "result", result ? result : json_null());
	return row;
}

static int changed(json_t *stored, json_t *cur)
{
	if (!stored || !cur)
		return 0;
	json_t *v = json_object_get(cur, "version");
	if (json_integer_value(json_object_get(v, "id")) !=
	    json_integer_value(json_object_get(stored, "rule_version_id")))
		return 1;
	json_t *a = json_object_get(json_object_get(stored, "inputs"), "situation");
	json_t *b = json_object_get(json_object_get(cur, "inputs"), "situation");
	return !json_equal(a, b);
}

json_t *dossier_evaluation(struct db *db, const struct actor *who, int64_t dossier_id, int *err)
{
	if (!perm_allows(who->role, PERM_DOSSIER_DETAIL)) {
		*err = CAS_EPERM;
		return NULL;
	}
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, err);
	if (!d)
		return NULL;
	char date[11];
	dossier_deposit_date(d, date);
	int decided = dossier_state_decided(input_str(d, "state"));
	json_t *stored = evaluation_store_latest(db, who->tenant_id, dossier_id, err);
	json_t *cur = NULL;
	if ((stored || *err == CAS_ENOTFOUND) && !decided)
		*err = compute_current(db, who->tenant_id, d, date, &cur);
	else if (stored || *err == CAS_ENOTFOUND)
		*err = 0;
	json_decref(d);
	if (*err != 0) {
		json_decref(stored);
		return NULL;
	}
	if (stored)
		stored_view(stored);
	json_t *out = json_pack("{s:b, s:b, s:s, s:b}", "decided", decided, "can_evaluate",
	                        !decided && perm_allows(who->role, PERM_DOSSIER_EVALUATE),
	                        "date_reference", date, "changed", changed(stored, cur));
	json_object_set_new(out, "stored", stored ? stored : json_null());
	if (cur)
		json_object_set_new(out, "current", cur);
	return out;
}

/* Inserts the current evaluation with its audit entry. */
static int store_current(struct db *db, const struct actor *who, int64_t dossier_id,
                         const char *date, json_t *cur, int64_t *eval_id)
{
	json_t *result = json_object_get(cur, "result");
	json_t *m = json_object_get(result, "montant_centimes");
	char *inputs = json_dumps(json_object_get(cur, "inputs"), JSON_COMPACT);
	char *res = json_dumps(result, JSON_COMPACT);
	struct evaluation_row row = {
	    .dossier_id = dossier_id,
	    .rule_version_id =
	        json_integer_value(json_object_get(json_object_get(cur, "version"), "id")),
	    .date_reference = date,
	    .inputs = inputs,
	    .result = res,
	    .issue = input_str(result, "issue"),
	    .montant_centimes = json_is_integer(m) ? json_integer_value(m) : -1,
	    .created_by = who->user_id,
	    .created_by_label = who->label,
	};
	int rc = inputs && res
	             ? evaluation_store_insert(db, who->tenant_id, &row, clock_now(), eval_id)
	             : CAS_ENOMEM;
	json_free_text(inputs);
	json_free_text(res);
	if (rc == 0)
		rc = audit_write(db, who, "evaluation", "dossier", dossier_id,
		                 json_pack("{s:[nI], s:[ns], s:[nO], s:[ns]}", "rule_version_id",
		                           (json_int_t)row.rule_version_id, "issue", row.issue,
		                           "montant_centimes", m ? m : json_null(),
		                           "date_reference", date));
	return rc;
}

int dossier_evaluate(struct db *db, const struct actor *who, int64_t dossier_id, int64_t *eval_id,
                     json_t **errors)
{
	*errors = NULL;
	if (!perm_allows(who->role, PERM_DOSSIER_EVALUATE))
		return CAS_EPERM;
	int rc = db_begin(db);
	if (rc != 0)
		return rc;
	json_t *d = dossier_store_get(db, who->tenant_id, dossier_id, &rc);
	json_t *cur = NULL;
	char date[11] = "";
	if (d && dossier_state_decided(input_str(d, "state")))
		rc = CAS_ECONFLICT;
	else if (d) {
		dossier_deposit_date(d, date);
		rc = compute_current(db, who->tenant_id, d, date, &cur);
	}
	if (rc == 0 && !json_is_object(json_object_get(cur, "result"))) {
		*errors = json_pack("{s:O}", "evaluation", json_object_get(cur, "message"));
		rc = CAS_EINVAL;
	}
	if (rc == 0)
		rc = store_current(db, who, dossier_id, date, cur, eval_id);
	json_decref(cur);
	json_decref(d);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}
