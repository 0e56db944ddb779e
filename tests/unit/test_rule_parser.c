/* The rule expression language and the rule document: what parses, and
 * every error with its path, line, column and French message. */
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

static void check_ok(const char *expr)
{
	struct rule_error e;

	if (rule_check_expression(expr, NULL, &e) != 0)
		fail_msg("\"%s\" refused at %d:%d: %s", expr, e.line, e.column, e.message);
}

/* The expression is refused at line:col with a message containing msg. */
static void check_err(const char *expr, int line, int col, const char *msg)
{
	struct rule_error e;

	if (rule_check_expression(expr, NULL, &e) != CAS_EINVAL)
		fail_msg("\"%s\" accepted", expr);
	if (e.line != line || e.column != col || !strstr(e.message, msg))
		fail_msg("\"%s\": %d:%d \"%s\", want %d:%d \"%s\"", expr, e.line, e.column,
		         e.message, line, col, msg);
}

static void expressions_valid(void **state)
{
	check_ok("qf_caf <= 750");
	check_ok("qf_caf <= 750 et commune_residence dans [\"67218\", \"67482\"]");
	check_ok("commune_residence dans [« 67218 », '67482']");
	check_ok("nb_personnes dans [1, 2, -3]");
	check_ok("commune_residence dans []");
	check_ok("si en_couple alors 2 sinon 1");
	check_ok("1 + si en_couple alors 2 sinon 1");
	check_ok("non beneficiaire_rsa ou (age_demandeur >= 65 et non en_couple)");
	check_ok(
	    "min(qf_caf, 100, 3.5) + max(1) - abs(-2) * arrondi(qf_caf / 3, 2, \"inferieur\")");
	check_ok("arrondi(qf_caf)");
	check_ok("connu(rfr) et defaut(rfr, 0) > 0");
	check_ok("defaut(commune_residence, \"\") = \"75056\"");
	check_ok("VRAI ET Non FAUX");
	check_ok("qf_caf ≤ 3 et qf_caf ≥ 1 et qf_caf ≠ 2 et 2 × 3 ÷ 4 < 5 et qf_caf <> 1");
	check_ok("qf_caf == 1 ou qf_caf != 2");
	check_ok("qf_caf <= 750 # plafond du règlement\n  et vrai # fin");
	check_ok("--1 = +1");
	check_ok("\"guillemet \\\" et barre \\\\\" = 'l\\'apostrophe'");
	check_ok("1.000000000000000001 > 1");
}

static void syntax_errors(void **state)
{
	check_err("", 1, 1, "expression vide");
	check_err("  # rien\n", 1, 1, "expression vide");
	check_err("qf_caf <= ", 1, 11, "expression incomplète");
	check_err("qf_caf qf_caf", 1, 8, "« qf_caf » inattendu ici");
	check_err("1 +\n  (2 * 3", 2, 9, "« ) » attendu pour fermer la parenthèse, trouvé la fin");
	check_err("\"abc", 1, 1, "texte non terminé");
	check_err("\"ab\ncd\"", 1, 1, "texte non terminé");
	check_err("12.3.4", 1, 1, "nombre mal écrit");
	check_err("12.", 1, 1, "un chiffre doit suivre le point");
	check_err("12abc", 1, 1, "nombre mal écrit");
	check_err("qf_caf @ 3", 1, 8, "caractère inattendu « @ »");
	check_err("qf_caf <= 3 ;", 1, 13, "caractère inattendu « ; »");
	check_err("qf_é <= 3", 1, 1, "sans accent");
	check_err("qf_caf <= \xff", 1, 11, "caractère invalide");
	check_err("qf_caf <= \x01", 1, 11, "caractère invalide");
	check_err("1 < 2 < 3", 1, 7, "comparaisons enchaînées");
	check_err("si vrai alors 1", 1, 16, "« sinon » attendu");
	check_err("si vrai 1 sinon 2", 1, 9, "« alors » attendu");
	check_err("min(1, 2", 1, 9, "« , » attendu entre les paramètres");
	check_err("[1, 2", 1, 6, "« , » attendu entre les éléments");
	check_err("99999999999999999999 > 1", 1, 1, "nombre trop grand");
	check_err("1.0000000000000000001 > 1", 1, 1, "18 décimales");
	check_err("vrai et\n  non 3", 2, 7, "« non » attend une valeur vrai/faux, pas un nombre");
}

/* Messages cut to their buffer never end inside a UTF-8 sequence. */
static void messages_stay_utf8(void **state)
{
	struct rule_error e;
	char expr[200] = "1 \"";
	json_t *j;

	for (int i = 0; i < 30; i++)
		strncat(expr, "é", sizeof(expr) - strlen(expr) - 1);
	strncat(expr, "\"", sizeof(expr) - strlen(expr) - 1);
	assert_int_equal(rule_check_expression(expr, NULL, &e), CAS_EINVAL);
	j = json_string(e.message);
	if (!j)
		fail_msg("not UTF-8: %s", e.message);
	if (!strstr(e.message, "« \"ééééééééééééééééééééééééééééé… » inattendu ici"))
		fail_msg("%s", e.message);
	json_decref(j);
}

static void name_errors(void **state)
{
	check_err("qf_cav <= 10", 1, 1,
	          "variable inconnue « qf_cav » (vouliez-vous dire « qf_caf » ?)");
	check_err("zzzz <= 10", 1, 1, "variable inconnue « zzzz »");
	check_err("foo(1)", 1, 1, "fonction inconnue « foo »");
	check_err("1 + min", 1, 5, "« min » est une fonction");
	check_err("bareme(\"inconnu\", 1)", 1, 8, "barème inconnu « inconnu »");
	check_err("bareme(qf_caf, 1)", 1, 8, "bareme() attend d'abord le nom du barème");
}

static void type_errors(void **state)
{
	check_err("qf_caf + \"a\"", 1, 10, "« + » attend un nombre, pas du texte");
	check_err("en_couple * 2", 1, 1, "« * » attend un nombre, pas une valeur vrai/faux");
	check_err("-commune_residence", 1, 2, "« - » attend un nombre, pas du texte");
	check_err("qf_caf et vrai", 1, 1, "« et » attend une valeur vrai/faux, pas un nombre");
	check_err("vrai ou 1", 1, 9, "« ou » attend une valeur vrai/faux, pas un nombre");
	check_err("si qf_caf alors 1 sinon 2", 1, 4,
	          "« si » attend une valeur vrai/faux, pas un nombre");
	check_err("si vrai alors 1 sinon \"a\"", 1, 23, "« alors » et « sinon » doivent donner");
	check_err("qf_caf = \"750\"", 1, 10, "comparaison impossible entre un nombre et du texte");
	check_err("commune_residence < \"7\"", 1, 1, "une comparaison < <= > >= attend un nombre");
	check_err("commune_residence dans \"67218\"", 1, 24, "« dans » attend une liste");
	check_err("commune_residence dans [1, 2]", 1, 24,
	          "« dans » cherche du texte dans une liste de nombres");
	check_err("en_couple dans [1]", 1, 1, "« dans » cherche un nombre ou un texte");
	check_err("qf_caf dans [1, \"a\"]", 1, 17, "ne mélange pas nombres et textes");
	check_err("qf_caf dans [1, qf_caf]", 1, 17, "écrits tels quels");
	check_err("[1, 2]", 1, 1, "ne s'emploie qu'après « dans »");
	check_err("min(1, \"a\")", 1, 8, "min attend un nombre, pas du texte");
	check_err("max()", 1, 5, "max() prend au moins 1 paramètre");
	check_err("abs(1, 2)", 1, 8, "abs() prend au plus 1 paramètre");
	check_err("arrondi(qf_caf, 9)", 1, 17, "de 0 à 6");
	check_err("arrondi(qf_caf, qf_caf)", 1, 17, "écrit tel quel");
	check_err("arrondi(qf_caf, 2, \"bizarre\")", 1, 20, "mode d'arrondi inconnu");
	check_err("connu(1)", 1, 7, "connu() attend un nom de variable");
	check_err("defaut(rfr, \"0\")", 1, 13, "defaut() attend deux valeurs du même type");
	check_err("qf_caf / 0", 1, 10, "division par zéro");
}

static void limits(void **state)
{
	char *deep = malloc(1000), *big = malloc(RULE_MAX_EXPR_BYTES + 100);
	struct rule_error e;
	size_t n = 0;

	for (int i = 0; i < 100; i++)
		deep[n++] = '(';
	deep[n++] = '1';
	for (int i = 0; i < 100; i++)
		deep[n++] = ')';
	deep[n] = '\0';
	check_err(deep, 1, 65, "trop imbriquée");
	/* a long left-deep sum is a deep tree too */
	n = 0;
	for (int i = 0; i < 80; i++)
		n += (size_t)snprintf(deep + n, 1000 - n, "1 + ");
	snprintf(deep + n, 1000 - n, "1");
	assert_int_equal(rule_check_expression(deep, NULL, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "trop imbriquée"));
	memset(big, ' ', RULE_MAX_EXPR_BYTES + 10);
	big[RULE_MAX_EXPR_BYTES + 10] = '\0';
	big[0] = '1';
	check_err(big, 1, 1, "expression trop longue");
	n = 0;
	n += (size_t)snprintf(big, 100, "qf_caf dans [");
	for (int i = 0; i < RULE_MAX_LIST + 1 && n < RULE_MAX_EXPR_BYTES - 10; i++)
		n += (size_t)snprintf(big + n, 10, "%s1", i ? "," : "");
	snprintf(big + n, 10, "]");
	assert_int_equal(rule_check_expression(big, NULL, &e), CAS_EINVAL);
	assert_non_null(strstr(e.message, "liste trop longue"));
	free(deep);
	free(big);
}

/* rule_parse refuses doc with err at path (line:col) and a message containing msg. */
static void doc_err(const char *doc, const char *path, int line, int col, const char *msg)
{
	json_error_t je;
	json_t *j = json_loads(doc, 0, &je);
	struct rule_error e;
	struct rule *r;

	if (!j)
		fail_msg("bad test JSON: %s", je.text);
	r = rule_parse(j, &e);
	json_decref(j);
	if (r) {
		rule_free(r);
		fail_msg("accepted: %s", doc);
	}
	if (strcmp(e.path, path) != 0 || e.line != line || e.column != col ||
	    !strstr(e.message, msg))
		fail_msg("%s\n got %s %d:%d \"%s\"\nwant %s %d:%d \"%s\"", doc, e.path, e.line,
		         e.column, e.message, path, line, col, msg);
}

static void document_errors(void **state)
{
	struct rule_error e;

	assert_null(rule_parse(NULL, &e));
	assert_non_null(strstr(e.message, "objet JSON"));
	doc_err("[]", "", 0, 0, "objet JSON");
	doc_err("{}", "", 0, 0, "la règle est vide");
	doc_err("{\"condition\": []}", "", 0, 0, "clé inconnue « condition »");
	doc_err("{\"conditions\": {}}", "/conditions", 0, 0, "une liste");
	doc_err("{\"conditions\": [{\"expression\": \"vrai\"}]}", "/conditions/0/libelle", 0, 0,
	        "« libelle » est un texte");
	doc_err("{\"conditions\": [{\"libelle\": \"a\", \"expression\": \"vrai\", \"x\": 1}]}",
	        "/conditions/0", 0, 0, "clé inconnue « x »");
	doc_err("{\"conditions\": [{\"libelle\": \"a\", \"expression\": \"qf_caf\"}]}",
	        "/conditions/0/expression", 1, 1,
	        "doit donner une valeur vrai/faux, elle donne un nombre");
	doc_err("{\"conditions\": [{\"libelle\": \"a\", \"expression\": 3}]}",
	        "/conditions/0/expression", 0, 0, "une expression est un texte");
	doc_err("{\"conditions\": [{\"libelle\": \"a\", \"expression\": [\"vrai et\", \"  3\"]}]}",
	        "/conditions/0/expression", 2, 3, "« et » attend une valeur vrai/faux");
	doc_err("{\"montant\": \"1\", \"tarif\": \"2\"}", "/tarif", 0, 0, "pas les deux");
	doc_err("{\"montant\": \"vrai\"}", "/montant", 1, 1, "doit donner un nombre");
	doc_err("{\"taux\": \"\\\"a\\\"\"}", "/taux", 1, 1, "doit donner un nombre");
	doc_err("{\"taux\": \"1\", \"plafond\": {\"montant\": \"1\"}}", "/plafond", 0, 0,
	        "un plafond limite un « montant »");
	doc_err("{\"montant\": \"1\", \"plafond\": {\"montant\": \"vrai\"}}", "/plafond/montant", 1,
	        1, "doit donner un nombre");
	doc_err("{\"montant\": \"1\", \"plafond\": {\"montant\": \"1\", \"deja_verse\": \"x\"}}",
	        "/plafond/deja_verse", 1, 1, "variable inconnue « x »");
	doc_err("{\"montant\": \"1\", \"arrondi\": {\"decimales\": 3}}", "/arrondi/decimales", 0, 0,
	        "vaut 0 (à l'euro), 1 ou 2");
	doc_err("{\"montant\": \"1\", \"arrondi\": {\"mode\": \"hasard\"}}", "/arrondi/mode", 0, 0,
	        "« mode » vaut");
}

static void declarations(void **state)
{
	doc_err("{\"variables\": {\"qf_caf\": {\"type\": \"nombre\"}}, \"montant\": \"1\"}",
	        "/variables/qf_caf", 0, 0, "déjà une variable calculée");
	doc_err("{\"variables\": {\"niveau\": {\"type\": \"date\"}}, \"montant\": \"1\"}",
	        "/variables/niveau/type", 0, 0, "« type » vaut");
	doc_err("{\"variables\": {\"é\": {\"type\": \"nombre\"}}, \"montant\": \"1\"}",
	        "/variables/é", 0, 0, "nom de variable invalide");
	doc_err(
	    "{\"variables\": {\"n\": {\"type\": \"nombre\", \"valeurs\": [\"a\"]}}, \"montant\": "
	    "\"1\"}",
	    "/variables/n/valeurs", 0, 0, "variable de type texte");
	doc_err("{\"calculs\": [{\"nom\": \"a\", \"expression\": \"a + 1\"}], \"montant\": \"1\"}",
	        "/calculs/0/expression", 1, 1, "variable inconnue « a »");
	doc_err("{\"calculs\": [{\"nom\": \"a\", \"expression\": \"b\"}, {\"nom\": \"b\", "
	        "\"expression\": \"1\"}], \"montant\": \"1\"}",
	        "/calculs/0/expression", 1, 1, "variable inconnue « b »");
	doc_err("{\"calculs\": [{\"nom\": \"a\", \"expression\": \"1\"}, {\"nom\": \"a\", "
	        "\"expression\": \"2\"}], \"montant\": \"1\"}",
	        "/calculs/1/nom", 0, 0, "déjà pris");
	doc_err("{\"calculs\": [{\"nom\": \"rfr\", \"expression\": \"1\"}], \"montant\": \"1\"}",
	        "/calculs/0/nom", 0, 0, "déjà pris");
	doc_err("{\"calculs\": [{\"nom\": \"a\", \"expression\": \"[1]\"}], \"montant\": \"1\"}",
	        "/calculs/0/expression", 1, 1, "ne s'emploie qu'après « dans »");
}

static struct rule *parse_text(const char *doc)
{
	json_t *j = json_loads(doc, 0, NULL);
	struct rule_error e;
	struct rule *r;

	assert_non_null(j);
	r = rule_parse(j, &e);
	if (!r)
		fail_msg("%s: %s %d:%d %s", doc, e.path, e.line, e.column, e.message);
	json_decref(j);
	return r;
}

static void variables_read(void **state)
{
	struct rule *r = parse_text(
	    "{\"variables\": {\"niveau\": {\"type\": \"texte\", \"libelle\": \"Niveau\"}, "
	    "\"inutile\": {\"type\": \"booleen\"}}, \"du\": \"2024-01-01\", \"au\": null, "
	    "\"statut\": \"actif\", \"note\": \"n\", \"calculs\": [{\"nom\": \"q\", "
	    "\"expression\": "
	    "\"qf_caf * 2\"}], \"conditions\": [{\"libelle\": \"c\", \"expression\": [\"niveau = "
	    "\\\"a\\\"\", \"et q > rfr\"]}]}");
	json_t *v = rule_variables(r);
	char *s = json_dumps(v, JSON_COMPACT);

	assert_string_equal(s, "[\"niveau\",\"qf_caf\",\"rfr\"]");
	free(s);
	json_decref(v);
	v = rule_inputs(r);
	assert_int_equal(json_array_size(v), 4);
	json_array_remove(v, 3); /* computed variables: labels belong to situation.h */
	json_array_remove(v, 2);
	s = json_dumps(v, JSON_COMPACT);
	assert_string_equal(s, "[{\"nom\":\"niveau\",\"type\":\"texte\",\"libelle\":\"Niveau\","
	                       "\"declaree\":true},{\"nom\":\"inutile\",\"type\":\"booleen\","
	                       "\"libelle\":\"inutile\",\"declaree\":true}]");
	free(s);
	json_decref(v);
	rule_free(r);
	rule_free(NULL);
}

static void version_selection(void **state)
{
	json_t *versions =
	    json_loads("[{\"du\": \"2021-06-01\", \"au\": \"2024-08-31\", \"n\": 1},"
	               " {\"du\": \"2024-09-01\", \"au\": null, \"n\": 2},"
	               " {\"du\": \"2019-01-01\", \"au\": \"2019-12-31\", \"n\": 0}]",
	               0, NULL);
	const json_t *v;

	assert_null(rule_version_at(versions, "2020-06-01"));
	v = rule_version_at(versions, "2019-12-31");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 0);
	v = rule_version_at(versions, "2021-06-01");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 1);
	v = rule_version_at(versions, "2024-08-31");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 1);
	v = rule_version_at(versions, "2024-09-01");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 2);
	v = rule_version_at(versions, "2099-01-01");
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 2);
	assert_null(rule_version_at(versions, "2024-9-1"));
	assert_null(rule_version_at(versions, NULL));
	assert_null(rule_version_at(NULL, "2024-09-01"));
	json_decref(versions);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(expressions_valid),  cmocka_unit_test(syntax_errors),
	    cmocka_unit_test(messages_stay_utf8), cmocka_unit_test(name_errors),
	    cmocka_unit_test(type_errors),        cmocka_unit_test(limits),
	    cmocka_unit_test(document_errors),    cmocka_unit_test(declarations),
	    cmocka_unit_test(variables_read),     cmocka_unit_test(version_selection),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
