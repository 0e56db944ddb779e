/* Situation JSON -> variables: computed values, absent ones, field errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "base/err.h"
#include "domain/situation.h"

static json_t *vars_of(const char *situation_text, const json_t *table, const char *date)
{
	json_error_t jerr;
	json_t *sit = json_loads(situation_text, 0, &jerr), *vars = NULL, *errors = NULL;
	if (!sit)
		fail_msg("bad test JSON: %s", jerr.text);
	int rc = situation_vars(sit, table, date, &vars, &errors);
	if (rc != 0) {
		char *e = json_dumps(errors, 0);
		fail_msg("unexpected errors: %s", e);
	}
	assert_null(errors);
	json_decref(sit);
	return vars;
}

static json_t *errors_of(const char *situation_text, const char *date)
{
	json_t *sit = json_loads(situation_text, 0, NULL), *vars = NULL, *errors = NULL;
	assert_non_null(sit);
	assert_int_equal(situation_vars(sit, NULL, date, &vars, &errors), CAS_EINVAL);
	assert_null(vars);
	assert_non_null(errors);
	json_decref(sit);
	return errors;
}

static void assert_str(const json_t *vars, const char *name, const char *expected)
{
	const json_t *v = json_object_get(vars, name);
	if (!json_is_string(v))
		fail_msg("%s: missing or not a string", name);
	if (strcmp(json_string_value(v), expected) != 0)
		fail_msg("%s: %s, expected %s", name, json_string_value(v), expected);
}

static void assert_int(const json_t *vars, const char *name, long long expected)
{
	const json_t *v = json_object_get(vars, name);
	if (!json_is_integer(v))
		fail_msg("%s: missing or not an integer", name);
	assert_int_equal(json_integer_value(v), expected);
}

static void assert_bool(const json_t *vars, const char *name, int expected)
{
	const json_t *v = json_object_get(vars, name);
	if (!json_is_boolean(v))
		fail_msg("%s: missing or not a boolean", name);
	assert_int_equal(json_is_true(v), expected);
}

static void assert_absent(const json_t *vars, const char *name)
{
	if (json_object_get(vars, name))
		fail_msg("%s should be absent", name);
}

static const char family[] =
    "{\"situation_familiale\": \"marie\","
    " \"personnes\": [{\"role\": \"demandeur\", \"date_naissance\": \"1985-03-12\"},"
    "                 {\"role\": \"conjoint\", \"age\": 38},"
    "                 {\"role\": \"enfant\", \"date_naissance\": \"2015-03-01\"},"
    "                 {\"role\": \"enfant\", \"date_naissance\": \"2011\"}],"
    " \"ressources\": {\"mensuelles\": 2000, \"annuelles\": \"30000\"},"
    " \"prestations_familiales_mois\": 150, \"charges\": \"1 100,00\","
    " \"rfr\": 24000, \"commune_residence\": \"75056\", \"statuts\": [\"css\"],"
    " \"montant_demande\": \"250.50\", \"variables\": {\"niveau_besoin\": 2}}";

static void full_family(void **state)
{
	json_t *v = vars_of(family, NULL, "2025-06-01");
	assert_int(v, "nb_personnes", 4);
	assert_int(v, "nb_adultes", 2);
	assert_int(v, "nb_enfants", 2);
	assert_int(v, "nb_enfants_a_charge", 2);
	assert_int(v, "nb_enfants_moins_18", 2);
	assert_int(v, "age_demandeur", 40);
	assert_bool(v, "en_couple", 1);
	assert_bool(v, "parent_isole", 0);
	assert_str(v, "situation_familiale", "marie");
	assert_str(v, "parts_caf", "3");
	assert_str(v, "qf_caf", "2650/3");
	assert_bool(v, "qf_caf_certifie", 0);
	assert_str(v, "parts", "3");
	assert_str(v, "rfr", "24000");
	assert_str(v, "qf_fiscal", "2000/3");
	/* children 10 and 13 (born "2011": at least 13): 1 + 0.5 + 0.3 + 0.3 */
	assert_str(v, "uc", "2.1");
	assert_str(v, "uc_cheque_energie", "2.1");
	assert_str(v, "ressources_mensuelles", "2000");
	assert_str(v, "charges_mensuelles", "1100");
	assert_str(v, "reste_a_vivre_mois", "900");
	assert_str(v, "reste_a_vivre_jour_personne", "7.5");
	assert_str(v, "reste_a_vivre_mois_uc", "3000/7");
	assert_str(v, "reste_a_vivre_jour_uc", "100/7");
	assert_str(v, "commune_residence", "75056");
	assert_bool(v, "beneficiaire_css", 1);
	assert_bool(v, "beneficiaire_rsa", 0);
	assert_str(v, "montant_demande", "250.5");
	assert_int(v, "niveau_besoin", 2);
	json_decref(v);
}

static void missing_data_is_absent(void **state)
{
	/* no date: ages from birth dates are unknown */
	json_t *v = vars_of("{\"personnes\": [{\"role\": \"demandeur\", \"date_naissance\": "
	                    "\"1985\"}, {\"role\": \"conjoint\"}]}",
	                    NULL, NULL);
	assert_int(v, "nb_personnes", 2);
	assert_absent(v, "age_demandeur");
	assert_absent(v, "uc"); /* the spouse's age is unknown */
	assert_str(v, "uc_cheque_energie", "1.5");
	assert_absent(v, "qf_caf");
	assert_str(v, "parts_caf", "2");
	assert_absent(v, "parts"); /* a spouse but no marital status */
	assert_absent(v, "reste_a_vivre_mois");
	assert_absent(v, "beneficiaire_rsa");
	json_decref(v);
	v = vars_of("{}", NULL, NULL);
	assert_int_equal(json_object_size(v), 0);
	json_decref(v);
}

static void single_parent_and_boxes(void **state)
{
	const char *s =
	    "{\"situation_familiale\": \"divorce\", \"date\": \"2025-01-15\","
	    " \"personnes\": [{\"role\": \"demandeur\", \"age\": 35},"
	    "  {\"role\": \"enfant\", \"age\": 8}], \"rfr\": 18000,"
	    " \"ressources\": {\"annuelles\": 14400}, \"prestations_familiales_mois\": 200}";
	json_t *v = vars_of(s, NULL, NULL);
	assert_str(v, "parts", "2"); /* box T derived */
	assert_str(v, "qf_fiscal", "750");
	assert_str(v, "parts_caf", "2.5");
	assert_str(v, "qf_caf", "560");
	assert_bool(v, "parent_isole", 1);
	json_decref(v);
	/* box T overridden, alternating child */
	s = "{\"situation_familiale\": \"celibataire\", \"cases_fiscales\": {\"T\": false},"
	    " \"personnes\": [{\"role\": \"demandeur\"},"
	    "  {\"role\": \"enfant\", \"garde_alternee\": true, \"age\": 5}]}";
	v = vars_of(s, NULL, NULL);
	assert_str(v, "parts", "1.25");
	assert_str(v, "uc_cheque_energie", "1.25");
	assert_int(v, "nb_enfants_garde_alternee", 1);
	json_decref(v);
	/* invalid adult dependant (box R), invalid child (G) */
	s = "{\"situation_familiale\": \"marie\", \"personnes\": [{\"role\": \"demandeur\"},"
	    " {\"role\": \"conjoint\"}, {\"role\": \"enfant\"}, {\"role\": \"enfant\"},"
	    " {\"role\": \"enfant\", \"invalidite\": true},"
	    " {\"role\": \"personne_a_charge\", \"invalidite\": true}]}";
	v = vars_of(s, NULL, NULL);
	assert_str(v, "parts", "6"); /* 2 + 0.5 + 0.5 + 1 + 1 (R rank 4) + 0.5 G + 0.5 R */
	assert_int(v, "nb_enfants_handicapes", 1);
	json_decref(v);
	/* veteran over 74, alone */
	s = "{\"situation_familiale\": \"veuf\", \"personnes\": [{\"role\": \"demandeur\","
	    " \"age\": 80, \"ancien_combattant\": true}]}";
	v = vars_of(s, NULL, NULL);
	assert_str(v, "parts", "1.5");
	json_decref(v);
}

static void overrides_and_variants(void **state)
{
	const char *s = "{\"situation_familiale\": \"concubinage\", \"rfr\": 30000,"
	                " \"personnes\": [{\"role\": \"demandeur\"}, {\"role\": \"conjoint\"}]}";
	json_t *v = vars_of(s, NULL, NULL);
	assert_absent(v, "parts"); /* two tax notices */
	assert_absent(v, "qf_fiscal");
	assert_bool(v, "en_couple", 1);
	json_decref(v);
	s = "{\"situation_familiale\": \"concubinage\", \"rfr\": 30000, \"parts_fiscales\": "
	    "\"2.5\","
	    " \"qf_caf\": 612, \"ressources\": {\"annuelles\": 99999},"
	    " \"personnes\": [{\"role\": \"demandeur\"}, {\"role\": \"conjoint\"}]}";
	v = vars_of(s, NULL, NULL);
	assert_str(v, "parts", "2.5");
	assert_str(v, "qf_fiscal", "1000");
	assert_str(v, "qf_caf", "612");
	assert_bool(v, "qf_caf_certifie", 1);
	json_decref(v);
	/* Brest parts table: isolated person, 12 000 a year -> 1 000 */
	json_t *brest =
	    json_pack("{s:s, s:s, s:s}", "couple", "2", "isole", "1", "parent_isole", "0.5");
	v = vars_of("{\"personnes\": [{\"role\": \"demandeur\"}],"
	            " \"ressources\": {\"annuelles\": 12000}}",
	            brest, NULL);
	assert_str(v, "parts_caf", "1");
	assert_str(v, "qf_caf", "1000");
	json_decref(v);
	json_decref(brest);
}

static void negative_rest(void **state)
{
	json_t *v =
	    vars_of("{\"personnes\": [{\"role\": \"demandeur\"}, {\"role\": \"enfant\","
	            " \"age\": 3}], \"ressources\": {\"lignes\": [{\"type\": \"rsa\","
	            " \"montant\": 600}, {\"type\": \"prestations_familiales\", \"montant\":"
	            " \"120.40\"}]}, \"charges\": {\"lignes\": [{\"type\": \"loyer\","
	            " \"montant\": 780}, {\"type\": \"energie\", \"montant\": 90.6}]}}",
	            NULL, NULL);
	assert_str(v, "ressources_mensuelles", "720.4");
	assert_str(v, "charges_mensuelles", "870.6");
	assert_str(v, "reste_a_vivre_mois", "-150.2");
	assert_str(v, "reste_a_vivre_jour_personne", "-751/300");
	assert_str(v, "uc", "1.3");
	assert_str(v, "reste_a_vivre_mois_uc", "-1502/13");
	json_decref(v);
}

static void field_errors(void **state)
{
	json_t *e =
	    errors_of("{\"situation_familiale\": \"marié\", \"rfr\": -5, \"charges\": 12.345,"
	              " \"ressources\": {\"lignes\": [{\"type\": \"loyer\", \"montant\": 10}]},"
	              " \"commune_residence\": \"20004\", \"statuts\": [\"rsa\", \"riche\"],"
	              " \"parts_fiscales\": \"1.3\", \"cases_fiscales\": {\"Z\": true},"
	              " \"variables\": {\"qf_caf\": 1, \"Bad\": 1, \"ok\": [1]},"
	              " \"personnes\": [{\"role\": \"chef\"}, {\"role\": \"demandeur\","
	              " \"date_naissance\": \"2030-01-01\", \"garde_alternee\": true},"
	              " {\"role\": \"enfant\", \"age\": 200, \"invalidite\": \"oui\"},"
	              " {\"role\": \"demandeur\"}]}",
	              "2025-06-01");
	const char *fields[] = {"situation_familiale",
	                        "rfr",
	                        "charges",
	                        "ressources.lignes[0].type",
	                        "commune_residence",
	                        "statuts[1]",
	                        "parts_fiscales",
	                        "cases_fiscales.Z",
	                        "variables.qf_caf",
	                        "variables.Bad",
	                        "variables.ok",
	                        "personnes[0].role",
	                        "personnes[1].date_naissance",
	                        "personnes[1].garde_alternee",
	                        "personnes[2].age",
	                        "personnes[2].invalidite",
	                        "personnes[3].role"};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!json_is_string(json_object_get(e, fields[i])))
			fail_msg("no error for %s", fields[i]);
	}
	json_decref(e);
	e = errors_of("[]", NULL);
	assert_non_null(json_object_get(e, "situation"));
	json_decref(e);
	e = errors_of("{\"date\": \"2025-02-30\", \"personnes\": []}", NULL);
	assert_non_null(json_object_get(e, "date"));
	assert_non_null(json_object_get(e, "personnes"));
	json_decref(e);
	/* a bad date argument is reported too */
	e = errors_of("{}", "demain");
	assert_non_null(json_object_get(e, "date"));
	json_decref(e);
	/* a bad parts table */
	json_t *sit = json_object(), *vars = NULL, *errors = NULL,
	       *table = json_pack("{s:s}", "isole", "0");
	assert_int_equal(situation_vars(sit, table, NULL, &vars, &errors), CAS_EINVAL);
	assert_non_null(json_object_get(errors, "bareme_parts_caf"));
	json_decref(errors);
	json_decref(table);
	json_decref(sit);
}

static void var_list(void **state)
{
	size_t n;
	const struct situation_var *list = situation_var_list(&n);
	assert_true(n > 30);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(situation_var_find(list[i].name), &list[i]);
		assert_non_null(list[i].label);
	}
	assert_null(situation_var_find("inconnue"));
	/* every variable computed for the full family is in the list, or declared */
	json_t *v = vars_of(family, NULL, "2025-06-01");
	const char *key;
	json_t *value;
	json_object_foreach(v, key, value)
	{
		if (!situation_var_find(key) && strcmp(key, "niveau_besoin") != 0)
			fail_msg("%s is not listed", key);
	}
	json_decref(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_family),
	    cmocka_unit_test(missing_data_is_absent),
	    cmocka_unit_test(single_parent_and_boxes),
	    cmocka_unit_test(overrides_and_variants),
	    cmocka_unit_test(negative_rest),
	    cmocka_unit_test(field_errors),
	    cmocka_unit_test(var_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
