/* libFuzzer target: the rule language. An input starting with 'E' is one
 * expression (the rest of the bytes), put in a rule as a calculation next
 * to a grid with columns and declared variables of each type; any other
 * input is a whole rule document (JSON). Each parsed rule is evaluated
 * over several sets of variables (none, ordinary, extreme and ill-typed
 * values): parsing may refuse, evaluation must answer with one of the
 * three outcomes and a well-formed explanation, never crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char frame[] =
    "{\"variables\": {\"n\": {\"type\": \"nombre\"}, \"t\": {\"type\": \"texte\", \"valeurs\": "
    "[\"a\", \"b\"]}, \"b\": {\"type\": \"booleen\"}},"
    " \"baremes\": {\"g\": {\"unite\": \"euros\", \"colonnes\": [\"a\", \"b\", \"1\"], "
    "\"tranches\": [{\"max\": \"5\", \"max_inclus\": true, \"valeurs\": [1, 2, null]}, "
    "{\"min\": \"5\", \"min_inclus\": false, \"max\": \"2650/3\", \"valeurs\": [\"0.5\", 3, 4]}]},"
    " \"h\": {\"tranches\": [{\"valeur\": \"-7\"}]}},"
    " \"conditions\": [{\"libelle\": \"c\", \"expression\": \"connu(x)\"}],"
    " \"montant\": \"defaut(n, 1)\","
    " \"plafond\": {\"montant\": \"bareme(\\\"h\\\", 0)\", \"deja_verse\": \"defaut(n, 0)\"}}";

static const char *const var_sets[] = {
    "{}",
    "{\"qf_caf\": \"2650/3\", \"rfr\": 24000, \"parts\": \"2.5\", \"en_couple\": true, "
    "\"commune_residence\": \"67218\", \"n\": \"12.5\", \"t\": \"a\", \"b\": false, "
    "\"nb_personnes\": 3, \"montant_demande\": \"300\", \"reste_a_vivre_jour_personne\": "
    "\"-40/3\", \"uc\": \"2.1\", \"age_demandeur\": 40}",
    "{\"qf_caf\": \"9223372036854775807\", \"rfr\": \"-9223372036854775807\", \"parts\": "
    "\"1/9223372036854775807\", \"n\": \"0.000000000000000001\", \"nb_personnes\": 0, "
    "\"montant_demande\": 1e300, \"t\": \"b\", \"uc\": 0}",
    "{\"qf_caf\": \"abc\", \"en_couple\": 7, \"commune_residence\": 67218, \"n\": [], \"t\": "
    "\"z\", \"b\": \"oui\", \"rfr\": null, \"parts\": {}}",
};

static void check_result(const json_t *res)
{
	const char *issue = json_string_value(json_object_get(res, "issue"));
	const json_t *ex = json_object_get(res, "explication");
	char *text;

	if (!issue || (strcmp(issue, "eligible") != 0 && strcmp(issue, "non_eligible") != 0 &&
	               strcmp(issue, "indetermine") != 0))
		abort();
	if (!json_is_array(json_object_get(res, "manquants")) ||
	    !json_is_array(json_object_get(ex, "texte")) ||
	    json_array_size(json_object_get(ex, "texte")) == 0)
		abort();
	if (strcmp(issue, "eligible") != 0 &&
	    !json_is_null(json_object_get(res, "montant_centimes")))
		abort();
	text = json_dumps(res, JSON_COMPACT);
	if (!text)
		abort();
	free(text);
}

static void evaluate(const json_t *doc)
{
	struct rule_error err;
	struct rule *r = rule_parse(doc, &err);

	if (!r) {
		if (!err.message[0])
			abort(); /* a refusal always says why */
		return;
	}
	json_decref(rule_variables(r));
	for (size_t i = 0; i < sizeof(var_sets) / sizeof(var_sets[0]); i++) {
		json_t *vars = json_loads(var_sets[i], 0, NULL), *res = NULL;
		if (rule_eval(r, vars, &res) != 0 || !res)
			abort();
		check_result(res);
		json_decref(res);
		json_decref(vars);
	}
	rule_free(r);
}

static void fuzz_expression(const uint8_t *data, size_t size)
{
	json_t *doc = json_loads(frame, 0, NULL), *calc, *expr;
	struct rule_error err;

	expr = json_stringn((const char *)data, size); /* NULL when not UTF-8 */
	if (!expr) {
		char *s = malloc(size + 1);
		memcpy(s, data, size);
		s[size] = '\0';
		if (rule_check_expression(s, NULL, &err) == 0 && strlen(s) == size)
			abort(); /* invalid UTF-8 or NUL accepted */
		free(s);
		json_decref(doc);
		return;
	}
	rule_check_expression(json_string_value(expr), json_object_get(doc, "baremes"), &err);
	calc = json_pack("[{s:s, s:o}]", "nom", "x", "expression", expr);
	json_object_set_new(doc, "calculs", calc);
	evaluate(doc);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0 && data[0] == 'E') {
		fuzz_expression(data + 1, size - 1);
	} else {
		json_t *doc = json_loadb((const char *)data, size, 0, NULL);
		if (doc)
			evaluate(doc);
		json_decref(doc);
	}
	return 0;
}
