#include "web/result_view.h"

#include <stdio.h>
#include <string.h>

#include "domain/money.h"
#include "domain/ratio.h"
#include "domain/situation.h"

const char *origin_label(const char *origin)
{
	if (!origin)
		return "";
	if (strcmp(origin, "certifie") == 0)
		return "Certifiée (État)";
	if (strcmp(origin, "deduit") == 0)
		return "Déduite";
	return "Déclarée";
}

/* "883.33" -> "883,33"; exact forms "2650/3" rounded to 2 decimals. */
static json_t *number_fr(const char *s)
{
	struct ratio r;
	char buf[RATIO_FMT_SIZE];
	if (!s || ratio_parse(s, &r) != 0)
		return json_string(s ? s : "");
	int exact = r.den == 1;
	ratio_format(r, exact ? 0 : 2, buf);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = ',';
	return json_string(buf);
}

static json_t *value_text(const json_t *v)
{
	char buf[64];
	if (json_is_string(v))
		return number_fr(json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
		return json_string(buf);
	}
	if (json_is_boolean(v))
		return json_string(json_is_true(v) ? "oui" : "non");
	if (json_is_real(v)) {
		snprintf(buf, sizeof(buf), "%g", json_real_value(v));
		return json_string(buf);
	}
	return json_string("inconnue");
}

static const char *var_label(const char *name)
{
	const struct situation_var *sv = situation_var_find(name);
	return sv ? sv->label : name;
}

/* A string variable (a code) is shown as is, a number in French. */
static json_t *var_value(const char *name, const json_t *v)
{
	const struct situation_var *sv = situation_var_find(name);
	if (sv && sv->type == SVAR_STRING && json_is_string(v))
		return json_string(json_string_value(v));
	return value_text(v);
}

json_t *variables_view(const json_t *vars, const json_t *origines)
{
	json_t *out = json_array();
	size_t n = 0;
	const struct situation_var *list = situation_var_list(&n);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(vars, list[i].name);
		if (!v)
			continue;
		const char *o = json_string_value(json_object_get(origines, list[i].name));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:s}", "name",
		                                     list[i].name, "label", list[i].label, "value",
		                                     var_value(list[i].name, v), "origine",
		                                     o ? o : "declare", "origine_label",
		                                     origin_label(o ? o : "declare")));
	}
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)vars, k, v)
	{
		if (situation_var_find(k))
			continue;
		const char *o = json_string_value(json_object_get(origines, k));
		json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:s, s:s}", "name", k,
		                                     "label", k, "value", value_text(v), "origine",
		                                     o ? o : "declare", "origine_label",
		                                     origin_label(o ? o : "declare")));
	}
	return out;
}

static json_t *valeurs_text(const json_t *valeurs)
{
	char buf[1024];
	size_t o = 0;
	buf[0] = '\0';
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)valeurs, k, v)
	{
		json_t *t = value_text(v);
		if (o < sizeof(buf))
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s = %s", o ? ", " : "",
			                      k, json_string_value(t));
		json_decref(t);
	}
	return json_string(buf);
}

static json_t *conditions_view(const json_t *conds)
{
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(conds, i, c)
	{
		json_t *r = json_object_get(c, "resultat");
		const char *label = json_is_true(r)    ? "Remplie"
		                    : json_is_false(r) ? "Non remplie"
		                                       : "Indéterminée";
		const char *lib = json_string_value(json_object_get(c, "libelle"));
		const char *expr = json_string_value(json_object_get(c, "expression"));
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:o, s:s, s:b}", "libelle", lib ? lib : "",
		                   "expression", expr ? expr : "", "valeurs",
		                   valeurs_text(json_object_get(c, "valeurs")), "resultat_label",
		                   label, "ok", json_is_true(r)));
	}
	return out;
}

static json_t *one_grid(const json_t *b)
{
	const char *lib = json_string_value(json_object_get(b, "libelle"));
	const char *name = json_string_value(json_object_get(b, "bareme"));
	const char *tr = json_string_value(json_object_get(b, "tranche_texte"));
	json_t *res = value_text(json_object_get(b, "resultat"));
	char buf[600];
	snprintf(buf, sizeof(buf), "Barème « %s » : %s%s→ %s",
	         lib    ? lib
	         : name ? name
	                : "",
	         tr ? tr : "", tr ? " " : "", json_string_value(res));
	json_decref(res);
	return json_pack("{s:s}", "texte", buf);
}

static json_t *grids_view(const json_t *b)
{
	json_t *out = json_array();
	if (json_is_object(b))
		json_array_append_new(out, one_grid(b));
	size_t i;
	json_t *x;
	json_array_foreach(b, i, x)
	{
		json_array_append_new(out, one_grid(x));
	}
	return out;
}

/* Intermediate computations: [{libelle, expression, valeur}]. */
static json_t *calculs_view(const json_t *calcs)
{
	json_t *out = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(calcs, i, c)
	{
		const char *lib = json_string_value(json_object_get(c, "libelle"));
		const char *nom = json_string_value(json_object_get(c, "nom"));
		const char *expr = json_string_value(json_object_get(c, "expression"));
		json_t *err = json_object_get(c, "erreur");
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:o}", "libelle",
		                   lib   ? lib
		                   : nom ? nom
		                         : "",
		                   "expression", expr ? expr : "", "valeur",
		                   json_is_string(err) ? json_incref(err)
		                                       : value_text(json_object_get(c, "valeur"))));
	}
	return out;
}

static json_t *manquants_view(const json_t *m)
{
	json_t *out = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(m, i, x)
	{
		const char *name = json_string_value(x);
		if (name)
			json_array_append_new(
			    out, json_pack("{s:s, s:s}", "name", name, "label", var_label(name)));
	}
	return out;
}

static void set_issue(json_t *out, const char *issue)
{
	const char *label = "Impossible de décider", *cls = "issue-indetermine";
	if (issue && strcmp(issue, "eligible") == 0)
		label = "Éligible", cls = "issue-eligible";
	else if (issue && strcmp(issue, "non_eligible") == 0)
		label = "Non éligible", cls = "issue-non-eligible";
	json_object_set_new(out, "issue", json_string(issue ? issue : "indetermine"));
	json_object_set_new(out, "issue_label", json_string(label));
	json_object_set_new(out, "issue_class", json_string(cls));
}

json_t *result_view(const json_t *result)
{
	/* every key set, so that a missing one never reads an outer context */
	json_t *out = json_pack("{s:b, s:s, s:s, s:s}", "has_montant", 0, "taux_fr", "", "erreur",
	                        "", "formule", "");
	set_issue(out, json_string_value(json_object_get(result, "issue")));
	json_t *m = json_object_get(result, "montant_centimes");
	if (json_is_integer(m)) {
		char buf[MONEY_FMT_SIZE];
		money_format(json_integer_value(m), buf, sizeof(buf));
		json_object_set_new(out, "has_montant", json_true());
		json_object_set_new(out, "montant_fr", json_string(buf));
		json_object_set(out, "montant_centimes", m);
	}
	json_t *taux = json_object_get(result, "taux");
	if (json_is_string(taux))
		json_object_set_new(out, "taux_fr", number_fr(json_string_value(taux)));
	json_t *err = json_object_get(result, "erreur");
	if (json_is_string(err))
		json_object_set(out, "erreur", err);
	json_t *ex = json_object_get(result, "explication");
	json_object_set_new(out, "manquants", manquants_view(json_object_get(result, "manquants")));
	json_object_set_new(out, "conditions", conditions_view(json_object_get(ex, "conditions")));
	json_t *grids = json_object_get(ex, "baremes");
	json_object_set_new(
	    out, "baremes",
	    grids_view(json_is_array(grids) ? grids : json_object_get(ex, "bareme")));
	json_object_set_new(out, "calculs", calculs_view(json_object_get(ex, "calculs")));
	json_t *f = json_object_get(ex, "formule");
	if (json_is_string(f) && *json_string_value(f))
		json_object_set(out, "formule", f);
	json_t *t = json_object_get(ex, "texte");
	json_object_set_new(out, "texte", json_is_array(t) ? json_incref(t) : json_array());
	static const char *const lists[] = {"manquants", "conditions", "baremes", "texte",
	                                    "calculs"};
	for (size_t i = 0; i < 5; i++) {
		char key[32];
		snprintf(key, sizeof(key), "has_%s", lists[i]);
		json_object_set_new(
		    out, key, json_boolean(json_array_size(json_object_get(out, lists[i])) > 0));
	}
	return out;
}
