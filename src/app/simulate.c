#include "app/simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"
#include "app/evaluate_internal.h"
#include "app/input.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/fr_time.h"
#include "domain/rules.h"
#include "domain/situation.h"
#include "store/aid_type_store.h"
#include "store/rule_version_store.h"

#define SITUATION_MAX (256 * 1024)

json_t *tenant_caf_parts(struct db *db, int64_t tenant)
{
	int err;
	if (!tenant)
		return NULL;
	char *text = rule_store_caf_parts_get(db, tenant, &err);
	json_t *parts = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return parts;
}

int rule_run(const json_t *rule_doc, const json_t *situation, const json_t *parts, const char *date,
             json_t **vars, json_t **result, json_t **errors)
{
	*vars = *result = *errors = NULL;
	struct rule_problem p;
	if (rule_document_check_json(rule_doc, &p) != 0) {
		*errors = json_pack("{s:s}", "regle", p.text);
		return CAS_EINVAL;
	}
	struct rule *r = rule_parse(rule_doc, NULL);
	if (!r)
		return CAS_ENOMEM;
	int rc = situation_vars(situation, parts, date, vars, errors);
	if (rc == 0)
		rc = rule_eval(r, *vars, result);
	rule_free(r);
	if (rc != 0 && !*errors && rc != CAS_EINVAL)
		return rc;
	if (rc != 0 && !*errors)
		*errors = json_pack("{s:s}", "situation", "La situation est invalide.");
	return rc;
}

/* The date of the simulation: in["date"], else the situation's, else
 * today (Paris). */
static int pick_date(json_t *in, json_t *situation, char out[11], json_t *errs)
{
	const char *d = input_str(in, "date");
	if (!*d)
		d = json_string_value(json_object_get(situation, "date"));
	if (d && *d) {
		if (aid_date_iso(d, out) == 0)
			return 0;
		input_error(errs, "date", "Indiquez une date au format AAAA-MM-JJ.");
		return CAS_EINVAL;
	}
	paris_date_iso(clock_now(), out);
	return 0;
}

/* The rule of the catalogue's aid in force at date: *doc, *aide, *version
 * (new objects), or an error in errs. */
static int catalogue_rule(struct db *db, const struct actor *who, const char *code,
                          const char *date, json_t **doc, json_t **aide, json_t **version,
                          json_t *errs)
{
	int err;
	json_t *t = aid_type_store_by_code(db, who->tenant_id, code, &err);
	if (!t) {
		if (err == CAS_ENOTFOUND)
			input_error(errs, "aide_code",
			            "Aucune aide de ce code au catalogue du CCAS.");
		return err == CAS_ENOTFOUND ? CAS_EINVAL : err;
	}
	json_t *v = rule_version_store_at(db, who->tenant_id,
	                                  json_integer_value(json_object_get(t, "id")), date, &err);
	if (!v) {
		json_decref(t);
		if (err == CAS_ENOTFOUND)
			input_error(
			    errs, "date",
			    "Aucune version de la règle de cette aide n'est en vigueur à cette "
			    "date.");
		return err == CAS_ENOTFOUND ? CAS_EINVAL : err;
	}
	*doc = json_loads(input_str(v, "document"), 0, NULL);
	*aide = json_pack("{s:O, s:O}", "code", json_object_get(t, "code"), "libelle",
	                  json_object_get(t, "label"));
	*version = json_pack("{s:O, s:O, s:O}", "numero", json_object_get(v, "numero"), "du",
	                     json_object_get(v, "du"), "au", json_object_get(v, "au"));
	json_decref(t);
	json_decref(v);
	return *doc ? 0 : CAS_EDB;
}

/* Situation errors keyed "situation.<field>". */
static void prefix_errors(json_t *errs, json_t *serr)
{
	const char *k;
	json_t *m;
	json_object_foreach(serr, k, m)
	{
		char key[256];
		if (strcmp(k, "regle") == 0)
			snprintf(key, sizeof(key), "regle");
		else
			snprintf(key, sizeof(key), "situation.%.200s", k);
		input_error(errs, key, json_string_value(m));
	}
}

static int reject(json_t *errs, json_t **errors)
{
	if (!json_object_size(errs)) {
		json_decref(errs);
		return 0;
	}
	*errors = errs;
	return CAS_EINVAL;
}

/* Runs doc on the situation; *out as simulation_run describes. */
static int run(struct db *db, const struct actor *who, json_t *doc, json_t *situation,
               const char *date, json_t **out, json_t *errs)
{
	json_t *parts = tenant_caf_parts(db, who->tenant_id);
	json_t *vars = NULL, *result = NULL, *serr = NULL;
	int rc = rule_run(doc, situation, parts, date, &vars, &result, &serr);
	json_decref(parts);
	if (rc == CAS_EINVAL)
		prefix_errors(errs, serr);
	json_decref(serr);
	if (rc != 0) {
		json_decref(vars);
		json_decref(result);
		return rc;
	}
	json_object_set_new(result, "date", json_string(date));
	json_object_set_new(result, "variables", vars);
	*out = result;
	return 0;
}

static void finish_out(json_t *out, json_t *aide, json_t *version)
{
	json_object_set_new(out, "aide", aide ? aide : json_null());
	json_object_set_new(out, "version", version ? version : json_null());
}

int simulation_run(struct db *db, const struct actor *who, json_t *in, json_t **out,
                   json_t **errors, struct rule_problem *problem)
{
	*out = *errors = NULL;
	if (!perm_allows(who->role, PERM_SIMULATE))
		return CAS_EPERM;
	json_t *errs = json_object(), *situation = json_object_get(in, "situation");
	json_t *regle = json_object_get(in, "regle"), *doc = NULL, *aide = NULL, *version = NULL;
	const char *code = input_str(in, "aide_code");
	char date[11] = "";
	struct rule_problem p;
	if (!json_is_object(situation))
		input_error(errs, "situation", "Indiquez la situation du foyer : un objet JSON.");
	if (!*code == !regle)
		input_error(errs, *code ? "regle" : "aide_code",
		            "Indiquez soit le code d'une aide du catalogue (aide_code), soit une "
		            "règle (regle).");
	else if (regle && rule_document_check_json(regle, &p) != 0) {
		input_error(errs, "regle", p.text);
		if (problem)
			*problem = p;
	}
	int rc = pick_date(in, situation, date, errs);
	if (json_object_size(errs) == 0 && *code)
		rc = catalogue_rule(db, who, code, date, &doc, &aide, &version, errs);
	else if (regle)
		doc = json_incref(regle);
	if (rc == 0 && json_object_size(errs) == 0)
		rc = run(db, who, doc, situation, date, out, errs);
	json_decref(doc);
	if (rc == 0)
		rc = reject(errs, errors);
	else if (rc == CAS_EINVAL)
		reject(errs, errors);
	else
		json_decref(errs);
	if (rc == 0)
		finish_out(*out, aide, version);
	else {
		json_decref(aide);
		json_decref(version);
	}
	return rc;
}

int simulation_test_draft(struct db *db, const struct actor *who, const char *document,
                          const char *situation, const char *date, json_t **out, json_t **errors,
                          struct rule_problem *problem)
{
	*out = *errors = NULL;
	if (!perm_allows(who->role, PERM_AIDS_ADMIN))
		return CAS_EPERM;
	json_t *errs = json_object(), *doc = NULL, *sit = NULL;
	struct rule_problem local, *p = problem ? problem : &local;
	if (rule_document_check(document, &doc, p) != 0)
		input_error(errs, "document", p->text);
	json_error_t e;
	if (!situation || strlen(situation) > SITUATION_MAX ||
	    !(sit = json_loads(situation, JSON_REJECT_DUPLICATES, &e)) || !json_is_object(sit)) {
		char msg[200];
		snprintf(msg, sizeof(msg),
		         "La situation doit être un objet JSON valide (ligne %d, colonne %d).",
		         sit ? 1 : e.line, sit ? 1 : e.column);
		input_error(errs, "situation", msg);
	}
	char iso[11] = "";
	if (date && *date && aid_date_iso(date, iso) != 0)
		input_error(errs, "date_test", "Indiquez une date au format JJ/MM/AAAA.");
	json_t *in = json_pack("{s:s}", "date", iso);
	char d[11];
	int rc = pick_date(in, sit, d, errs);
	json_decref(in);
	if (rc == 0 && json_object_size(errs) == 0)
		rc = run(db, who, doc, sit, d, out, errs);
	json_decref(doc);
	json_decref(sit);
	if (rc == 0 || rc == CAS_EINVAL) {
		int r2 = reject(errs, errors);
		if (rc == 0 && r2 == 0)
			finish_out(*out, NULL, NULL);
		return rc ? rc : r2;
	}
	json_decref(errs);
	return rc;
}
