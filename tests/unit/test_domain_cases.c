/* The worked cases of the shared domain reference (domain-cases.json):
 * every case of the computation and identifier kinds is checked against
 * its expected values (amounts in cents, i.e. to 0.005). The grid_* kinds
 * are the rule engine's. Skipped where the reference is not beside the
 * project. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/caf_qf.h"
#include "domain/cog.h"
#include "domain/fiscal_parts.h"
#include "domain/ident.h"
#include "domain/ratio.h"
#include "domain/reste_a_vivre.h"
#include "domain/uc.h"

static json_t *load_cases(void)
{
	const char *root = getenv("CASSIS_SHARED");
	char path[1024];
	snprintf(path, sizeof(path), "%s/reference/domain-cases.json", root ? root : "../shared");
	return json_load_file(path, 0, NULL);
}

/* The case being checked, for messages, and how many values it compared. */
static const char *case_id;
static int compared;

static const json_t *in(const json_t *c, const char *key)
{
	return json_object_get(json_object_get(c, "inputs"), key);
}

static int in_int(const json_t *c, const char *key)
{
	const json_t *v = in(c, key);
	if (json_is_boolean(v))
		return json_is_true(v);
	return v ? (int)json_integer_value(v) : 0;
}

static struct ratio in_ratio(const json_t *c, const char *key)
{
	struct ratio r = {0, 1};
	if (ratio_from_json(in(c, key), &r) != 0)
		fail_msg("case %s: input %s is not a number", case_id, key);
	return r;
}

static int64_t in_cents(const json_t *c, const char *key)
{
	int64_t cents = 0;
	assert_int_equal(ratio_to_scaled(in_ratio(c, key), 2, RATIO_HALF_UP, &cents), 0);
	return cents;
}

/* Compares a computed value with expected[key] when present, in cents. */
static void check_value(const json_t *c, const char *key, struct ratio got)
{
	const json_t *e = json_object_get(json_object_get(c, "expected"), key);
	struct ratio want;
	int64_t a, b;
	if (!e)
		return;
	if (ratio_from_json(e, &want) != 0)
		fail_msg("case %s: expected %s is not a number", case_id, key);
	assert_int_equal(ratio_to_scaled(want, 2, RATIO_HALF_UP, &a), 0);
	assert_int_equal(ratio_to_scaled(got, 2, RATIO_HALF_UP, &b), 0);
	if (a != b) {
		char buf[RATIO_FMT_SIZE];
		fail_msg("case %s: %s = %s, expected %s", case_id, key, ratio_format(got, 4, buf),
		         json_dumps(e, JSON_ENCODE_ANY));
	}
	compared++;
}

static void caf_case(const json_t *c, const struct caf_parts_table *t)
{
	struct ratio parts, qf;
	int n = in(c, "nb_enfants") ? in_int(c, "nb_enfants") : in_int(c, "nb_enfants_a_charge");
	int aeeh = in(c, "nb_enfants_handicapes") ? in_int(c, "nb_enfants_handicapes")
	                                          : in_int(c, "nb_enfants_aeeh");
	assert_int_equal(caf_parts(t, in_int(c, "en_couple"), n, aeeh, &parts), 0);
	check_value(c, "nb_parts_caf", parts);
	check_value(c, "nb_parts", parts);
	const char *res_key = in(c, "base_ressources_annuelle")
	                          ? "base_ressources_annuelle"
	                          : "ressources_annuelles_imposables_n_2";
	if (!in(c, res_key))
		return;
	int64_t pf =
	    in(c, "prestations_familiales_mois") ? in_cents(c, "prestations_familiales_mois") : 0;
	assert_int_equal(caf_qf(in_cents(c, res_key), pf, parts, &qf), 0);
	check_value(c, "qf", qf);
}

/* "célibataire/divorcé(e)", "marié(e)/pacsé(e)", "veuf/veuve". */
static enum fiscal_status status_of(const char *s)
{
	if (s && strncmp(s, "mari", 4) == 0)
		return FISCAL_COUPLE;
	if (s && strncmp(s, "veu", 3) == 0)
		return FISCAL_VEUF;
	return FISCAL_SEUL;
}

/* Boxes are inputs named case_<LETTER>_...: true or false. */
static int box_of(const json_t *c, char letter)
{
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(c, "inputs"), key, v)
	{
		if (strncmp(key, "case_", 5) == 0 && key[5] == letter &&
		    (key[6] == '_' || key[6] == '\0'))
			return json_is_true(v) || (json_is_integer(v) && json_integer_value(v));
	}
	return 0;
}

static void fiscal_case(const json_t *c)
{
	struct fiscal_household h = {
	    .status = status_of(json_string_value(in(c, "situation"))),
	    .nb_f = in_int(c, "nbF"),
	    .nb_g = in_int(c, "nbG"),
	    .nb_h = in_int(c, "nbH"),
	    .nb_i = in_int(c, "nbI"),
	    .nb_j = in_int(c, "nbJ"),
	    .nb_r = in_int(c, "nbR"),
	    .case_p = box_of(c, 'P'),
	    .case_f = box_of(c, 'F'),
	    .case_w = box_of(c, 'W'),
	    .case_s = box_of(c, 'S'),
	    .case_g = box_of(c, 'G'),
	    .case_l = box_of(c, 'L'),
	    .case_e = box_of(c, 'E'),
	    .case_k = box_of(c, 'K'),
	    .case_n = box_of(c, 'N'),
	    .case_t = box_of(c, 'T'),
	};
	struct ratio parts;
	assert_int_equal(fiscal_parts(&h, &parts), 0);
	check_value(c, "nb_parts", parts);
}

static void qf_fiscal_case(const json_t *c)
{
	struct ratio qf;
	assert_int_equal(qf_fiscal_mensuel(in_cents(c, "rfr"), in_ratio(c, "nb_parts"), &qf), 0);
	check_value(c, "qf_mensuel", qf);
	check_value(c, "qf", qf);
}

static int ages_of(const json_t *c, int *ages, int max)
{
	const json_t *arr = in(c, "ages"), *v;
	size_t i;
	if (!json_is_array(arr) || (int)json_array_size(arr) > max)
		fail_msg("case %s: bad ages", case_id);
	json_array_foreach(arr, i, v) ages[i] = (int)json_integer_value(v);
	return (int)json_array_size(arr);
}

static void uc_case(const json_t *c, int cheque)
{
	struct ratio uc;
	int ages[64];
	if (cheque)
		assert_int_equal(uc_cheque_energie(in_int(c, "nb_personnes"),
		                                   in_int(c, "dont_enfants_garde_alternee"), &uc),
		                 0);
	else
		assert_int_equal(uc_oecd(ages, ages_of(c, ages, 64), &uc), 0);
	check_value(c, "uc", uc);
}

static void rav_case(const json_t *c)
{
	int64_t res = in_cents(c, "ressources_mensuelles"), ch = in_cents(c, "charges_mensuelles");
	struct ratio uc, r;
	int ages[64];
	assert_int_equal(rav_mois(res, ch, &r), 0);
	check_value(c, "rav_mensuel", r);
	check_value(c, "reste_a_vivre_mensuel", r);
	if (in(c, "nb_personnes")) {
		assert_int_equal(rav_jour_personne(res, ch, in_int(c, "nb_personnes"), &r), 0);
		check_value(c, "rav_jour_personne", r);
		check_value(c, "rav_par_personne_jour", r);
		check_value(c, "rav_personne_jour", r);
	}
	if (!in(c, "ages"))
		return;
	assert_int_equal(uc_oecd(ages, ages_of(c, ages, 64), &uc), 0);
	check_value(c, "uc", uc);
	assert_int_equal(rav_mois_uc(res, ch, uc, &r), 0);
	check_value(c, "rav_mensuel_par_uc", r);
	assert_int_equal(rav_jour_uc(res, ch, uc, &r), 0);
	check_value(c, "rav_jour_par_uc", r);
}

/* First string input of the case (identifier kinds have one). */
static const char *first_string_input(const json_t *c)
{
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(c, "inputs"), key, v)
	{
		if (json_is_string(v))
			return json_string_value(v);
	}
	return NULL;
}

static int known_code(const char *code)
{
	static const char *codes[] = {"invalid_length",  "invalid_format",     "invalid_sex",
	                              "invalid_month",   "invalid_department", "invalid_component",
	                              "invalid_country", "invalid_checksum"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strcmp(code, codes[i]) == 0)
			return 1;
	}
	return 0;
}

static void ident_case(const json_t *c, const char *ident_kind)
{
	const char *expected =
	    json_string_value(json_object_get(json_object_get(c, "expected"), "result"));
	const char *value = first_string_input(c);
	struct ident_result res;
	if (!expected)
		fail_msg("case %s: no expected result", case_id);
	ident_check(ident_kind, value, &res);
	int want_valid = strcmp(expected, "valid") == 0;
	/* the numéro fiscal's mod-511 key only warns (unofficial checksum) */
	if (!strcmp(ident_kind, "numero-fiscal") && !strcmp(expected, "invalid_checksum"))
		want_valid = res.nb_warnings > 0 ? res.valid : 0;
	if (res.valid != want_valid)
		fail_msg("case %s: %s should be %s (%s)", case_id, value, expected,
		         res.valid ? "valide" : res.reason);
	if (!res.valid && known_code(expected) && strcmp(expected, res.code) != 0)
		fail_msg("case %s: %s refused as %s, expected %s", case_id, value, res.code,
		         expected);
	compared++;
}

static void nir_key_case(const json_t *c)
{
	int key;
	assert_int_equal(nir_key(json_string_value(in(c, "nir_13")), &key), 0);
	check_value(c, "cle", ratio_int(key));
}

static void rib_key_case(const json_t *c)
{
	int key;
	char text[8];
	assert_int_equal(rib_key(json_string_value(in(c, "code_banque")),
	                         json_string_value(in(c, "code_guichet")),
	                         json_string_value(in(c, "numero_compte")), &key),
	                 0);
	snprintf(text, sizeof(text), "%02d", key);
	const char *want =
	    json_string_value(json_object_get(json_object_get(c, "expected"), "cle_rib"));
	if (!want || strcmp(want, text) != 0)
		fail_msg("case %s: RIB key %s, expected %s", case_id, text, want ? want : "?");
	compared++;
}

static const struct {
	const char *kind;
	const char *ident; /* ident_check kind, NULL for computations */
} ident_kinds[] = {
    {"nir", "nir"},
    {"nir_strict", "nir"},
    {"iban", "iban"},
    {"numero_fiscal", "numero-fiscal"},
    {"reference_avis_impot", "reference-avis"},
    {"numero_allocataire_caf", "numero-allocataire"},
    {"code_insee", "cog"},
    {"code_postal", "code-postal"},
};

/* Runs one case; returns 0 when its kind is not ours. */
static int run_case(const json_t *c, const struct caf_parts_table *cnaf,
                    const struct caf_parts_table *brest)
{
	const char *kind = json_string_value(json_object_get(c, "kind"));
	for (size_t i = 0; i < sizeof(ident_kinds) / sizeof(ident_kinds[0]); i++) {
		if (strcmp(kind, ident_kinds[i].kind) == 0) {
			ident_case(c, ident_kinds[i].ident);
			return 1;
		}
	}
	if (!strcmp(kind, "caf_qf") || !strcmp(kind, "caf_qf_parts"))
		caf_case(c, cnaf);
	else if (!strcmp(kind, "caf_qf_parts_variant_brest") ||
	         !strcmp(kind, "caf_qf_variant_brest"))
		caf_case(c, brest);
	else if (!strcmp(kind, "fiscal_parts"))
		fiscal_case(c);
	else if (!strcmp(kind, "qf_fiscal"))
		qf_fiscal_case(c);
	else if (!strcmp(kind, "uc_oecd") || !strcmp(kind, "uc_cheque_energie"))
		uc_case(c, !strcmp(kind, "uc_cheque_energie"));
	else if (!strcmp(kind, "reste_a_vivre") || !strcmp(kind, "reste_a_vivre_uc"))
		rav_case(c);
	else if (!strcmp(kind, "nir_key"))
		nir_key_case(c);
	else if (!strcmp(kind, "rib_key"))
		rib_key_case(c);
	else
		return 0;
	return 1;
}

static void computation_and_identifier_cases(void **state)
{
	json_t *cases = load_cases(), *c;
	size_t i;
	int ran = 0;
	if (!cases)
		skip();
	struct caf_parts_table cnaf, brest;
	caf_parts_table_cnaf(&cnaf);
	json_t *bt =
	    json_pack("{s:s, s:s, s:s}", "couple", "2", "isole", "1", "parent_isole", "0.5");
	assert_int_equal(caf_parts_table_from_json(bt, &brest, NULL), 0);
	json_decref(bt);
	json_array_foreach(cases, i, c)
	{
		case_id = json_string_value(json_object_get(c, "id"));
		compared = 0;
		if (!run_case(c, &cnaf, &brest))
			continue;
		if (compared == 0)
			fail_msg("case %s: no expected value was compared", case_id);
		ran++;
	}
	printf("%d worked cases checked\n", ran);
	assert_true(ran > 0);
	json_decref(cases);
}

/* The existing format checks of cog.h agree with the cases too. */
static void cog_module_cases(void **state)
{
	json_t *cases = load_cases(), *c;
	size_t i;
	if (!cases)
		skip();
	json_array_foreach(cases, i, c)
	{
		const char *kind = json_string_value(json_object_get(c, "kind"));
		int (*check)(const char *, const char **) =
		    !strcmp(kind, "code_insee")    ? cog_commune_check
		    : !strcmp(kind, "code_postal") ? code_postal_check
		                                   : NULL;
		if (!check)
			continue;
		const char *expected =
		    json_string_value(json_object_get(json_object_get(c, "expected"), "result"));
		int valid = check(first_string_input(c), NULL) == 0;
		if (valid != (strcmp(expected, "valid") == 0))
			fail_msg("case %s should be %s",
			         json_string_value(json_object_get(c, "id")), expected);
	}
	json_decref(cases);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(computation_and_identifier_cases),
	    cmocka_unit_test(cog_module_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
