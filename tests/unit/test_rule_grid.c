/* Grids (barèmes): bounds included or excluded, order and overlap checks,
 * columns, empty cells, and the bracket chosen at evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "domain/rules.h"

#define NNBSP "\xe2\x80\xaf" /* U+202F, between thousands */

static struct rule *parse(const char *doc, struct rule_error *e)
{
	json_t *j = json_loads(doc, 0, NULL);
	struct rule *r;

	if (!j)
		fail_msg("bad test JSON: %s", doc);
	r = rule_parse(j, e);
	json_decref(j);
	return r;
}

/* A rule whose amount is bareme("g", x[, col]) over the grid g. */
static struct rule *grid_rule(const char *grid, const char *amount)
{
	char doc[4096];
	struct rule_error e;
	struct rule *r;

	snprintf(doc, sizeof(doc),
	         "{\"variables\": {\"x\": {\"type\": \"nombre\"}, \"col\": {\"type\": \"texte\"}}, "
	         "\"baremes\": {\"g\": %s}, \"montant\": \"%s\"}",
	         grid, amount);
	r = parse(doc, &e);
	if (!r)
		fail_msg("%s: %s %s", doc, e.path, e.message);
	return r;
}

static json_t *eval(const struct rule *r, const char *vars)
{
	json_t *v = json_loads(vars, 0, NULL), *res = NULL;

	assert_non_null(v);
	assert_int_equal(rule_eval(r, v, &res), 0);
	json_decref(v);
	return res;
}

/* The amount in cents for x, or -1 when the result is not eligible with
 * an amount (the error text then goes to *why when not NULL). */
static long long amount(const struct rule *r, const char *x, const char *col)
{
	char vars[256];
	json_t *res;
	long long c = -1;

	snprintf(vars, sizeof(vars), "{\"x\": \"%s\", \"col\": \"%s\"}", x, col ? col : "");
	res = eval(r, vars);
	if (json_is_integer(json_object_get(res, "montant_centimes")))
		c = json_integer_value(json_object_get(res, "montant_centimes"));
	json_decref(res);
	return c;
}

static const char qf_grid[] =
    "{\"unite\": \"euros\", \"tranches\": ["
    " {\"max\": \"500\", \"max_inclus\": true, \"valeur\": \"150\"},"
    " {\"min\": \"500\", \"min_inclus\": false, \"max\": \"600\", \"valeur\": \"100\"},"
    " {\"min\": \"600\", \"max\": \"750\", \"max_inclus\": true, \"valeur\": 50},"
    " {\"min\": \"800\", \"valeur\": \"12.5\"}]}";

static void bounds(void **state)
{
	struct rule *r = grid_rule(qf_grid, "bareme(\\\"g\\\", x)");

	assert_int_equal(amount(r, "-1000", NULL), 15000);
	assert_int_equal(amount(r, "500", NULL), 15000);
	assert_int_equal(amount(r, "500.0001", NULL), 10000);
	assert_int_equal(amount(r, "2999/6", NULL), 15000); /* 499.83 */
	assert_int_equal(amount(r, "599.999", NULL), 10000);
	assert_int_equal(amount(r, "600", NULL), 5000); /* max 600 excluded, min 600 included */
	assert_int_equal(amount(r, "750", NULL), 5000);
	assert_int_equal(amount(r, "750.01", NULL), -1); /* the gap 750-800: no bracket */
	assert_int_equal(amount(r, "800", NULL), 1250);
	assert_int_equal(amount(r, "1000000000", NULL), 1250);
	rule_free(r);
}

static void outside_every_bracket(void **state)
{
	struct rule *r = grid_rule(qf_grid, "bareme(\\\"g\\\", x)");
	json_t *res = eval(r, "{\"x\": \"760\"}");

	assert_string_equal(json_string_value(json_object_get(res, "issue")), "indetermine");
	assert_string_equal(json_string_value(json_object_get(res, "erreur")),
	                    "la valeur 760.00 n'entre dans aucune tranche du barème « g »");
	json_decref(res);
	rule_free(r);
}

static const char col_grid[] =
    "{\"unite\": \"euros\", \"colonnes\": [\"seul\", \"couple\", \"3\"], \"tranches\": ["
    " {\"min\": 0, \"max\": 1, \"valeurs\": {\"seul\": \"1601\", \"couple\": \"1922\", \"3\": "
    "null}},"
    " {\"min\": 1, \"valeurs\": [\"3071\", \"3071.5\", \"1\"]}]}";

static void columns(void **state)
{
	struct rule *r = grid_rule(col_grid, "bareme(\\\"g\\\", x, col)");
	struct rule *n = grid_rule(col_grid, "bareme(\\\"g\\\", x, 3)");
	json_t *res;

	assert_int_equal(amount(r, "0", "seul"), 160100);
	assert_int_equal(amount(r, "0", "couple"), 192200);
	assert_int_equal(amount(r, "1", "couple"), 307150);
	assert_int_equal(amount(n, "2", NULL), 100);
	res = eval(r, "{\"x\": 0, \"col\": \"3\"}");
	assert_string_equal(
	    json_string_value(json_object_get(res, "erreur")),
	    "le barème « g » ne prévoit pas de valeur pour la tranche 1, colonne 3");
	json_decref(res);
	res = eval(r, "{\"x\": 0, \"col\": \"trio\"}");
	assert_string_equal(json_string_value(json_object_get(res, "erreur")),
	                    "le barème « g » n'a pas de colonne « trio »");
	json_decref(res);
	rule_free(r);
	rule_free(n);
}

static void lookup_explained(void **state)
{
	struct rule *r = grid_rule(col_grid, "bareme(\\\"g\\\", x, col)");
	json_t *res = eval(r, "{\"x\": 2, \"col\": \"couple\"}");
	json_t *b = json_object_get(json_object_get(res, "explication"), "bareme");
	char *s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);

	assert_string_equal(s, "{\"bareme\":\"g\",\"colonne\":\"couple\",\"libelle\":\"g\","
	                       "\"resultat\":\"3071.5\",\"tranche\":2,\"tranche_libelle\":null,"
	                       "\"tranche_texte\":\"à partir de 1\",\"unite\":\"euros\",\"valeur\":"
	                       "\"2\"}");
	free(s);
	json_decref(res);
	rule_free(r);
}

static void grid_err(const char *grid, const char *path, const char *msg)
{
	char doc[4096];
	struct rule_error e;
	struct rule *r;

	snprintf(doc, sizeof(doc), "{\"baremes\": {\"g\": %s}, \"montant\": \"1\"}", grid);
	r = parse(doc, &e);
	if (r) {
		rule_free(r);
		fail_msg("accepted: %s", grid);
	}
	if (strcmp(e.path, path) != 0 || !strstr(e.message, msg))
		fail_msg("%s\n got %s \"%s\"\nwant %s \"%s\"", grid, e.path, e.message, path, msg);
}

static void grid_errors(void **state)
{
	grid_err("[]", "/baremes/g", "un barème est un objet");
	grid_err("{\"tranches\": []}", "/baremes/g/tranches", "liste de 1 à");
	grid_err("{\"tranche\": []}", "/baremes/g", "clé inconnue « tranche »");
	grid_err("{\"tranches\": [{\"max\": \"5\", \"max_inclu\": true, \"valeur\": 1}]}",
	         "/baremes/g/tranches/0", "clé inconnue « max_inclu »");
	grid_err("{\"tranches\": [{\"max\": \"cinq\", \"valeur\": 1}]}",
	         "/baremes/g/tranches/0/max", "« max » doit être un nombre");
	grid_err("{\"tranches\": [{\"min\": 5, \"max\": 5, \"valeur\": 1}]}",
	         "/baremes/g/tranches/0/max", "doit dépasser son minimum");
	grid_err("{\"tranches\": [{\"min\": 6, \"max\": 5, \"valeur\": 1}]}",
	         "/baremes/g/tranches/0/max", "doit dépasser son minimum");
	grid_err("{\"tranches\": [{\"max\": 5, \"max_inclus\": \"oui\", \"valeur\": 1}]}",
	         "/baremes/g/tranches/0/max_inclus", "vaut true ou false");
	grid_err("{\"tranches\": [{\"valeur\": \"abc\"}]}", "/baremes/g/tranches/0/valeur",
	         "valeur de tranche invalide");
	grid_err("{\"tranches\": [{\"max\": 5, \"max_inclus\": true, \"valeur\": 1},"
	         " {\"min\": 5, \"valeur\": 2}]}",
	         "/baremes/g/tranches/1/min", "chevauche la précédente");
	grid_err("{\"tranches\": [{\"max\": 5, \"valeur\": 1}, {\"min\": 4, \"valeur\": 2}]}",
	         "/baremes/g/tranches/1/min", "chevauche la précédente");
	grid_err("{\"tranches\": [{\"min\": 5, \"valeur\": 1}, {\"min\": 6, \"valeur\": 2}]}",
	         "/baremes/g/tranches/1/min", "n'a pas de maximum");
	grid_err("{\"tranches\": [{\"max\": 5, \"valeur\": 1}, {\"max\": 6, \"valeur\": 2}]}",
	         "/baremes/g/tranches/1/min", "seule la première tranche");
	grid_err("{\"unite\": \"dollars\", \"tranches\": [{\"valeur\": 1}]}", "/baremes/g/unite",
	         "« unite » vaut");
	grid_err("{\"colonnes\": [\"a\", \"a\"], \"tranches\": [{\"valeurs\": [1, 2]}]}",
	         "/baremes/g/colonnes/1", "en double");
	grid_err("{\"colonnes\": [], \"tranches\": [{\"valeur\": 1}]}", "/baremes/g/colonnes",
	         "liste de 1 à");
	grid_err("{\"colonnes\": [\"a\"], \"tranches\": [{\"valeur\": 1}]}",
	         "/baremes/g/tranches/0/valeur", "écrivez « valeurs »");
	grid_err("{\"tranches\": [{\"valeurs\": [1]}]}", "/baremes/g/tranches/0/valeurs",
	         "écrivez « valeur »");
	grid_err("{\"colonnes\": [\"a\", \"b\"], \"tranches\": [{\"valeurs\": [1]}]}",
	         "/baremes/g/tranches/0/valeurs", "une valeur par colonne (2)");
	grid_err("{\"colonnes\": [\"a\"], \"tranches\": [{\"valeurs\": {\"b\": 1}}]}",
	         "/baremes/g/tranches/0/valeurs/b", "colonne « b » non déclarée");
}

static void call_errors(void **state)
{
	json_t *grids = json_loads(col_grid, 0, NULL), *all = json_pack("{s:O}", "g", grids);
	struct rule_error e;

	assert_int_equal(rule_check_expression("bareme(\"g\", 1, \"couple\")", all, &e), 0);
	assert_int_equal(rule_check_expression("bareme(\"g\", 1)", all, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "a des colonnes (seul…)"));
	assert_int_equal(rule_check_expression("bareme(\"g\", 1, \"trio\")", all, &e), CAS_EINVAL);
	assert_int_equal(e.column, 16);
	assert_non_null(strstr(e.message, "n'a pas de colonne « trio »"));
	assert_int_equal(rule_check_expression("bareme(\"g\", 1, 4)", all, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "n'a pas de colonne « 4 »"));
	assert_int_equal(rule_check_expression("bareme(\"g\", 1, en_couple)", all, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "la colonne d'un barème est un nombre ou un texte"));
	assert_int_equal(rule_check_expression("bareme(\"g\", \"1\", \"seul\")", all, &e),
	                 CAS_EINVAL);
	assert_non_null(strstr(e.message, "bareme() attend un nombre, pas du texte"));
	json_decref(all);
	json_decref(grids);
	grids = json_loads(qf_grid, 0, NULL);
	all = json_pack("{s:O}", "g", grids);
	assert_int_equal(rule_check_expression("bareme(\"g\", 1, \"x\")", all, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "n'a pas de colonnes"));
	json_decref(all);
	json_decref(grids);
}

static void bracket_texts(void **state)
{
	struct rule *r = grid_rule(
	    "{\"tranches\": [{\"max\": \"1234.5\", \"valeur\": 1}, {\"min\": \"1234.5\", \"max\": "
	    "\"2000\", \"max_inclus\": true, \"valeur\": 2}, {\"min\": \"2000\", \"min_inclus\": "
	    "false, \"valeur\": 3}]}",
	    "bareme(\\\"g\\\", x)");
	const char *x[] = {"0", "1500", "3000"};
	const char *want[] = {"en dessous de 1" NNBSP "234,5",
	                      "de 1" NNBSP "234,5 inclus à 2" NNBSP "000 inclus",
	                      "au-delà de 2" NNBSP "000"};

	for (int i = 0; i < 3; i++) {
		char vars[64];
		json_t *res;
		snprintf(vars, sizeof(vars), "{\"x\": %s}", x[i]);
		res = eval(r, vars);
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(json_object_get(res, "explication"), "bareme"),
		        "tranche_texte")),
		    want[i]);
		json_decref(res);
	}
	rule_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bounds),        cmocka_unit_test(outside_every_bracket),
	    cmocka_unit_test(columns),       cmocka_unit_test(lookup_explained),
	    cmocka_unit_test(grid_errors),   cmocka_unit_test(call_errors),
	    cmocka_unit_test(bracket_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
