/* Evaluation: exact arithmetic, three-valued logic over missing data,
 * errors as results, rounding, rates, ceilings, and the explanation. */
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

#define NBSP "\xc2\xa0"

static struct rule *parse(const char *doc)
{
	json_t *j = json_loads(doc, 0, NULL);
	struct rule_error e;
	struct rule *r;

	if (!j)
		fail_msg("bad test JSON: %s", doc);
	r = rule_parse(j, &e);
	if (!r)
		fail_msg("%s: %s %d:%d %s", doc, e.path, e.line, e.column, e.message);
	json_decref(j);
	return r;
}

static json_t *run(const char *doc, const char *vars)
{
	struct rule *r = parse(doc);
	json_t *v = json_loads(vars, 0, NULL), *res = NULL;

	if (!v)
		fail_msg("bad test JSON: %s", vars);
	assert_int_equal(rule_eval(r, v, &res), 0);
	assert_non_null(res);
	json_decref(v);
	rule_free(r);
	return res;
}

static const char *issue(const json_t *res)
{
	return json_string_value(json_object_get(res, "issue"));
}

static long long cents(const json_t *res)
{
	const json_t *c = json_object_get(res, "montant_centimes");
	return json_is_integer(c) ? json_integer_value(c) : -1;
}

/* The amount of {"montant": expr} over vars, in cents; -1 when none. */
static long long amount_of(const char *expr, const char *vars)
{
	char doc[2048];
	json_t *res;
	long long c;

	snprintf(doc, sizeof(doc), "{\"montant\": \"%s\"}", expr);
	res = run(doc, vars);
	c = cents(res);
	json_decref(res);
	return c;
}

static int has_line(const json_t *res, const char *text)
{
	const json_t *lines = json_object_get(json_object_get(res, "explication"), "texte");
	size_t i;
	const json_t *l;

	json_array_foreach(lines, i, l) if (strstr(json_string_value(l), text)) return 1;
	return 0;
}

static void dump_on_fail(const json_t *res, int ok)
{
	if (!ok) {
		char *s = json_dumps(res, JSON_INDENT(1));
		print_message("%s\n", s);
		free(s);
		fail();
	}
}

static void exact_arithmetic(void **state)
{
	assert_int_equal(amount_of("100 / 3 * 3", "{}"), 10000);
	assert_int_equal(amount_of("1 / 3 + 1 / 6", "{}"), 50);
	assert_int_equal(amount_of("0.1 + 0.2", "{}"), 30);
	assert_int_equal(amount_of("qf_caf * 2", "{\"qf_caf\": \"2650/3\"}"), 176667);
	assert_int_equal(amount_of("qf_caf", "{\"qf_caf\": 883.33}"), 88333);
	assert_int_equal(amount_of("qf_caf", "{\"qf_caf\": \"883,33\"}"), 88333);
	assert_int_equal(amount_of("rfr / 12 / parts", "{\"rfr\": 1000, \"parts\": 2}"), 4167);
	assert_int_equal(amount_of("-(2 - 5) * -1 + 10", "{}"), 700);
	assert_int_equal(amount_of("min(3, 1.5, 2) + max(3, 1.5, 2) + abs(-4)", "{}"), 850);
	assert_int_equal(amount_of("arrondi(2.345, 2)", "{}"), 235);
	assert_int_equal(amount_of("arrondi(-2.345, 2)", "{}"), 0); /* negative amount -> 0 */
	assert_int_equal(amount_of("arrondi(2.349, 2, \\\"inferieur\\\")", "{}"), 234);
	assert_int_equal(amount_of("arrondi(2.341, 1, \\\"superieur\\\")", "{}"), 240);
	assert_int_equal(amount_of("arrondi(2.345, 2, \\\"demi_pair\\\")", "{}"), 234);
	assert_int_equal(amount_of("arrondi(1234.5)", "{}"), 123500);
	assert_int_equal(amount_of("si 1 / 3 * 3 = 1 alors 1 sinon 2", "{}"), 100);
}

static void rounding_of_the_amount(void **state)
{
	json_t *res = run("{\"montant\": \"10 / 3\"}", "{}");

	assert_int_equal(cents(res), 333);
	dump_on_fail(res,
	             has_line(res, "arrondi au centime (au plus proche, la moitié vers le haut) : "
	                           "3,33" NBSP "€"));
	json_decref(res);
	res = run(
	    "{\"montant\": \"20 / 3\", \"arrondi\": {\"decimales\": 0, \"mode\": \"inferieur\"}}",
	    "{}");
	assert_int_equal(cents(res), 600);
	dump_on_fail(res, has_line(res, "arrondi à l'euro (en tronquant) : 6,00" NBSP "€"));
	json_decref(res);
	res = run(
	    "{\"montant\": \"20 / 3\", \"arrondi\": {\"decimales\": 1, \"mode\": \"superieur\"}}",
	    "{}");
	assert_int_equal(cents(res), 670);
	json_decref(res);
	res = run("{\"montant\": \"5 - 8\"}", "{}");
	assert_int_equal(cents(res), 0);
	dump_on_fail(res, has_line(res, "négatif : il est ramené à 0,00"));
	json_decref(res);
}

static const char three_valued[] =
    "{\"conditions\": [{\"libelle\": \"c\", \"expression\": \"%s\"}]}";

/* The outcome of one condition over vars: "eligible", "non_eligible"... */
static const char *outcome(const char *expr, const char *vars, char *buf, size_t n)
{
	char doc[1024];
	json_t *res;

	snprintf(doc, sizeof(doc), three_valued, expr);
	res = run(doc, vars);
	snprintf(buf, n, "%s", issue(res));
	json_decref(res);
	return buf;
}

static void missing_data(void **state)
{
	char b[32];

	assert_string_equal(outcome("qf_caf < 10 ou en_couple", "{\"en_couple\": true}", b, 32),
	                    "eligible");
	assert_string_equal(outcome("qf_caf < 10 et en_couple", "{\"en_couple\": false}", b, 32),
	                    "non_eligible");
	assert_string_equal(outcome("en_couple et qf_caf < 10", "{\"en_couple\": true}", b, 32),
	                    "indetermine");
	assert_string_equal(outcome("non (qf_caf < 10)", "{}", b, 32), "indetermine");
	assert_string_equal(outcome("connu(qf_caf)", "{}", b, 32), "non_eligible");
	assert_string_equal(outcome("connu(qf_caf)", "{\"qf_caf\": null}", b, 32), "non_eligible");
	assert_string_equal(outcome("defaut(beneficiaire_rsa, faux) = faux", "{}", b, 32),
	                    "eligible");
	assert_string_equal(outcome("si en_couple alors vrai sinon vrai", "{}", b, 32),
	                    "indetermine");
	assert_string_equal(outcome("commune_residence dans [\\\"1\\\"]", "{}", b, 32),
	                    "indetermine");
	assert_string_equal(outcome("min(qf_caf, 3) < 5", "{}", b, 32), "indetermine");
}

static void missing_names(void **state)
{
	json_t *res =
	    run("{\"conditions\": [{\"libelle\": \"A\", \"expression\": \"qf_caf < rfr\"},"
	        " {\"libelle\": \"B\", \"expression\": \"si en_couple alors parts > 1 sinon "
	        "vrai\"}], \"montant\": \"montant_demande\"}",
	        "{\"rfr\": 3}");
	char *m = json_dumps(json_object_get(res, "manquants"), JSON_COMPACT);

	assert_string_equal(issue(res), "indetermine");
	assert_string_equal(m, "[\"qf_caf\",\"en_couple\",\"parts\"]");
	assert_true(json_is_null(json_object_get(res, "montant_centimes")));
	dump_on_fail(res,
	             has_line(res, "Condition « A » : indéterminée, il manque qf_caf « Quotient "
	                           "familial CAF (€/mois) »."));
	dump_on_fail(res, has_line(res, "Résultat : indéterminé, il manque qf_caf"));
	free(m);
	json_decref(res);
	/* an unknown amount, conditions met */
	res = run("{\"conditions\": [{\"libelle\": \"A\", \"expression\": \"vrai\"}], \"montant\": "
	          "\"montant_demande\"}",
	          "{}");
	m = json_dumps(json_object_get(res, "manquants"), JSON_COMPACT);
	assert_string_equal(issue(res), "indetermine");
	assert_string_equal(m, "[\"montant_demande\"]");
	free(m);
	json_decref(res);
}

static void errors_are_results(void **state)
{
	json_t *res = run("{\"montant\": \"montant_demande / (nb_personnes - 2)\"}",
	                  "{\"montant_demande\": 10, \"nb_personnes\": 2}");

	assert_string_equal(issue(res), "indetermine");
	assert_string_equal(json_string_value(json_object_get(res, "erreur")),
	                    "division par zéro (ligne 1, colonne 17)");
	json_decref(res);
	res = run("{\"montant\": \"qf_caf * qf_caf * qf_caf * qf_caf\"}",
	          "{\"qf_caf\": \"123456789.123456789\"}");
	assert_string_equal(issue(res), "indetermine");
	assert_non_null(strstr(json_string_value(json_object_get(res, "erreur")), "trop grand"));
	json_decref(res);
	res = run("{\"montant\": \"qf_caf\"}", "{\"qf_caf\": \"beaucoup\"}");
	assert_string_equal(
	    json_string_value(json_object_get(res, "erreur")),
	    "la variable « qf_caf » doit être un nombre (valeur reçue de type texte)");
	json_decref(res);
	res = run("{\"montant\": \"si en_couple alors 1 sinon 2\"}", "{\"en_couple\": \"oui\"}");
	assert_string_equal(issue(res), "indetermine");
	json_decref(res);
	res = run("{\"montant\": \"si en_couple alors 1 sinon 2\"}", "{\"en_couple\": 1}");
	assert_int_equal(cents(res), 100);
	json_decref(res);
	/* a division by zero in the branch not taken is no error */
	res = run("{\"montant\": \"si nb_personnes = 0 alors 0 sinon 10 / nb_personnes\"}",
	          "{\"nb_personnes\": 0}");
	assert_string_equal(issue(res), "eligible");
	json_decref(res);
	/* faux et (error) decides faux */
	res =
	    run("{\"conditions\": [{\"libelle\": \"c\", \"expression\": \"nb_personnes > 0 et 1 / "
	        "nb_personnes > 0\"}]}",
	        "{\"nb_personnes\": 0}");
	assert_string_equal(issue(res), "non_eligible");
	assert_null(json_object_get(res, "erreur"));
	json_decref(res);
	/* vars not an object: everything is missing */
	res = run("{\"montant\": \"qf_caf\"}", "[]");
	assert_string_equal(issue(res), "indetermine");
	json_decref(res);
}

static void declared_variables(void **state)
{
	static const char doc[] =
	    "{\"variables\": {\"niveau\": {\"type\": \"texte\", \"valeurs\": [\"a\", \"b\"]}, "
	    "\"urgent\": {\"type\": \"booleen\"}, \"deja\": {\"type\": \"nombre\"}}, "
	    "\"conditions\": [{\"libelle\": \"n\", \"expression\": \"niveau dans [\\\"a\\\"] ou "
	    "urgent\"}], \"montant\": \"100 - deja\"}";
	json_t *res = run(doc, "{\"niveau\": \"a\", \"deja\": \"25.5\"}");

	assert_int_equal(cents(res), 7450);
	json_decref(res);
	res = run(doc, "{\"niveau\": \"c\", \"urgent\": false, \"deja\": 0}");
	assert_string_equal(issue(res), "indetermine"); /* "c" is not a permitted value */
	assert_string_equal(json_string_value(json_object_get(res, "erreur")),
	                    "la variable « niveau » ne peut pas valoir « c »");
	json_decref(res);
	res = run(doc, "{\"niveau\": \"c\", \"urgent\": true, \"deja\": 0}");
	assert_string_equal(issue(res), "eligible"); /* ... but "ou urgent" decides alone */
	json_decref(res);
	res = run(doc, "{\"niveau\": \"b\", \"urgent\": false, \"deja\": 0}");
	assert_string_equal(issue(res), "non_eligible");
	json_decref(res);
}

static const char full_rule[] =
    "{\"variables\": {\"niveau\": {\"type\": \"texte\"}, \"deja\": {\"type\": \"nombre\"}},"
    " \"baremes\": {\"taux\": {\"libelle\": \"Taux\", \"unite\": \"pourcent\", \"colonnes\": "
    "[\"a\", \"b\"],"
    "   \"tranches\": [{\"max\": 5, \"max_inclus\": true, \"valeurs\": [80, 60]},"
    "                 {\"min\": 5, \"min_inclus\": false, \"max\": 10, \"max_inclus\": true, "
    "\"valeurs\": [40, 30]}]},"
    "   \"plafond\": {\"libelle\": \"Plafond\", \"unite\": \"euros\", \"tranches\": [{\"max\": 5, "
    "\"max_inclus\": true, \"valeur\": 1200}, {\"min\": 5, \"min_inclus\": false, \"valeur\": "
    "750}]}},"
    " \"calculs\": [{\"nom\": \"rav\", \"libelle\": \"Reste à vivre\", \"expression\": "
    "\"reste_a_vivre_jour_personne\"},"
    "              {\"nom\": \"t\", \"libelle\": \"Taux retenu\", \"expression\": "
    "\"bareme(\\\"taux\\\", rav, niveau)\"}],"
    " \"conditions\": [{\"libelle\": \"RAV ≤ 10\", \"expression\": \"rav <= 10\"}],"
    " \"taux\": \"t\", \"montant\": \"montant_demande * t / 100\","
    " \"plafond\": {\"libelle\": \"Plafond annuel\", \"periode\": \"année civile\", \"montant\": "
    "\"bareme(\\\"plafond\\\", rav)\", \"deja_verse\": \"deja\"}}";

static void rate_amount_ceiling(void **state)
{
	json_t *res =
	    run(full_rule, "{\"reste_a_vivre_jour_personne\": \"25/3\", \"niveau\": \"a\", "
	                   "\"montant_demande\": 1000, \"deja\": 500}");
	const json_t *ex = json_object_get(res, "explication");
	char *s;

	assert_string_equal(issue(res), "eligible");
	assert_string_equal(json_string_value(json_object_get(res, "nature")), "montant");
	assert_string_equal(json_string_value(json_object_get(res, "taux")), "40");
	assert_int_equal(cents(res), 25000); /* 400 asked by the rate, 250 left under 750 */
	s = json_dumps(json_object_get(ex, "plafond"), JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"applique\":true,\"deja_verse\":\"500\",\"disponible_centimes\":"
	                       "25000,\"libelle\":\"Plafond annuel\",\"periode\":\"année civile\","
	                       "\"plafond\":\"750\"}");
	free(s);
	assert_string_equal(json_string_value(json_object_get(ex, "formule")),
	                    "montant_demande * t / 100 = 1000 * 40 / 100 = 400");
	assert_int_equal(json_array_size(json_object_get(ex, "baremes")), 2);
	assert_int_equal(json_array_size(json_object_get(ex, "calculs")), 2);
	dump_on_fail(res, has_line(res, "Condition « RAV ≤ 10 » : remplie (rav ≈ 8,33)."));
	dump_on_fail(res,
	             has_line(res, "Barème « Taux » : ≈ 8,33 est dans la tranche 2 (de 5 exclu à "
	                           "10 inclus), colonne « a » : 40" NBSP "%."));
	dump_on_fail(res,
	             has_line(res, "Calcul « Taux retenu » : t = bareme(\"taux\", rav, niveau) = "
	                           "bareme(\"taux\", 8.33…, \"a\") = 40."));
	dump_on_fail(res,
	             has_line(res, "Reste disponible sous le plafond (année civile) : 250,00"));
	dump_on_fail(res, has_line(res, "Le montant est ramené au plafond disponible : 250,00"));
	dump_on_fail(
	    res, has_line(res, "Résultat : éligible, taux 40" NBSP "%, montant 250,00" NBSP "€."));
	json_decref(res);
}

static void not_eligible_explained(void **state)
{
	json_t *res = run(full_rule, "{\"reste_a_vivre_jour_personne\": 11, \"niveau\": \"a\"}");
	const json_t *conds = json_object_get(json_object_get(res, "explication"), "conditions");
	char *s = json_dumps(json_array_get(conds, 0), JSON_COMPACT | JSON_SORT_KEYS);

	assert_string_equal(issue(res), "non_eligible");
	assert_true(json_is_null(json_object_get(res, "montant_centimes")));
	assert_string_equal(s,
	                    "{\"expression\":\"rav <= 10\",\"libelle\":\"RAV ≤ 10\",\"resultat\":"
	                    "false,\"valeurs\":{\"rav\":\"11\"}}");
	/* the rate grid is never read: no error about 11 outside its brackets */
	assert_null(json_object_get(res, "erreur"));
	assert_int_equal(
	    json_array_size(json_object_get(json_object_get(res, "explication"), "baremes")), 0);
	dump_on_fail(res,
	             has_line(res, "Résultat : non éligible, la condition « RAV ≤ 10 » n'est pas "
	                           "remplie."));
	free(s);
	json_decref(res);
}

static void natures(void **state)
{
	json_t *res = run("{\"tarif\": \"12.5\"}", "{}");

	assert_string_equal(json_string_value(json_object_get(res, "nature")), "tarif");
	assert_int_equal(cents(res), 1250);
	dump_on_fail(res, has_line(res, "Résultat : éligible, tarif 12,50"));
	json_decref(res);
	res = run("{\"taux\": \"100 / 3\"}", "{}");
	assert_string_equal(json_string_value(json_object_get(res, "nature")), "taux");
	assert_string_equal(json_string_value(json_object_get(res, "taux")), "100/3");
	assert_true(json_is_null(json_object_get(res, "montant_centimes")));
	json_decref(res);
	res =
	    run("{\"conditions\": [{\"libelle\": \"toujours\", \"expression\": \"vrai\"}]}", "{}");
	assert_string_equal(json_string_value(json_object_get(res, "nature")), "eligibilite");
	dump_on_fail(res, has_line(res, "Condition « toujours » : remplie."));
	dump_on_fail(res, has_line(res, "Résultat : éligible."));
	json_decref(res);
}

static void bad_arguments(void **state)
{
	struct rule *r = parse("{\"montant\": \"1\"}");
	json_t *res = NULL;

	assert_int_equal(rule_eval(NULL, NULL, &res), CAS_EINVAL);
	assert_int_equal(rule_eval(r, NULL, NULL), CAS_EINVAL);
	assert_int_equal(rule_eval(r, NULL, &res), 0);
	assert_int_equal(cents(res), 100);
	json_decref(res);
	rule_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(exact_arithmetic),
	    cmocka_unit_test(rounding_of_the_amount),
	    cmocka_unit_test(missing_data),
	    cmocka_unit_test(missing_names),
	    cmocka_unit_test(errors_are_results),
	    cmocka_unit_test(declared_variables),
	    cmocka_unit_test(rate_amount_ceiling),
	    cmocka_unit_test(not_eligible_explained),
	    cmocka_unit_test(natures),
	    cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
