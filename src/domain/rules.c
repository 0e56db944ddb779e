/* Rule documents: reading a rule version (declared variables, grids,
 * intermediate calculations, conditions, rate, amount or tariff, ceiling,
 * rounding) into a struct rule, every expression parsed and type-checked,
 * every error located by its path in the document and, inside an
 * expression, its line and column. Also the choice of the version in force
 * at a date. The format is documented in docs/rules.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "domain/rule_internal.h"
#include "domain/situation.h"

static const char *const top_keys[] = {
    "libelle", "variables", "baremes", "calculs", "conditions", "taux", "montant",     "tarif",
    "plafond", "arrondi",   "du",      "au",      "statut",     "note", "commentaire", NULL};
static const char *const var_keys[] = {"type", "libelle", "valeurs", NULL};
static const char *const calc_keys[] = {"nom", "libelle", "expression", NULL};
static const char *const cond_keys[] = {"libelle", "expression", NULL};
static const char *const ceiling_keys[] = {"libelle", "periode", "montant", "deja_verse", NULL};
static const char *const round_keys[] = {"decimales", "mode", NULL};

int rule_doc_error(struct rule_error *err, const char *path, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	if (key)
		snprintf(err->path, sizeof(err->path), "%s/%s", path, key);
	else
		snprintf(err->path, sizeof(err->path), "%s", path);
	err->line = err->column = 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	rule_utf8_trim(err->path);
	rule_utf8_trim(err->message);
	return -1;
}

int rule_check_keys(const json_t *o, const char *const *allowed, const char *path,
                    struct rule_error *err)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)o, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, k) == 0;
		if (!ok)
			return rule_doc_error(err, path, NULL, "clé inconnue « %.60s »", k);
	}
	return 0;
}

int rule_read_label(const json_t *v, char **out, const char *path, const char *key,
                    struct rule_error *err)
{
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > RULE_MAX_LABEL)
		return rule_doc_error(err, path, key, "« %s » est un texte de 1 à %d caractères",
		                      key, RULE_MAX_LABEL);
	free(*out);
	*out = xstrdup(json_string_value(v));
	return 0;
}

/* An expression: a string, or a list of strings (its lines). NULL when v
 * is neither; *too_long when the lines exceed the size limit. */
static char *expr_text(const json_t *v, int *too_long)
{
	struct buf b;

	*too_long = 0;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!json_is_array(v) || json_array_size(v) == 0)
		return NULL;
	buf_init(&b, RULE_MAX_EXPR_BYTES + 2);
	for (size_t i = 0; i < json_array_size(v); i++) {
		const char *line = json_string_value(json_array_get(v, i));
		if (!line) {
			buf_free(&b);
			return NULL;
		}
		if (i > 0)
			buf_putc(&b, '\n');
		buf_puts(&b, line);
	}
	if (b.err) {
		buf_free(&b);
		*too_long = 1;
		return NULL;
	}
	return buf_steal(&b);
}

static int parse_expr_at(struct rule *r, const json_t *v, const char *path, enum rtype want,
                         struct rexpr *out, struct rule_error *err)
{
	int too_long, rc;
	char *text = expr_text(v, &too_long);

	if (too_long)
		return rule_doc_error(err, path, NULL, "expression trop longue (%d octets au plus)",
		                      RULE_MAX_EXPR_BYTES);
	if (!text)
		return rule_doc_error(
		    err, path, NULL,
		    "une expression est un texte, ou une liste de lignes de texte");
	rc = rexpr_parse(r, text, want, out, err);
	free(text);
	if (rc != 0) {
		snprintf(err->path, sizeof(err->path), "%s", path);
		rule_utf8_trim(err->path);
		return -1;
	}
	return 0;
}

static enum rtype type_from_code(const char *s)
{
	if (!s)
		return RT_NONE;
	if (strcmp(s, "nombre") == 0)
		return RT_NUM;
	if (strcmp(s, "texte") == 0)
		return RT_STR;
	if (strcmp(s, "booleen") == 0 || strcmp(s, "booléen") == 0)
		return RT_BOOL;
	return RT_NONE;
}

static int read_allowed(struct rvar *v, const json_t *list, const char *path,
                        struct rule_error *err)
{
	size_t n = json_array_size(list);

	if (!list)
		return 0;
	if (v->type != RT_STR || !json_is_array(list) || n == 0 || n > RULE_MAX_LIST)
		return rule_doc_error(err, path, "valeurs",
		                      "« valeurs » est la liste des textes permis d'une variable "
		                      "de type texte");
	v->allowed = xcalloc(n, sizeof(*v->allowed));
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(list, i));
		if (!s || strlen(s) > RULE_MAX_STRING)
			return rule_doc_error(err, path, "valeurs",
			                      "chaque valeur permise est un texte");
		v->allowed[v->nallowed++] = xstrdup(s);
	}
	return 0;
}

static int read_variable(struct rule *r, const char *name, const json_t *o, const char *path,
                         struct rule_error *err)
{
	struct rvar *v;
	const json_t *lib = json_object_get(o, "libelle");

	if (!rule_name_valid(name))
		return rule_doc_error(err, path, NULL,
		                      "nom de variable invalide : lettres sans accent, chiffres et "
		                      "« _ », %d caractères au plus",
		                      RULE_MAX_NAME);
	if (situation_var_find(name))
		return rule_doc_error(err, path, NULL,
		                      "« %s » est déjà une variable calculée à partir de la "
		                      "situation : ne la déclarez pas",
		                      name);
	if (!json_is_object(o) || rule_check_keys(o, var_keys, path, err) < 0)
		return json_is_object(o) ? -1
		                         : rule_doc_error(err, path, NULL,
		                                          "une variable se déclare par un objet "
		                                          "{ \"type\": …, \"libelle\": … }");
	if (r->nvars >= RULE_MAX_VARS)
		return rule_doc_error(err, path, NULL, "trop de variables");
	v = &r->vars[r->nvars++];
	v->name = xstrdup(name);
	v->declared = 1;
	v->type = type_from_code(json_string_value(json_object_get(o, "type")));
	if (v->type == RT_NONE)
		return rule_doc_error(err, path, "type",
		                      "« type » vaut \"nombre\", \"texte\" ou \"booleen\"");
	if (lib && rule_read_label(lib, &v->libelle, path, "libelle", err) < 0)
		return -1;
	if (!v->libelle)
		v->libelle = xstrdup(name);
	return read_allowed(v, json_object_get(o, "valeurs"), path, err);
}

static int read_variables(struct rule *r, const json_t *vars, struct rule_error *err)
{
	const char *name;
	const json_t *o;
	char path[128];

	if (!vars)
		return 0;
	if (!json_is_object(vars))
		return rule_doc_error(err, "/variables", NULL,
		                      "« variables » est un objet nom → déclaration");
	json_object_foreach((json_t *)vars, name, o)
	{
		snprintf(path, sizeof(path), "/variables/%.64s", name);
		if (read_variable(r, name, o, path, err) < 0)
			return -1;
	}
	return 0;
}

static int name_taken(const struct rule *r, const char *name)
{
	for (int i = 0; i < r->nvars; i++)
		if (strcmp(r->vars[i].name, name) == 0)
			return 1;
	for (int i = 0; i < r->ncalcs; i++)
		if (strcmp(r->calcs[i].name, name) == 0)
			return 1;
	return situation_var_find(name) != NULL;
}

static int read_calc(struct rule *r, const json_t *o, const char *path, struct rule_error *err)
{
	const char *name = json_string_value(json_object_get(o, "nom"));
	const json_t *lib = json_object_get(o, "libelle");
	struct rcalc *c = &r->calcs[r->ncalcs];

	if (!json_is_object(o))
		return rule_doc_error(err, path, NULL,
		                      "un calcul est un objet { \"nom\": …, "
		                      "\"libelle\": …, \"expression\": … }");
	if (rule_check_keys(o, calc_keys, path, err) < 0)
		return -1;
	if (!rule_name_valid(name))
		return rule_doc_error(err, path, "nom",
		                      "« nom » : lettres sans accent, chiffres et « _ », %d "
		                      "caractères au plus",
		                      RULE_MAX_NAME);
	if (name_taken(r, name))
		return rule_doc_error(err, path, "nom", "le nom « %s » est déjà pris", name);
	if (lib && rule_read_label(lib, &c->libelle, path, "libelle", err) < 0)
		return -1;
	c->name = xstrdup(name);
	if (!c->libelle)
		c->libelle = xstrdup(name);
	{
		char sub[160];
		snprintf(sub, sizeof(sub), "%s/expression", path);
		if (parse_expr_at(r, json_object_get(o, "expression"), sub, RT_NONE, &c->e, err) <
		    0)
			return -1;
	}
	r->ncalcs++; /* visible to the next calculations only: no cycle possible */
	return 0;
}

static int read_calcs(struct rule *r, const json_t *list, struct rule_error *err)
{
	char path[64];

	if (!list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > RULE_MAX_CALCS)
		return rule_doc_error(err, "/calculs", NULL,
		                      "« calculs » est une liste de %d calculs au plus",
		                      RULE_MAX_CALCS);
	r->calcs = xcalloc(json_array_size(list) + 1, sizeof(*r->calcs));
	for (size_t i = 0; i < json_array_size(list); i++) {
		snprintf(path, sizeof(path), "/calculs/%zu", i);
		if (read_calc(r, json_array_get(list, i), path, err) < 0) {
			/* free what the failed entry allocated before it was counted */
			free(r->calcs[r->ncalcs].name);
			free(r->calcs[r->ncalcs].libelle);
			rexpr_free(&r->calcs[r->ncalcs].e);
			r->calcs[r->ncalcs].name = r->calcs[r->ncalcs].libelle = NULL;
			return -1;
		}
	}
	return 0;
}

static int read_cond(struct rule *r, const json_t *o, const char *path, struct rule_error *err)
{
	struct rcond *c = &r->conds[r->nconds];
	char sub[96];

	if (!json_is_object(o))
		return rule_doc_error(err, path, NULL,
		                      "une condition est un objet { \"libelle\": …, "
		                      "\"expression\": … }");
	if (rule_check_keys(o, cond_keys, path, err) < 0)
		return -1;
	r->nconds++;
	if (rule_read_label(json_object_get(o, "libelle"), &c->libelle, path, "libelle", err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s/expression", path);
	return parse_expr_at(r, json_object_get(o, "expression"), sub, RT_BOOL, &c->e, err);
}

static int read_conds(struct rule *r, const json_t *list, struct rule_error *err)
{
	char path[64];

	if (!list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > RULE_MAX_CONDITIONS)
		return rule_doc_error(err, "/conditions", NULL,
		                      "« conditions » est une liste de %d conditions au plus",
		                      RULE_MAX_CONDITIONS);
	r->conds = xcalloc(json_array_size(list) + 1, sizeof(*r->conds));
	for (size_t i = 0; i < json_array_size(list); i++) {
		snprintf(path, sizeof(path), "/conditions/%zu", i);
		if (read_cond(r, json_array_get(list, i), path, err) < 0)
			return -1;
	}
	return 0;
}

static int read_amount(struct rule *r, const json_t *doc, struct rule_error *err)
{
	const json_t *m = json_object_get(doc, "montant"), *t = json_object_get(doc, "tarif");
	const json_t *taux = json_object_get(doc, "taux");

	if (m && t)
		return rule_doc_error(err, "/tarif", NULL,
		                      "une règle donne un montant ou un tarif, pas les deux");
	if (taux) {
		if (parse_expr_at(r, taux, "/taux", RT_NUM, &r->taux, err) < 0)
			return -1;
		r->has_taux = 1;
	}
	if (m || t) {
		if (parse_expr_at(r, m ? m : t, m ? "/montant" : "/tarif", RT_NUM, &r->montant,
		                  err) < 0)
			return -1;
		r->nature = m ? NAT_MONTANT : NAT_TARIF;
	}
	return 0;
}

static int read_ceiling(struct rule *r, const json_t *o, struct rule_error *err)
{
	const json_t *lib, *per, *dv;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return rule_doc_error(
		    err, "/plafond", NULL,
		    "« plafond » est un objet { \"montant\": …, \"deja_verse\": … }");
	if (rule_check_keys(o, ceiling_keys, "/plafond", err) < 0)
		return -1;
	if (r->nature != NAT_MONTANT)
		return rule_doc_error(err, "/plafond", NULL,
		                      "un plafond limite un « montant » : "
		                      "la règle n'en a pas");
	lib = json_object_get(o, "libelle");
	per = json_object_get(o, "periode");
	if ((lib && rule_read_label(lib, &r->plafond_libelle, "/plafond", "libelle", err) < 0) ||
	    (per && rule_read_label(per, &r->plafond_periode, "/plafond", "periode", err) < 0))
		return -1;
	if (!r->plafond_libelle)
		r->plafond_libelle = xstrdup("Plafond");
	if (parse_expr_at(r, json_object_get(o, "montant"), "/plafond/montant", RT_NUM, &r->plafond,
	                  err) < 0)
		return -1;
	dv = json_object_get(o, "deja_verse");
	r->has_plafond = 1;
	if (!dv)
		return rexpr_parse(r, "0", RT_NUM, &r->deja_verse, err) == 0 ? 0 : -1;
	return parse_expr_at(r, dv, "/plafond/deja_verse", RT_NUM, &r->deja_verse, err);
}

static int read_rounding(struct rule *r, const json_t *o, struct rule_error *err)
{
	const json_t *d, *m;

	r->decimals = 2;
	r->mode = RATIO_HALF_UP;
	if (!o)
		return 0;
	if (!json_is_object(o) || rule_check_keys(o, round_keys, "/arrondi", err) < 0)
		return json_is_object(o)
		           ? -1
		           : rule_doc_error(err, "/arrondi", NULL,
		                            "« arrondi » est un objet { \"decimales\": "
		                            "2, \"mode\": \"demi_haut\" }");
	d = json_object_get(o, "decimales");
	m = json_object_get(o, "mode");
	if (d && (!json_is_integer(d) || json_integer_value(d) < 0 || json_integer_value(d) > 2))
		return rule_doc_error(err, "/arrondi", "decimales",
		                      "« decimales » vaut 0 (à l'euro), 1 ou 2 (au centime)");
	if (d)
		r->decimals = (int)json_integer_value(d);
	if (m && rule_mode_parse(json_string_value(m), &r->mode) != 0)
		return rule_doc_error(err, "/arrondi", "mode",
		                      "« mode » vaut \"demi_haut\", \"inferieur\", \"superieur\", "
		                      "\"demi_pair\", \"plancher\" ou \"plafond\"");
	return 0;
}

static int read_document(struct rule *r, const json_t *doc, struct rule_error *err)
{
	if (!json_is_object(doc))
		return rule_doc_error(err, "", NULL, "la règle doit être un objet JSON { … }");
	if (rule_check_keys(doc, top_keys, "", err) < 0)
		return -1;
	if (!json_object_get(doc, "conditions") && !json_object_get(doc, "montant") &&
	    !json_object_get(doc, "tarif") && !json_object_get(doc, "taux"))
		return rule_doc_error(
		    err, "", NULL,
		    "la règle est vide : écrivez des « conditions », un « montant », "
		    "un « tarif » ou un « taux »");
	if (read_variables(r, json_object_get(doc, "variables"), err) < 0 ||
	    rule_grids_parse(r, json_object_get(doc, "baremes"), err) < 0 ||
	    read_calcs(r, json_object_get(doc, "calculs"), err) < 0 ||
	    read_conds(r, json_object_get(doc, "conditions"), err) < 0 ||
	    read_amount(r, doc, err) < 0 ||
	    read_ceiling(r, json_object_get(doc, "plafond"), err) < 0)
		return -1;
	return read_rounding(r, json_object_get(doc, "arrondi"), err);
}

struct rule *rule_parse(const json_t *doc, struct rule_error *err)
{
	struct rule_error local;
	struct rule *r = xcalloc(1, sizeof(*r));

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (read_document(r, doc, err) < 0) {
		rule_free(r);
		return NULL;
	}
	return r;
}

static void var_free(struct rvar *v)
{
	free(v->name);
	free(v->libelle);
	for (int i = 0; i < v->nallowed; i++)
		free(v->allowed[i]);
	free(v->allowed);
}

void rule_free(struct rule *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->nvars; i++)
		var_free(&r->vars[i]);
	rule_grids_free(r);
	for (int i = 0; i < r->ncalcs; i++) {
		free(r->calcs[i].name);
		free(r->calcs[i].libelle);
		rexpr_free(&r->calcs[i].e);
	}
	free(r->calcs);
	for (int i = 0; i < r->nconds; i++) {
		free(r->conds[i].libelle);
		rexpr_free(&r->conds[i].e);
	}
	free(r->conds);
	rexpr_free(&r->taux);
	rexpr_free(&r->montant);
	rexpr_free(&r->plafond);
	rexpr_free(&r->deja_verse);
	free(r->plafond_libelle);
	free(r->plafond_periode);
	free(r);
}

int rule_check_expression(const char *text, const json_t *grids, struct rule_error *err)
{
	struct rule_error local;
	struct rule *r = xcalloc(1, sizeof(*r));
	struct rexpr e;
	int rc = CAS_EINVAL;

	if (!err)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (!text) {
		rule_doc_error(err, "", NULL, "expression absente");
	} else if (rule_grids_parse(r, grids, err) == 0 &&
	           rexpr_parse(r, text, RT_NONE, &e, err) == 0) {
		rexpr_free(&e);
		rc = 0;
	}
	rule_free(r);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

json_t *rule_variables(const struct rule *r)
{
	const char *names[RULE_MAX_VARS];
	int n = 0;
	json_t *a = json_array();

	if (!r)
		return a;
	for (int i = 0; i < r->nvars; i++)
		if (r->vars[i].used)
			names[n++] = r->vars[i].name;
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(names[i]));
	return a;
}

static json_t *input_entry(const struct rvar *v)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:b}", "nom", v->name, "type", rule_type_code(v->type),
	              "libelle", v->libelle, "declaree", v->declared);

	if (o && v->nallowed > 0) {
		json_t *a = json_array();
		for (int i = 0; i < v->nallowed; i++)
			json_array_append_new(a, json_string(v->allowed[i]));
		json_object_set_new(o, "valeurs", a);
	}
	return o;
}

json_t *rule_inputs(const struct rule *r)
{
	json_t *a = json_array(), *used;
	size_t i;
	json_t *name;

	if (!r)
		return a;
	for (int k = 0; k < r->nvars; k++)
		if (r->vars[k].declared)
			json_array_append_new(a, input_entry(&r->vars[k]));
	used = rule_variables(r);
	json_array_foreach(used, i, name)
	{
		for (int k = 0; k < r->nvars; k++)
			if (!r->vars[k].declared &&
			    strcmp(r->vars[k].name, json_string_value(name)) == 0)
				json_array_append_new(a, input_entry(&r->vars[k]));
	}
	json_decref(used);
	return a;
}

static int iso_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

const json_t *rule_version_at(const json_t *versions, const char *date)
{
	const json_t *best = NULL, *v;
	const char *best_du = NULL;
	size_t i;

	if (!json_is_array(versions) || !iso_date(date))
		return NULL;
	json_array_foreach(versions, i, v)
	{
		const char *du = json_string_value(json_object_get(v, "du"));
		const json_t *au = json_object_get(v, "au");
		if (!iso_date(du) || strcmp(du, date) > 0)
			continue;
		if (au && !json_is_null(au) &&
		    (!iso_date(json_string_value(au)) || strcmp(date, json_string_value(au)) > 0))
			continue;
		if (!best_du || strcmp(du, best_du) > 0) {
			best = v;
			best_du = du;
		}
	}
	return best;
}
